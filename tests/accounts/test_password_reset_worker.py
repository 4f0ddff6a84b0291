"""In CI, for real: a Celery worker process sends the password-reset e-mail, whose link sets
a new password. The request queued the account's id only."""

import os
import re
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services.password_reset import PASSWORD_RESET
from outbox import tasks
from outbox.models import OutgoingEmail
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
def test_a_real_worker_sends_the_reset_email_and_its_link_sets_a_password(broker, tmp_path, cast):
    url = broker_url(broker)
    with mock.patch.object(tasks.send_emails, "apply_async") as queued:
        response = Client().post(reverse("password_reset"), {"email": cast.officer.email})
    assert response.status_code == 302
    row = OutgoingEmail.objects.get(kind=PASSWORD_RESET)
    assert queued.call_args.kwargs["args"] == [[row.pk]]  # the outbox row's id, nothing personal
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        "HAVEN_TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "HAVEN_TEST_EMAIL_FILE_PATH": str(mail_dir),
    }
    with celery_processes(broker_url=url, tmp_path=tmp_path, extra_env=env) as (app, queue):
        app.send_task("outbox.tasks.send_emails", args=[[row.pk]], queue=queue)

        def sent() -> str:
            return "".join(p.read_text() for p in mail_dir.glob("*.log"))

        wait_for(lambda: f"To: {cast.officer.email}" in sent(), timeout=60, logs=tmp_path)
    assert sent().count(f"To: {cast.officer.email}") == 1
    link = re.search(r"https?://\S+/password/reset/\S+/\S+/", sent())
    assert link is not None
    client = Client()
    path = "/" + link.group(0).split("://", 1)[1].split("/", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    password = "a long new passphrase 2026"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert done.status_code == 302
    cast.officer.refresh_from_db()
    assert cast.officer.check_password(password)
