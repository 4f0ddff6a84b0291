"""Retention pages tried by the whole cast: managers and organisation admins only (others
403), another organisation's case or person a 404; the schedule changed by organisation
admins with the error beside the field; the overview's query count pinned."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseAccess, CaseParty, Person
from cases.models.choices import PartyRole
from retention.models import ErasureRequest, LegalHold, RetentionKind, RetentionRule, RetentionRun
from retention.services.holds import legal_hold_place
from retention.sweep import retention_sweep
from tests.cases.factories import make_case

from .conftest import london

pytestmark = pytest.mark.django_db

ROLES = ("staff", "officer", "manager", "panel", "admin", "outsider")
MANAGERS_ONLY = {
    "staff": 403,
    "officer": 403,
    "manager": 200,
    "panel": 403,
    "admin": 200,
    "outsider": 200,  # a manager too, of their own organisation: sees only its own
}


@pytest.fixture
def case(cast):
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    CaseParty.objects.create(
        case=case,
        role=PartyRole.VICTIM,
        person=Person.objects.create(organisation=cast.organisation, full_name="Vera Victim"),
    )
    return case


def _urls(case):
    person = case.parties.get().person_id
    return {
        "retention:overview": reverse("retention:overview"),
        "retention:dry_run": reverse("retention:dry_run"),
        "retention:schedule": reverse("retention:schedule"),
        "retention:erasure_list": reverse("retention:erasure_list"),
        "retention:hold_place": reverse("retention:hold_place", args=[case.pk]),
        "retention:erasure_new": reverse("retention:erasure_new", args=[person]),
    }


# Pages keyed by this organisation's case or person: the outsider gets a 404.
KEYED = {"retention:hold_place", "retention:erasure_new"}


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_and_organisation_admins_open_retention_pages(client, cast, case, role):
    client.force_login(cast.by_role()[role])
    for name, url in _urls(case).items():
        expected = MANAGERS_ONLY[role]
        if role == "outsider" and name in KEYED:
            expected = 404
        assert client.get(url).status_code == expected, (name, role)


def test_only_organisation_admins_change_the_schedule(client, cast):
    url = reverse("retention:rule_edit", args=[RetentionKind.CLOSED_CASE])
    data = {"amount": "7", "unit": "years", "reason": "Insurer asks for seven years"}
    for user in (cast.manager, cast.officer):
        client.force_login(user)
        assert client.post(url, data).status_code == 403
    client.force_login(cast.admin)
    response = client.post(url, {**data, "reason": ""})
    assert response.status_code == 200
    assert "Enter why the records are kept this long" in response.content.decode()
    assert response.context["form"]["amount"].value() == "7"  # input kept
    assert not RetentionRule.objects.exists()
    assert client.post(url, data).status_code == 302
    rule = RetentionRule.objects.get(organisation=cast.organisation)
    assert (rule.amount, rule.unit, rule.updated_by) == (7, "years", cast.admin)
    page = client.get(reverse("retention:schedule")).content.decode()
    assert "Insurer asks for seven years" in page and "7 years" in page
    assert client.get(reverse("retention:rule_edit", args=["no_such_kind"])).status_code == 404
    # Another organisation's schedule is its own.
    client.force_login(cast.outsider)
    assert "Insurer asks" not in client.get(reverse("retention:schedule")).content.decode()


def test_manager_places_and_releases_a_hold_by_post_with_the_reason_kept_in_history(
    client, cast, case
):
    client.force_login(cast.manager)
    url = reverse("retention:hold_place", args=[case.pk])
    response = client.post(url, {"reason": ""})
    assert (
        response.status_code == 200
        and "Enter why the case must be kept" in response.content.decode()
    )
    assert client.post(url, {"reason": "Ombudsman complaint 2026/88"}).status_code == 302
    hold = LegalHold.objects.get(case=case)
    assert hold.placed_by == cast.manager and hold.standing
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Ombudsman complaint 2026/88" in page and "Release the hold" in page
    assert client.post(url, {"reason": "Again"}).status_code == 200  # one standing hold
    assert LegalHold.objects.filter(case=case).count() == 1

    release = reverse("retention:hold_release", args=[case.pk])
    assert client.post(release, {"reason": "Complaint closed"}).status_code == 302
    hold.refresh_from_db()
    assert hold.released_by == cast.manager and hold.release_reason == "Complaint closed"
    reasons = set(hold.history.values_list("history_change_reason", flat=True))
    assert {"Legal hold placed", "Legal hold released"} <= reasons
    # The case's audit trail lists both.
    audit = client.get(reverse("cases:audit", args=[case.pk])).content.decode()
    assert "Legal hold" in audit and "Complaint closed" in audit


def test_outsider_cannot_hold_another_organisations_case(client, cast, case):
    client.force_login(cast.outsider)
    url = reverse("retention:hold_place", args=[case.pk])
    assert client.post(url, {"reason": "Mine now"}).status_code == 404
    assert not LegalHold.objects.exists()
    assert not CaseAccess.objects.filter(user=cast.outsider).exists()


def test_erasure_request_recorded_and_decided_through_the_pages(client, cast, case):
    person = case.parties.get().person
    client.force_login(cast.manager)
    new = reverse("retention:erasure_new", args=[person.pk])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(new, {"received_on": tomorrow, "channel": "email", "grounds": "All"})
    assert "That date is in the future." in response.content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(new, {"received_on": today, "channel": "email", "grounds": "All"})
    request = ErasureRequest.objects.get()
    assert response.url == reverse("retention:erasure_decide", args=[person.pk, request.pk])
    listing = client.get(reverse("retention:erasure_list")).content.decode()
    assert "Vera Victim" in listing and "Waiting for a decision" in listing
    response = client.post(response.url, {"decision": "erase", "reason": "No exemption"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.full_name == "Anonymised person"
    request.refresh_from_db()
    assert request.decision == "erased" and request.decided_by == cast.manager
    # The outsider cannot reach the request through their own people.
    client.force_login(cast.outsider)
    decide = reverse("retention:erasure_decide", args=[person.pk, request.pk])
    assert client.get(decide).status_code == 404


def _closed_cases(cast, count):
    closed = london(2020, 1, 10, 12)
    with time_machine.travel(closed - timedelta(days=1), tick=False):
        cases = [make_case(cast.organisation, cast.staff) for _ in range(count)]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(status="closed", closed_at=closed)
    return cases


@pytest.mark.parametrize("count", [1, 12])
def test_overview_lists_what_goes_next_month_in_a_fixed_number_of_queries(client, cast, count):
    cases = _closed_cases(cast, count)
    legal_hold_place(case=cases[0], by=cast.manager, reason="Claim")
    client.force_login(cast.manager)
    with time_machine.travel(london(2025, 12, 20, 9), tick=False):
        client.get(reverse("retention:overview"))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("retention:overview"))
    page = response.content.decode()
    assert response.context["due"].cases_count == count - 1
    assert response.context["due"].held_cases[0].pk == cases[0].pk
    if count > 1:
        assert cases[-1].reference in page
    # session, user, memberships; the schedule (rules); due cases, their count; held cases
    # and their holds (prefetch); rejected reports and count; transfers and count; the two
    # access-log counts; the standing holds; the latest runs; pending erasure requests.
    assert len(queries) == 18, "\n".join(q["sql"][:90] for q in queries)


def test_dry_run_page_shows_what_would_go_now_and_changes_nothing(client, cast):
    (case,) = _closed_cases(cast, 1)
    client.force_login(cast.manager)
    with time_machine.travel(london(2026, 1, 10, 12, 0, 1), tick=False):
        page = client.get(reverse("retention:dry_run")).content.decode()
    assert case.reference in page
    case.refresh_from_db()
    assert case.summary != "[removed]"
    with time_machine.travel(london(2026, 1, 10, 12, 0, 1), tick=False):
        retention_sweep(run_id="after")
    case.refresh_from_db()
    assert case.summary == "[removed]"


def test_public_privacy_page_states_the_organisations_schedule(client, cast):
    url = reverse("online_report_privacy", args=[cast.organisation.code])
    page = client.get(url).content.decode()
    assert "A case: 6 years after it is closed." in page
    assert "90 days after we decide" in page
    RetentionRule.objects.create(
        organisation=cast.organisation,
        kind=RetentionKind.CLOSED_CASE,
        amount=7,
        unit="years",
        reason="Insurer",
        updated_by=cast.admin,
    )
    assert "A case: 7 years after it is closed." in client.get(url).content.decode()


def test_run_page_lists_counts_in_words_and_record_numbers_only(client, cast):
    (case,) = _closed_cases(cast, 1)
    with time_machine.travel(london(2026, 1, 10, 12, 0, 1), tick=False):
        retention_sweep(run_id="page")
    client.force_login(cast.manager)
    overview = client.get(reverse("retention:overview")).content.decode()
    assert "Closed cases anonymised: 1" in overview
    run = RetentionRun.objects.get()
    page = client.get(reverse("retention:run", args=[run.pk])).content.decode()
    assert "Closed cases anonymised" in page and f"<td>{case.pk}</td>" in page
    client.force_login(cast.outsider)
    assert client.get(reverse("retention:run", args=[run.pk])).status_code == 404
