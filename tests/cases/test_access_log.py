"""Every view that shows case data logs the access, structurally: each case-scoped URL
pattern resolves to a view wrapped by a decorator of cases/views/access.py."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts import permissions
from accounts.models import Role
from cases.models import CaseAccess, CaseParty
from cases.models.choices import PartyRole
from cases.views.access import CASE_SCOPED, case_view
from risk.services import assessment_complete, question_set_ensure_default
from tests.cases.factories import PersonFactory, make_case
from tests.factories import member

# A pattern is case-scoped when its route names a case id or a person id ...
CASE_ROUTE = re.compile(r"(^|/)cases?/<int:(pk|case_pk)>/")
PERSON_ROUTE = re.compile(r"(^|/)people/<int:pk>/")
CASE_KWARG = re.compile(r"<(?:\w+:)?(case_pk|case_id|person_pk|person_id)>")

# ... or when it is keyed by something that belongs to a case and shows the case's data.
OBJECT_TO_CASE = {
    "transfers:referral_detail": "a referral shows the case's household and incidents",
    "transfers:referral_progress": "posts on a referral, and shows it again on error",
    "transfers:panel_request": "the panel's summary names the household",
    "transfers:panel_decide": "decides on a referral's request",
    "online_reports:detail": "a report on a case is part of the case file",
    "online_reports:upload": "a report's attachment is evidence of the case",
    "online_reports:accept": "posts on a report",
    "online_reports:add_to_case": "posts on a report",
    "online_reports:reject": "posts on a report",
    "deadlines:waive": "a deadline belongs to a case and its page names it",
}

# Patterns that look case-scoped but show no case data (each with its reason).
NOT_CASE_DATA: dict[str, str] = {}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, space)
        elif isinstance(entry, URLPattern):
            yield route, f"{namespace}{entry.name}" if entry.name else route, entry.callback


def _case_scoped_patterns():
    for route, name, callback in _walk(get_resolver().url_patterns):
        if name in NOT_CASE_DATA:
            continue
        if (
            CASE_ROUTE.search(route)
            or PERSON_ROUTE.search(route)
            or CASE_KWARG.search(route)
            or name in OBJECT_TO_CASE
        ):
            yield route, name, callback


def test_access_log_every_case_scoped_url_pattern_goes_through_the_logging_decorator():
    scoped = list(_case_scoped_patterns())
    names = {name for _, name, _ in scoped}
    # The walk itself must find the case pages, or this test would pass on nothing.
    assert {
        "cases:detail",
        "cases:person",
        "cases:person_edit",
        "risk:assessment_detail",
        "enforcement:remedies",
        "letters:download",
        "transfers:referral_create",
    } <= names
    assert len(scoped) >= 50
    unlogged = [
        f"{name} ({route})" for route, name, cb in scoped if not getattr(cb, CASE_SCOPED, 0)
    ]
    assert unlogged == [], "Case-scoped views that do not log the access: " + ", ".join(unlogged)
    # And each logs an action the audit trail can name.
    assert {cb.haven_case_action for _, _, cb in scoped} <= set(CaseAccess.Action.values)


def test_access_log_registries_name_only_real_url_patterns():
    names = {name for _, name, _ in _walk(get_resolver().url_patterns)}
    assert set(OBJECT_TO_CASE) <= names
    assert set(NOT_CASE_DATA) <= names


def test_access_log_marker_survives_the_role_check_around_the_decorator():
    """The walk reads the outermost callback: the mark must reach it through role_required."""

    def page(request, case):
        return None

    assert not getattr(page, CASE_SCOPED, False)
    wrapped = permissions.role_required(permissions.WORK_CASES)(case_view("viewed")(page))
    assert getattr(wrapped, CASE_SCOPED) is True


# --- What each page records ------------------------------------------------------------

A = CaseAccess.Action

# Every page keyed only by the case, opened by GET, and what it records.
CASE_PAGES = {
    "cases:detail": A.VIEWED,
    "cases:edit": A.OPENED_CASE_FORM,
    "cases:recategorise": A.OPENED_CASE_FORM,
    "cases:reassign": A.OPENED_CASE_FORM,
    "cases:restrict": A.OPENED_CASE_FORM,
    "cases:audit": A.VIEWED_HISTORY,
    "cases:party_add": A.OPENED_CASE_FORM,
    "cases:incident_add": A.OPENED_CASE_FORM,
    "cases:contact_add": A.OPENED_CASE_FORM,
    "cases:note_add": A.OPENED_CASE_FORM,
    "cases:review_add": A.OPENED_CASE_FORM,
    "cases:contact_frequency": A.OPENED_CASE_FORM,
    "cases:evidence_add": A.OPENED_CASE_FORM,
    "risk:assessment_new": A.OPENED_RISK_FORM,
    "support:offer": A.OPENED_SUPPORT,
    "support:safeguarding": A.OPENED_SUPPORT,
    "support:welfare_call": A.OPENED_SUPPORT,
    "support:plan_action_add": A.OPENED_PLAN,
    "support:plan_agree": A.OPENED_PLAN,
    "repairs:new": A.OPENED_REPAIR,
    "enforcement:remedies": A.VIEWED_ENFORCEMENT,
    "enforcement:action_new": A.OPENED_ENFORCEMENT_FORM,
    "enforcement:conviction_new": A.OPENED_ENFORCEMENT_FORM,
    "letters:issue": A.OPENED_LETTER_FORM,
    "letters:concern_raise": A.OPENED_CLOSING_FORM,
    "letters:close": A.OPENED_CLOSING_FORM,
    "letters:follow_up": A.OPENED_CLOSING_FORM,
    "transfers:referral_create": A.OPENED_REFERRAL_FORM,
    "retention:hold_place": A.OPENED_CASE_FORM,
    "retention:hold_release": A.OPENED_CASE_FORM,
}


@pytest.fixture
def case(cast):
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    CaseParty.objects.create(
        case=case,
        role=PartyRole.VICTIM,
        person=PersonFactory(organisation=cast.organisation, full_name="Vera Victim"),
    )
    return case


def test_access_log_case_pages_table_covers_every_page_keyed_only_by_the_case():
    """A new case page must be added to CASE_PAGES (and so have its action tested)."""
    only_case = {
        name
        for route, name, _ in _case_scoped_patterns()
        if CASE_ROUTE.search(route) and route.count("<") == 1
    }
    post_only = {"cases:party_remove", "support:plan_issue"}
    # Pages that only make sense at a later stage of the case; each has its own test below.
    later = {
        "letters:concern_evidence",
        "letters:concern_decide",
        "letters:appeal",
        "letters:satisfaction",
        "support:plan_review",
    }
    assert only_case - post_only - later == set(CASE_PAGES)


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(CASE_PAGES))
def test_access_log_visiting_each_case_page_records_exactly_one_row_with_its_action(
    client, cast, case, name
):
    client.force_login(cast.manager)
    kwarg = "case_pk" if name == "transfers:referral_create" else "pk"
    response = client.get(reverse(name, kwargs={kwarg: case.pk}))
    assert response.status_code in (200, 302)
    rows = list(CaseAccess.objects.values_list("case_id", "user_id", "action", "object_id"))
    assert rows == [(case.pk, cast.manager.pk, CASE_PAGES[name], None)]


@pytest.mark.django_db
def test_access_log_risk_assessment_detail_records_the_assessment(client, cast, case):
    question_set = question_set_ensure_default(organisation=cast.organisation)
    answers = {
        q.pk: min(q.options.all(), key=lambda o: o.score).pk for q in question_set.questions.all()
    }
    assessment = assessment_complete(
        case=case,
        by=cast.officer,
        question_set=question_set,
        method="telephone",
        respondent=case.parties.get(),
        completed_at=timezone.now() - timedelta(minutes=5),
        answers=answers,
    )
    client.force_login(cast.officer)
    response = client.get(reverse("risk:assessment_detail", args=[case.pk, assessment.pk]))
    assert response.status_code == 200
    assert list(CaseAccess.objects.values_list("action", "object_id")) == [
        (A.VIEWED_RISK, assessment.pk)
    ]
    # An assessment that is not on this case: 404, and nothing logged.
    assert client.get(reverse("risk:assessment_detail", args=[case.pk, 999999])).status_code == 404
    assert CaseAccess.objects.count() == 1


@pytest.mark.django_db
def test_access_log_a_post_records_one_submitted_row(client, cast, case):
    client.force_login(cast.officer)
    response = client.post(reverse("cases:note_add", args=[case.pk]), {"text": "Called her."})
    assert response.status_code == 302
    assert list(CaseAccess.objects.values_list("action", flat=True)) == [A.SUBMITTED]


@pytest.mark.django_db
def test_access_log_refused_case_records_nothing(client, cast, case):
    case.restricted = True
    case.assigned_officer = cast.manager
    case.save()
    colleague = member(cast.organisation, Role.OFFICER, full_name="Colin Colleague")
    client.force_login(colleague)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(reverse("enforcement:remedies", args=[case.pk])).status_code == 404
    assert not CaseAccess.objects.exists()


@pytest.mark.django_db
def test_access_log_person_page_records_one_row_per_case_the_user_may_open(client, cast):
    vera = PersonFactory(organisation=cast.organisation, full_name="Vera Victim")
    open_cases = [make_case(cast.organisation, cast.staff) for _ in range(2)]
    hidden = make_case(cast.organisation, cast.staff, assigned_officer=cast.manager)
    hidden.restricted = True
    hidden.save()
    for each in [*open_cases, hidden]:
        CaseParty.objects.create(case=each, role=PartyRole.VICTIM, person=vera)
    # Twice on one case: still one row for it.
    CaseParty.objects.create(case=open_cases[0], role=PartyRole.WITNESS, person=vera)
    client.force_login(cast.officer)
    for name, action in (
        ("cases:person", A.VIEWED_PERSON),
        ("cases:person_edit", A.OPENED_PERSON_FORM),
    ):
        CaseAccess.objects.all().delete()
        assert client.get(reverse(name, args=[vera.pk])).status_code == 200
        rows = sorted(CaseAccess.objects.values_list("case_id", "user_id", "action", "object_id"))
        assert rows == [(c.pk, cast.officer.pk, action, vera.pk) for c in open_cases]


@pytest.mark.django_db
def test_access_log_person_page_logs_in_one_insert(client, cast):
    vera = PersonFactory(organisation=cast.organisation, full_name="Vera Victim")
    for _ in range(3):
        CaseParty.objects.create(
            case=make_case(cast.organisation, cast.staff), role=PartyRole.VICTIM, person=vera
        )
    client.force_login(cast.officer)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("cases:person", args=[vera.pk]))
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "cases_caseaccess"')]
    assert len(inserts) == 1
    assert CaseAccess.objects.count() == 3


@pytest.mark.django_db
def test_access_log_case_page_adds_one_insert_and_no_extra_select(client, cast, case):
    client.force_login(cast.officer)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("cases:detail", args=[case.pk]))
    access_queries = [q["sql"] for q in queries if "cases_caseaccess" in q["sql"]]
    assert len(access_queries) == 1 and access_queries[0].startswith("INSERT")
    case_selects = [
        q for q in queries if q["sql"].startswith("SELECT") and 'FROM "cases_case" ' in q["sql"]
    ]
    assert len(case_selects) == 1


@pytest.mark.django_db
def test_access_log_entries_show_on_the_audit_trail_in_plain_words(client, cast, case):
    client.force_login(cast.manager)
    client.get(reverse("enforcement:remedies", args=[case.pk]))
    client.get(reverse("cases:edit", args=[case.pk]))
    page = client.get(reverse("cases:audit", args=[case.pk])).content.decode()
    assert "Viewed tenancy enforcement" in page
    assert "Opened a form to change the case file" in page
