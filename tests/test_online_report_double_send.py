"""A double click on Send: one report, one reference, one acknowledgement (W07, C13).

The send page carries a one-time submission key, kept in the session too; a second POST with
the same key gets the first report's "sent" page, whether it came after the first finished or
while it was still being saved."""

import re
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from cases.models import OnlineReport
from cases.services import online
from cases.services.online import online_report_submit
from tests.online_reports import BASE_ANSWERS, step_url

ANSWERS = {
    "danger": "no",
    "reporter_type": "victim",
    "description": "The man at number 14 shouted racist abuse at me on the stairs.",
    "contact_choice": "contact",
    "full_name": "Rita Resident",
    "email": "rita@example.test",
}


def walk_to_send(client, code: str) -> str:
    """Answer every step, open the send page and return the submission key it carries."""
    client.get(reverse("online_report_start", args=[code]))
    url = step_url(code, "danger")
    while not url.endswith("/send/"):
        slug = url.rstrip("/").rsplit("/", 1)[-1]
        response = client.post(url, BASE_ANSWERS.get(slug, {}))
        assert response.status_code == 302, (slug, response.content[:2000])
        url = response["Location"]
    page = client.get(url).content.decode()
    match = re.search(r'name="submission_key" value="([^"]+)"', page)
    assert match, "the send page carries a submission key"
    return match.group(1)


def sent_reference(client, code: str) -> str:
    page = client.get(reverse("online_report_sent", args=[code])).content.decode()
    return OnlineReport.objects.get(
        reference__in=re.findall(r"[A-Z]{2,5}-R-[A-Z0-9]{8}", page)
    ).reference


@pytest.mark.django_db(transaction=True)
def test_double_send_after_the_first_finished_gives_the_same_reference_and_one_email(
    client, organisation
):
    key = walk_to_send(client, "WCH")
    first = client.post(step_url("WCH", "send"), {"submission_key": key})
    first_reference = sent_reference(client, "WCH")
    second = client.post(step_url("WCH", "send"), {"submission_key": key})
    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("online_report_sent", args=["WCH"])
    assert sent_reference(client, "WCH") == first_reference
    assert OnlineReport.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_double_send_while_the_first_is_saving_gives_the_same_reference_and_one_email(
    client, organisation
):
    """The second request read the session before the first cleared it: it still holds
    every answer, and only the key tells it the report is already saved."""
    key = walk_to_send(client, "WCH")
    session = client.session
    progress = session["online-report:WCH"]
    client.post(step_url("WCH", "send"), {"submission_key": key})
    first_reference = sent_reference(client, "WCH")
    session = client.session
    session["online-report:WCH"] = progress
    session.pop("online-report-sent:WCH", None)
    session.pop("online-report-sent-key:WCH", None)
    session.save()
    second = client.post(step_url("WCH", "send"), {"submission_key": key})
    assert second.status_code == 302
    assert second["Location"] == reverse("online_report_sent", args=["WCH"])
    assert sent_reference(client, "WCH") == first_reference
    assert OnlineReport.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_double_send_key_in_the_form_is_not_in_the_url(client, organisation):
    key = walk_to_send(client, "WCH")
    response = client.post(step_url("WCH", "send"), {"submission_key": key})
    assert key not in response["Location"]


@pytest.mark.django_db(transaction=True)
def test_double_send_service_returns_the_first_report_for_the_same_key(organisation):
    first = online_report_submit(
        organisation=organisation, answers=ANSWERS, received_at=timezone.now(), submission_key="k1"
    )
    again = online_report_submit(
        organisation=organisation, answers=ANSWERS, received_at=timezone.now(), submission_key="k1"
    )
    other = online_report_submit(
        organisation=organisation, answers=ANSWERS, received_at=timezone.now(), submission_key="k2"
    )
    assert again.pk == first.pk and again.reference == first.reference
    assert other.pk != first.pk
    assert OnlineReport.objects.count() == 2
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_double_send_race_past_the_lookup_returns_the_first_report_not_an_error(
    organisation, monkeypatch
):
    """Both requests looked for the key before either saved: the unique key refuses the
    second row and the second request answers with the first report."""
    first = online_report_submit(
        organisation=organisation, answers=ANSWERS, received_at=timezone.now(), submission_key="k1"
    )
    monkeypatch.setattr(online, "_report_for_key", lambda organisation, key: None)
    again = online_report_submit(
        organisation=organisation, answers=ANSWERS, received_at=timezone.now(), submission_key="k1"
    )
    assert again.pk == first.pk
    assert OnlineReport.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time, so two sends cannot overlap",
)
@pytest.mark.django_db(transaction=True)
def test_double_send_at_the_same_moment_on_postgresql_saves_one_report(organisation, monkeypatch):
    real_lookup = online._report_for_key
    both_looked = threading.Barrier(2)

    def lookup_then_wait(organisation, key):
        found = real_lookup(organisation, key)
        both_looked.wait(timeout=10)  # neither has saved yet: both go on to insert
        return found

    monkeypatch.setattr(online, "_report_for_key", lookup_then_wait)
    results = []

    def send():
        try:
            results.append(
                online_report_submit(
                    organisation=organisation,
                    answers=ANSWERS,
                    received_at=timezone.now(),
                    submission_key="same",
                ).reference
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 2 and results[0] == results[1]
    assert OnlineReport.objects.count() == 1
    assert len(mail.outbox) == 1
