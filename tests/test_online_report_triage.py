"""The triage queue: who may see it, and opening, adding or rejecting a report."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    Case,
    CaseAccess,
    CaseParty,
    Incident,
    OnlineReport,
    OnlineReportAccess,
    Person,
)
from cases.models.choices import Channel, PartyRole, ReporterType
from cases.services.intake import case_open
from cases.services.online import online_report_submit
from deadlines.models import Deadline, DeadlineRule

RECEIVED = timezone.datetime(2026, 11, 20, 22, 40, tzinfo=timezone.get_current_timezone())

ANSWERS = {
    "danger": "no",
    "reporter_type": "victim",
    "description": "Shouted racist abuse at me on the stairs.",
    "acts": ["verbal_abuse"],
    "occurred_on": "2026-11-20",
    "time_of_day": "evening",
    "location": "Oak House",
    "grounds": ["race"],
    "known": "yes",
    "perpetrator_name": "Derek Dunn",
    "contact_choice": "contact",
    "full_name": "Rita Resident",
    "phone": "07700 900123",
    "email": "",
    "leave_message": "no",
    "preferred_language": "Polish",
    "interpreter": True,
    "preferred_format": "large_print",
}


def make_report(organisation, received_at=RECEIVED, **answers):
    with time_machine.travel(received_at, tick=False):
        return online_report_submit(
            organisation=organisation, answers={**ANSWERS, **answers}, received_at=received_at
        )


def signed_in(client, user):
    client.force_login(user)
    return client


# --- Permission matrix -------------------------------------------------------------------

EXPECTED = {
    "staff": 200,
    "officer": 200,
    "manager": 200,
    "panel": 403,
    "admin": 200,
    "outsider": 404,
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(EXPECTED))
def test_triage_permission_matrix(client, cast, role):
    report = make_report(cast.organisation)
    user = cast.by_role()[role]
    signed_in(client, user)
    queue = client.get(reverse("online_reports:queue"))
    detail = client.get(reverse("online_reports:detail", args=[report.pk]))
    reject = client.post(reverse("online_reports:reject", args=[report.pk]), {"reason": "spam"})
    if role == "outsider":
        assert queue.status_code == 200  # their own (empty) queue
        assert report.reference not in queue.content.decode()
    else:
        assert queue.status_code == EXPECTED[role]
    assert detail.status_code == EXPECTED[role]
    assert reject.status_code == (302 if EXPECTED[role] == 200 else EXPECTED[role])
    report.refresh_from_db()
    expected_status = "rejected" if EXPECTED[role] == 200 else "new"
    assert report.status == expected_status


@pytest.mark.django_db
def test_signed_out_user_is_sent_to_sign_in(client, organisation):
    report = make_report(organisation)
    response = client.get(reverse("online_reports:detail", args=[report.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_navigation_shows_online_reports_to_those_who_log_cases(client, cast):
    signed_in(client, cast.officer)
    assert b"Online reports" in client.get("/").content
    client.logout()
    signed_in(client, cast.panel)
    assert b"Online reports" not in client.get("/").content


# --- Queue ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [2, 30])
def test_queue_query_count_is_the_same_for_few_and_many(client, cast, rows):
    for _ in range(rows):
        make_report(cast.organisation)
    make_report(cast.other_organisation)
    signed_in(client, cast.officer)
    client.get(reverse("online_reports:queue"))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("online_reports:queue"))
    assert response.status_code == 200
    # 1 session, 2 user, 3 memberships (access), 4 count for the paginator,
    # 5 the page of reports with their case and decider joined, 6 the first-contact rule's
    # words in the policy in force (W08/C17, for the clock; the session, written under a
    # minute ago, is not written again).
    assert len(queries) == 6, [q["sql"] for q in queries]
    assert response.content.decode().count("/online-reports/") >= min(rows, 25)


@pytest.mark.django_db
def test_viewing_a_report_is_logged(client, cast):
    report = make_report(cast.organisation)
    signed_in(client, cast.staff)
    client.get(reverse("online_reports:detail", args=[report.pk]))
    client.get(reverse("online_reports:detail", args=[report.pk]))
    assert OnlineReportAccess.objects.filter(report=report, user=cast.staff).count() == 2


# --- Accepting ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answers", "reporter_type"),
    [
        ({"contact_choice": "anonymous"}, ReporterType.ANONYMOUS),
        ({"reporter_type": "witness"}, ReporterType.WITNESS),
        ({"reporter_type": "on_behalf", "victim_name": "Vera Victim"}, ReporterType.ON_BEHALF),
    ],
    ids=["anonymous", "witness", "on_behalf"],
)
def test_w08_c17_accepting_later_starts_24_hour_clock_from_when_received(
    client, cast, answers, reporter_type
):
    report = make_report(cast.organisation, **answers)
    accepted_at = RECEIVED + timedelta(hours=30)  # a weekend later
    signed_in(client, cast.staff)
    with time_machine.travel(accepted_at):
        response = client.post(
            reverse("online_reports:accept", args=[report.pk]), {"category": "hate_incident"}
        )
    assert response.status_code == 302
    report.refresh_from_db()
    case = report.case
    assert report.status == OnlineReport.Status.ACCEPTED
    assert case.channel == Channel.WEBSITE
    assert case.reporter_type == reporter_type
    # The first-contact deadline (W08) is computed by case_open from received_at, so it
    # runs from the resident's report, not from the acceptance 30 hours later.
    assert case.received_at == RECEIVED
    assert case.created_at >= accepted_at
    first_contact = Deadline.objects.get(case=case, rule=DeadlineRule.W08_FIRST_CONTACT)
    assert first_contact.due_at == RECEIVED + timedelta(hours=24)
    # Already 6 hours late when staff accepted it: the sweep will flag it at once.
    assert first_contact.due_at < accepted_at
    assert case.summary == ANSWERS["description"]


@pytest.mark.django_db
def test_accepting_creates_the_people_and_the_incident_from_the_answers(client, cast):
    report = make_report(cast.organisation)
    signed_in(client, cast.officer)
    client.post(reverse("online_reports:accept", args=[report.pk]), {"category": "hate_incident"})
    case = Case.objects.get()
    roles = {(p.role, p.display_name) for p in case.parties.select_related("person")}
    assert roles == {
        (PartyRole.COMPLAINANT, "Rita Resident"),
        (PartyRole.VICTIM, "Rita Resident"),
        (PartyRole.PERPETRATOR, "Derek Dunn"),
    }
    rita = Person.objects.get(full_name="Rita Resident")
    assert rita.safe_phone is False  # "may we leave a message?" said no
    assert rita.preferred_language == "Polish"
    assert rita.interpreter_needed is True
    assert rita.preferred_format == "large_print"
    incident = Incident.objects.get(case=case)
    assert list(incident.grounds.values_list("ground", flat=True)) == ["race"]
    assert incident.location == "Oak House"
    assert timezone.localtime(incident.occurred_at).hour == 19
    # The case list's search finds it by every name in the report and where it happened.
    for words in ("rita resident", "derek dunn", "oak house"):
        assert words in case.search_document
    assert case.history.get(history_type="+").history_change_reason == "Report logged"
    # The incident's race ground then marks the case as involving hate (W04, NM01).
    assert case.history.first().history_change_reason == "Hostility on a protected ground recorded"
    assert report.history.first().history_change_reason == f"Opened as case {case.reference}"


@pytest.mark.django_db
def test_a_report_cannot_be_accepted_twice(client, cast):
    report = make_report(cast.organisation)
    signed_in(client, cast.officer)
    url = reverse("online_reports:accept", args=[report.pk])
    client.post(url, {"category": "harassment"})
    response = client.post(url, {"category": "harassment"}, follow=True)
    assert b"already been dealt with" in response.content
    assert Case.objects.count() == 1


# --- Adding to an open case (NM01 counts cases, not reports) -----------------------------


@pytest.mark.django_db
def test_nm01_adding_to_an_open_case_records_an_incident_without_a_new_case(client, cast):
    case = case_open(
        organisation=cast.organisation,
        logged_by=cast.officer,
        received_at=RECEIVED - timedelta(days=10),
        channel=Channel.PHONE,
        reporter_type=ReporterType.VICTIM,
        category="hate_incident",
        summary="Earlier abuse.",
    )
    rita = Person.objects.create(organisation=cast.organisation, full_name="Rita Resident")
    CaseParty.objects.create(case=case, person=rita, role=PartyRole.VICTIM)
    report = make_report(cast.organisation)
    signed_in(client, cast.officer)
    page = client.get(reverse("online_reports:detail", args=[report.pk]))
    assert case.reference in page.content.decode()  # offered as a case about the same people
    response = client.post(
        reverse("online_reports:add_to_case", args=[report.pk]), {"case": case.pk}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert Case.objects.count() == 1
    assert report.status == OnlineReport.Status.ADDED
    assert report.case == case
    assert report.incident.case == case
    assert list(report.incident.parties.all()) == [case.parties.get(role=PartyRole.VICTIM)]


@pytest.mark.django_db
def test_cannot_add_to_another_organisations_case(client, cast):
    other_case = case_open(
        organisation=cast.other_organisation,
        logged_by=cast.outsider,
        received_at=RECEIVED,
        channel=Channel.PHONE,
        reporter_type=ReporterType.VICTIM,
        category="harassment",
        summary="Elsewhere.",
    )
    report = make_report(cast.organisation)
    signed_in(client, cast.officer)
    response = client.post(
        reverse("online_reports:add_to_case", args=[report.pk]), {"case": other_case.pk}
    )
    assert response.status_code == 400
    assert b"Choose one of the cases offered." in response.content
    report.refresh_from_db()
    assert report.status == OnlineReport.Status.NEW


# --- Rejecting ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_rejecting_needs_a_reason_and_is_recorded(client, cast):
    report = make_report(cast.organisation)
    signed_in(client, cast.manager)
    url = reverse("online_reports:reject", args=[report.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    response = client.post(url, {"reason": "duplicate", "note": "Same as WCH-R-ABCDEFGH"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == OnlineReport.Status.REJECTED
    assert report.reject_reason == "duplicate"
    assert report.decided_by == cast.manager
    latest = report.history.first()
    assert latest.history_change_reason == "Rejected"
    assert latest.history_user == cast.manager


@pytest.mark.django_db
def test_report_page_shows_the_answers_in_plain_words(client, cast):
    report = make_report(cast.organisation)
    client.force_login(cast.officer)
    html = client.get(reverse("online_reports:detail", args=[report.pk])).content.decode()
    assert "Race or ethnicity" in html
    assert "Verbal abuse or insults" in html
    assert "Rita Resident" in html


@pytest.mark.django_db
def test_no_store_on_an_online_report_and_its_attachment(client, cast, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    report = make_report(cast.organisation)
    report.upload.save("photo.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    signed_in(client, cast.staff)
    for name in ("online_reports:detail", "online_reports:upload"):
        response = client.get(reverse(name, args=[report.pk]))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert response["Pragma"] == "no-cache"


@pytest.mark.django_db
def test_access_log_an_online_report_on_a_case_is_logged_against_the_case(client, cast):
    report = make_report(cast.organisation)
    signed_in(client, cast.officer)
    client.get(reverse("online_reports:detail", args=[report.pk]))
    assert not CaseAccess.objects.exists()  # not on a case yet: only the report's own log
    client.post(
        reverse("online_reports:accept", args=[report.pk]),
        {"category": "hate_incident"},
    )
    report.refresh_from_db()
    assert report.case_id is not None
    CaseAccess.objects.all().delete()
    client.get(reverse("online_reports:detail", args=[report.pk]))
    assert list(CaseAccess.objects.values_list("case_id", "user_id", "action", "object_id")) == [
        (report.case_id, cast.officer.pk, CaseAccess.Action.VIEWED_ONLINE_REPORT, report.pk)
    ]


# --- What to do next: the first-contact clock, plain words --------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now", "status", "overdue"),
    [
        # Received Friday 20 Nov 22:40: first contact within 24 hours (W08/C17).
        ((2026, 11, 20, 22, 41), "Due tomorrow by 22:40", False),
        ((2026, 11, 21, 22, 40), "Due today by 22:40", False),
        ((2026, 11, 21, 22, 41), "Overdue since 22:40 today", True),
        ((2026, 11, 21, 23, 59), "Overdue since 22:40 today", True),
        ((2026, 11, 22, 0, 0), "Overdue by 1 day", True),
        # Saturday to Monday: two days, none of them a working day until Monday.
        ((2026, 11, 23, 9, 0), "Overdue by 2 days (1 working day)", True),
    ],
)
def test_w08_c17_queue_shows_each_reports_first_contact_clock_and_marks_overdue(
    client, cast, now, status, overdue
):
    from policy.calendar import LONDON
    from policy.settings import Preset
    from tests.deadline_helpers import apply_preset

    apply_preset(cast.organisation, Preset.WCH_2022)
    report = make_report(
        cast.organisation, received_at=timezone.datetime(2026, 11, 20, 22, 40, tzinfo=LONDON)
    )
    signed_in(client, cast.officer)
    with time_machine.travel(timezone.datetime(*now, tzinfo=LONDON), tick=False):
        body = client.get(reverse("online_reports:queue")).content.decode()
        detail = client.get(reverse("online_reports:detail", args=[report.pk])).content.decode()
    assert f">{status}</span>" in body
    assert ('class="badge text-bg-danger">Overdue' in body) is overdue
    assert 'datetime="2026-11-21T22:40:00+00:00"' in body
    # The promise in plain words; the clause code only behind "Why is first contact due?".
    assert "W08 (000 §6.2)" in body.split("<summary>Why is first contact due?</summary>")[1]
    assert f"First contact {status[0].lower()}{status[1:]}" in detail
    assert "<summary>Why is this due?</summary>W08 (000 §6.2)" in detail


@pytest.mark.django_db
def test_triaged_reports_have_no_clock(client, cast):
    report = make_report(cast.organisation)
    OnlineReport.objects.filter(pk=report.pk).update(
        status=OnlineReport.Status.REJECTED, reject_reason="spam"
    )
    signed_in(client, cast.officer)
    body = client.get(reverse("online_reports:queue") + "?status=all").content.decode()
    assert "Triaged" in body and "Overdue" not in body


@pytest.mark.django_db
def test_reject_form_pre_selects_no_reason(client, cast):
    report = make_report(cast.organisation)
    signed_in(client, cast.officer)
    body = client.get(reverse("online_reports:detail", args=[report.pk])).content.decode()
    assert '<select name="reason"' not in body
    radios = re.findall(r'<input[^>]*name="reason"[^>]*>', body)
    assert len(radios) == 3 and not any("checked" in line for line in radios)
    response = client.post(reverse("online_reports:reject", args=[report.pk]), {"reason": ""})
    assert "Select why you are rejecting the report" in response.content.decode()


@pytest.mark.django_db
def test_report_page_shows_words_not_stored_values(client, cast):
    report = make_report(cast.organisation, reporter_type="on_behalf", victim_knows="not_sure")
    signed_in(client, cast.officer)
    body = client.get(reverse("online_reports:detail", args=[report.pk])).content.decode()
    assert 'Safe e-mail</dt><dd class="col-sm-8">not given</dd>' in body
    assert "Large print" in body and "large_print" not in body
    assert "Someone on the victim&#x27;s behalf" in body and "On_behalf" not in body
    assert "knows they are reporting: not sure" in body
    assert ", evening" in body
    assert ">None<" not in body
