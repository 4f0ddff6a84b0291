"""In CI, for real: a Celery worker process sends a new member's invitation e-mail, with a
link that lets them set a password. The broker carries ids only."""

import os
import re
from unittest import mock

import pytest
from django.test import Client

from accounts import tasks
from accounts.models import Role
from accounts.services.members import member_add
from tests.workers import celery_processes, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def broker_url(broker: str) -> str:
    if broker == "filesystem":
        return "filesystem://"
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis"):
        pytest.skip("CELERY_BROKER_URL does not name a Redis broker (CI sets it).")
    return url


@pytest.mark.parametrize("broker", ["redis", "filesystem"])
def test_a_real_worker_sends_the_invitation_and_its_link_sets_a_password(broker, tmp_path, cast):
    url = broker_url(broker)
    # Keep this process's eager Celery out of it: the real worker gets the task below.
    with mock.patch.object(tasks.invitation_send, "delay") as queued:
        added = member_add(
            organisation=cast.organisation,
            by=cast.admin,
            email="nia.new@wch.example",
            full_name="Nia New",
            roles=[Role.OFFICER],
        )
    user = added.user
    assert queued.call_args.args == (user.pk, cast.organisation.pk)  # ids, nothing personal
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        "HAVEN_TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "HAVEN_TEST_EMAIL_FILE_PATH": str(mail_dir),
    }
    with celery_processes(broker_url=url, tmp_path=tmp_path, extra_env=env) as (app, queue):
        app.send_task(
            "accounts.tasks.invitation_send", args=[user.pk, cast.organisation.pk], queue=queue
        )

        def sent() -> str:
            return "".join(p.read_text() for p in mail_dir.glob("*.log"))

        wait_for(lambda: "To: nia.new@wch.example" in sent(), timeout=60, logs=tmp_path)
    link = re.search(r"https?://\S+/password/reset/\S+/\S+/", sent())
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
