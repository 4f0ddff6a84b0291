"""“Forgotten your password?”: the e-mail goes through the worker, with the account's id
only; the page is the same for known and unknown addresses; requests are limited per e-mail
address and per client, without revealing whether the address has an account."""

import logging
import re
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services.password_reset import PASSWORD_RESET
from outbox import tasks
from outbox.models import EmailStatus, OutgoingEmail
from outbox.services import outbox_sweep

UNKNOWN = "nobody@example.test"


def ask(client, email, **extra):
    return client.post(reverse("password_reset"), {"email": email}, **extra)


def without_tokens(response):
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", response.content.decode())


@pytest.mark.django_db
def test_reset_email_is_queued_with_the_user_pk_only_and_not_rendered_in_the_request(
    client, cast, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(tasks.send_emails, "apply_async") as queued,
        mock.patch("accounts.services.password_reset.render_to_string") as render,
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = ask(client, cast.officer.email)
        assert response.status_code == 302
        assert mail.outbox == []
        assert not render.called
        assert len(callbacks) == 1
        callbacks[0]()  # after commit: handed to the worker
    row = OutgoingEmail.objects.get(kind=PASSWORD_RESET)
    queued.assert_called_once_with(args=[[row.pk]], retry=False)  # the row's id, nothing else
    # The row holds the account's id: no address, no message and no token anywhere in it.
    assert row.params == {"user": cast.officer.pk}
    assert (row.to, row.subject, row.body) == ([], "", "")


def reset_rows(client, email):
    with mock.patch.object(tasks.send_emails, "apply_async"):
        ask(client, email)
    return list(OutgoingEmail.objects.filter(kind=PASSWORD_RESET).values_list("pk", flat=True))


@pytest.mark.django_db
def test_known_and_unknown_addresses_get_the_same_response_and_nothing_is_sent_in_the_request(
    client, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        known = ask(client, cast.officer.email, follow=True)
        unknown = ask(client, UNKNOWN, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert without_tokens(known) == without_tokens(unknown)
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_task_sends_exactly_one_email_with_a_working_link(client, cast):
    ids = reset_rows(client, cast.officer.email)
    assert tasks.send_emails(ids) == 1
    assert tasks.send_emails(ids) == 0  # a redelivered task finds it sent
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [cast.officer.email]
    assert mail.outbox[0].subject == "Reset your Haven password"
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    response = client.get(path, follow=True)
    assert "Choose a new password" in response.content.decode()


@pytest.mark.django_db
def test_the_task_sends_nothing_to_a_deactivated_account(client, cast):
    ids = reset_rows(client, cast.officer.email)
    cast.officer.is_active = False
    cast.officer.save()
    assert tasks.send_emails(ids) == 0
    assert mail.outbox == []
    assert OutgoingEmail.objects.get(pk=ids[0]).status == EmailStatus.DROPPED


@pytest.mark.django_db(transaction=True)
def test_a_reset_asked_for_while_the_broker_is_down_is_sent_by_the_sweep_once(cast, caplog):
    with (
        mock.patch.object(tasks.send_emails, "apply_async", side_effect=OSError("broker down")),
        caplog.at_level(logging.WARNING, logger="outbox.services"),
    ):
        response = ask(Client(), cast.officer.email)
    assert response.status_code == 302
    assert mail.outbox == []
    assert "the outbox sweep will retry" in caplog.text
    assert cast.officer.email not in caplog.text
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=1)):
        assert outbox_sweep().requeued == 1
        assert outbox_sweep().requeued == 0
    assert [m.to for m in mail.outbox] == [[cast.officer.email]]


@pytest.mark.django_db
def test_throttle_refuses_the_request_after_the_limit_per_email_address(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.HAVEN_PASSWORD_RESET_LIMIT_PER_EMAIL = 3
    refused_pages = []
    for email in (cast.officer.email, UNKNOWN):
        responses = []
        with django_capture_on_commit_callbacks(execute=False):
            for n in range(4):
                responses.append(ask(Client(REMOTE_ADDR=f"198.51.100.{n}"), email))
        assert [r.status_code for r in responses] == [302, 302, 302, 429]
        assert "Too many password reset requests" in responses[-1].content.decode()
        refused_pages.append(without_tokens(responses[-1]).replace(email, "EMAIL"))
    # The refusal keeps the address typed, and otherwise reads the same whether or not the
    # address has an account.
    assert refused_pages[0] == refused_pages[1]


@pytest.mark.django_db
def test_throttle_refuses_the_request_after_the_limit_per_client(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.HAVEN_PASSWORD_RESET_LIMIT_PER_CLIENT = 3
    client = Client(REMOTE_ADDR="198.51.100.7")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        statuses = [ask(client, f"person{n}@example.test").status_code for n in range(3)]
        statuses.append(ask(client, cast.officer.email).status_code)
    assert statuses == [302, 302, 302, 429]
    assert callbacks == []  # the refused request queued nothing
    # Another client can still ask.
    assert ask(Client(REMOTE_ADDR="198.51.100.8"), cast.manager.email).status_code == 302


@pytest.mark.django_db
def test_a_failing_cache_does_not_break_the_reset_page(client, cast, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "add", broken)
    monkeypatch.setattr(cache, "incr", broken)
    with caplog.at_level(logging.WARNING, logger="accounts.services.password_reset"):
        response = ask(client, cast.officer.email)
    assert response.status_code == 302
    assert "rate-limit cache unavailable" in caplog.text
