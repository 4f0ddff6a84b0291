"""Redis (the shared cache) down, in-process: a cache backend that raises ConnectionError on
every call. Nothing a resident or an officer saves may fail, and no sign-in either."""

import logging

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseAccess, Note, OnlineReport
from tests.broken_cache import BrokenCache
from tests.cases.factories import make_case
from tests.online_reports import walk
from tests.signin import client_sign_in

PERSONAL = ("Rita", "rita@example.test", "07700", "203.0.113.9", "Derek")


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {"default": {"BACKEND": "tests.broken_cache.BrokenCache"}}
    BrokenCache.calls = 0


@pytest.mark.django_db
def test_report_sent_while_the_cache_is_down_is_saved_flagged_and_acknowledged(
    client, organisation, cache_down, caplog, django_capture_on_commit_callbacks
):
    client.defaults["REMOTE_ADDR"] = "203.0.113.9"
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        response = walk(client, "WCH")
    assert BrokenCache.calls == 1  # the rate limiter reached the cache, and failed
    assert response.status_code == 302
    assert response["Location"] == reverse("online_report_sent", args=["WCH"])
    report = OnlineReport.objects.get()
    assert report.limit_unchecked is True
    assert report.answers["description"].startswith("The man at number 14")
    assert [m.to for m in mail.outbox] == [["rita@example.test"]]
    warnings = [r.getMessage() for r in caplog.records if "rate-limit cache" in r.getMessage()]
    assert warnings == [
        "rate-limit cache unavailable (ConnectionError); online report to WCH accepted and "
        "flagged for review"
    ]
    for record in caplog.records:
        assert not any(word in record.getMessage() for word in PERSONAL), record.getMessage()


@pytest.mark.django_db
def test_report_sent_with_the_cache_up_is_not_flagged(client, organisation):
    assert walk(client, "WCH").status_code == 302
    assert OnlineReport.objects.get().limit_unchecked is False


@pytest.mark.django_db
def test_triage_sees_which_reports_were_sent_while_the_limits_were_down(client, cast, cache_down):
    walk(client, "WCH")
    report = OnlineReport.objects.get()
    client.force_login(cast.officer)
    queue = client.get(reverse("online_reports:queue"))
    assert b"Spam limit not checked" in queue.content
    detail = client.get(reverse("online_reports:detail", args=[report.pk]))
    assert b"spam limits could not be checked" in detail.content


@pytest.mark.django_db
def test_officer_signs_in_and_saves_a_note_while_the_cache_is_down(client, cast, cache_down):
    """Sessions, sign-in lockout (axes) and the access log are in the database: none of an
    officer's save touches the cache."""
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    # The password, then the code from the officer's authenticator: neither step uses the cache.
    response = client_sign_in(client, cast.officer.email, "correct-horse-battery")
    assert response.status_code == 302, response.content[:500]
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    response = client.post(reverse("cases:note_add", args=[case.pk]), {"text": "Rang the PCSO."})
    assert response.status_code == 302
    assert Note.objects.get().author == cast.officer
    # A save is not complete without the view of the case recorded (the access log).
    assert CaseAccess.objects.filter(case=case, user=cast.officer).exists()
    assert BrokenCache.calls == 0


@pytest.mark.django_db
def test_password_reset_is_sent_while_the_cache_is_down(
    client, cast, cache_down, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": cast.officer.email})
    assert BrokenCache.calls == 1
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[cast.officer.email]]
    assert cast.officer.email not in caplog.text


@pytest.mark.django_db
def test_manager_dashboard_is_computed_while_the_cache_is_down(client, cast, cache_down):
    make_case(cast.organisation, cast.staff, received_at=timezone.now())
    client.force_login(cast.manager)
    assert client.get(reverse("dashboards:dashboard")).status_code == 200
    assert BrokenCache.calls >= 1
