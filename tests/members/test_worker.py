"""In CI, for real: a Celery worker process sends a new member's invitation e-mail, with a
link that lets them set a password. The broker carries the outbox row's id only; with the
broker down when the member was added, the outbox sweep on the worker sends it, once."""

import os
import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from accounts.services.invitations import INVITATION
from accounts.services.members import member_add
from outbox import tasks
from outbox.models import EmailStatus, OutgoingEmail
from tests.workers import celery_processes, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

MAIL_ENV = {"HAVEN_TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"}


def broker_url(broker: str) -> str:
    if broker == "filesystem":
        return "filesystem://"
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis"):
        pytest.skip("CELERY_BROKER_URL does not name a Redis broker (CI sets it).")
    return url


def add_nia(cast):
    return member_add(
        organisation=cast.organisation,
        by=cast.admin,
        email="nia.new@wch.example",
        full_name="Nia New",
        roles=[Role.OFFICER],
    ).user


def sent_mail(mail_dir) -> str:
    return "".join(p.read_text() for p in mail_dir.glob("*.log"))


@pytest.mark.parametrize("broker", ["redis", "filesystem"])
def test_a_real_worker_sends_the_invitation_and_its_link_sets_a_password(broker, tmp_path, cast):
    url = broker_url(broker)
    # Keep this process's eager Celery out of it: the real worker gets the task below.
    with mock.patch.object(tasks.send_emails, "apply_async") as queued:
        user = add_nia(cast)
    row = OutgoingEmail.objects.get(kind=INVITATION)
    assert queued.call_args.kwargs["args"] == [[row.pk]]  # the row's id, nothing personal
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {**MAIL_ENV, "HAVEN_TEST_EMAIL_FILE_PATH": str(mail_dir)}
    with celery_processes(broker_url=url, tmp_path=tmp_path, extra_env=env) as (app, queue):
        app.send_task("outbox.tasks.send_emails", args=[[row.pk]], queue=queue)
        wait_for(
            lambda: "To: nia.new@wch.example" in sent_mail(mail_dir), timeout=60, logs=tmp_path
        )
    link = re.search(r"https?://\S+/password/reset/\S+/\S+/", sent_mail(mail_dir))
    assert link is not None
    client = Client()
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.status_code == 200
    password = "a long new passphrase 2026"
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else "/" + path,
        {"new_password1": password, "new_password2": password},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(password)


@pytest.mark.parametrize("broker", ["redis", "filesystem"])
def test_invitations_added_while_the_broker_was_down_are_sent_once_by_the_sweep_on_a_worker(
    broker, tmp_path, cast
):
    url = broker_url(broker)
    with mock.patch.object(tasks.send_emails, "apply_async", side_effect=OSError("down")):
        users = [
            member_add(
                organisation=cast.organisation,
                by=cast.admin,
                email=f"new{i}@wch.example",
                full_name=f"New {i}",
                roles=[Role.STAFF],
            ).user
            for i in range(3)
        ]
    assert all(u.pk for u in users)  # the members are saved, whatever the broker did
    rows = OutgoingEmail.objects.filter(kind=INVITATION)
    assert rows.filter(status=EmailStatus.QUEUED, enqueued_at__isnull=True).count() == 3
    # Written a minute ago: past the grace a just-committed row gets before the sweep.
    rows.update(created_at=timezone.now() - timedelta(minutes=1))
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {**MAIL_ENV, "HAVEN_TEST_EMAIL_FILE_PATH": str(mail_dir)}
    with celery_processes(broker_url=url, tmp_path=tmp_path, extra_env=env) as (app, queue):
        # The broker is back: two beat ticks in a row (or two beats) hand the rows over.
        app.send_task("outbox.tasks.sweep_outbox", queue=queue)
        app.send_task("outbox.tasks.sweep_outbox", queue=queue)
        wait_for(lambda: rows.filter(status=EmailStatus.SENT).count() == 3, logs=tmp_path)
        time.sleep(2)  # anything sent twice would have landed by now
    text = sent_mail(mail_dir)
    counts = {i: text.count(f"To: new{i}@wch.example") for i in range(3)}
    print(f"\ninvitations sent by the sweep after an outage: {counts}")
    assert counts == {0: 1, 1: 1, 2: 1}
