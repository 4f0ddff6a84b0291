from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseAccess, CaseParty
from cases.services.notes import note_add
from cases.services.parties import party_add
from cases.services.records import contact_log, incident_record
from cases.services.reviews import case_review_record
from tests.cases.factories import PersonFactory, make_case

pytestmark = pytest.mark.django_db


def page(case):
    return reverse("cases:detail", args=[case.pk])


def _fill(case, by, n):
    victim = party_add(
        case=case,
        by=by,
        role="victim",
        person=PersonFactory(organisation=case.organisation, date_of_birth=None),
    )
    perp = party_add(case=case, by=by, role="perpetrator", perpetrator_kind="unknown")
    for i in range(n):
        incident_record(
            case=case,
            by=by,
            occurred_at=timezone.now() - timedelta(hours=3, minutes=i),
            description=f"Incident {i}",
            acts=["threats", "graffiti"],
            grounds=["race"],
            perceived_by="victim",
            parties=[victim, perp],
        )
        contact_log(
            case=case,
            by=by,
            occurred_at=timezone.now() - timedelta(hours=1, minutes=i),
            method="phone",
            direction="outbound",
            purpose="welfare_call",
            party=victim,
        )
        note_add(case=case, by=by, text=f"Note {i}")
        case_review_record(
            case=case,
            by=by,
            reviewed_at=timezone.now() - timedelta(minutes=i + 1),
            outcome="continue",
            summary=f"Review {i}",
        )
    return victim, perp


def test_case_page_shows_one_timeline_newest_first_and_logs_the_opening(client, cast):
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    _fill(case, cast.officer, 2)
    client.force_login(cast.officer)
    response = client.get(page(case))
    assert response.status_code == 200
    times = [entry["at"] for entry in response.context["timeline"]]
    assert times == sorted(times, reverse=True)
    kinds = {entry["kind"] for entry in response.context["timeline"]}
    assert kinds == {"incident", "contact", "note", "review", "party"}
    assert CaseAccess.objects.filter(case=case, user=cast.officer, action="viewed").count() == 1


def test_timeline_entries_show_acts_grounds_people_and_their_links(client, cast):
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    victim, perp = _fill(case, cast.officer, 1)
    incident = case.incidents.get()
    client.force_login(cast.officer)
    body = client.get(page(case)).content.decode()
    assert "Graffiti or offensive written material, Threats of violence" in body
    assert "because of: Race or ethnicity<" in body
    assert f"Involved: {victim}; {perp}." in body
    # Each link built once per kind of row still points at its own row.
    edit = reverse("cases:incident_edit", args=[case.pk, incident.pk])
    involved = reverse("cases:incident_parties", args=[case.pk, incident.pk])
    assert f'href="{edit}"' in body and f'href="{involved}"' in body
    assert f'href="{reverse("cases:person", args=[victim.person_id])}"' in body
    assert f'action="{reverse("cases:party_remove", args=[case.pk, perp.pk])}"' in body
    # Someone who may not work the case sees the entries without the links.
    client.force_login(cast.staff)
    body = client.get(page(case)).content.decode()
    assert "Threats of violence" in body and f'href="{edit}"' not in body


def test_w08_case_page_shows_the_cases_deadlines(client, cast):
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    client.force_login(cast.officer)
    response = client.get(page(case))
    rules = [d.rule for d in response.context["deadlines"]]
    assert "w08_first_contact" in rules
    body = response.content.decode()
    assert 'data-rule="w08_first_contact"' in body
    assert "W08 (000 §6.2)" in body


def test_what_needs_doing_next_lists_missing_steps(client, cast):
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    client.force_login(cast.officer)
    steps = [t.text for t in client.get(page(case)).context["tasks"]]
    assert any("victim" in s for s in steps)
    assert any("Record the incident" in s for s in steps)


def test_c15_hate_crime_case_shows_the_safety_checklist_first(client, cast):
    hate = make_case(cast.organisation, cast.staff, category="hate_crime")
    plain = make_case(cast.organisation, cast.staff)
    client.force_login(cast.manager)
    body = client.get(page(hate)).content.decode()
    assert 'data-testid="safety-checklist"' in body
    assert body.index("safety-checklist") < body.index("next-steps")
    assert "999" in body and "101" in body and "safeguarding" in body
    assert b"safety-checklist" not in client.get(page(plain)).content


def test_w03_two_incidents_by_the_same_perpetrator_against_the_same_victim_show_course_of_conduct(
    client, cast
):
    case = make_case(cast.organisation, cast.staff)
    victim = party_add(
        case=case,
        by=cast.officer,
        role="victim",
        person=PersonFactory(organisation=cast.organisation),
    )
    perp = party_add(case=case, by=cast.officer, role="perpetrator", perpetrator_kind="unknown")
    kwargs = {"case": case, "by": cast.officer, "description": "Threats", "acts": ["threats"]}
    incident_record(
        occurred_at=timezone.now() - timedelta(days=2), parties=[victim, perp], **kwargs
    )
    client.force_login(cast.manager)
    assert b"course-of-conduct" not in client.get(page(case)).content
    incident_record(
        occurred_at=timezone.now() - timedelta(days=1), parties=[victim, perp], **kwargs
    )
    case.refresh_from_db()
    assert case.course_of_conduct
    assert b'data-testid="course-of-conduct"' in client.get(page(case)).content
    # The flag's change is kept in the case's history.
    assert case.history.filter(course_of_conduct=True).exists()


def test_w03_incidents_against_different_victims_are_not_a_course_of_conduct(cast):
    case = make_case(cast.organisation, cast.staff)
    perp = party_add(case=case, by=cast.officer, role="perpetrator", perpetrator_kind="group")
    for _ in range(2):
        victim = party_add(
            case=case,
            by=cast.officer,
            role="victim",
            person=PersonFactory(organisation=cast.organisation),
        )
        incident_record(
            case=case,
            by=cast.officer,
            occurred_at=timezone.now() - timedelta(days=1),
            description="Damage",
            acts=["vandalism"],
            parties=[victim, perp],
        )
    case.refresh_from_db()
    assert not case.course_of_conduct


# Each record adds an incident, a contact, a note and a case review: 3 records make a
# timeline of 14 entries (with the two people added), 50 records one of 202.
@pytest.mark.parametrize(("records", "entries"), [(3, 14), (50, 202)])
@pytest.mark.parametrize("cases", [10, 200])
def test_case_page_query_count_is_pinned(client, cast, cases, records, entries):
    for _ in range(cases - 1):
        make_case(cast.organisation, cast.staff)
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    _fill(case, cast.officer, records)
    client.force_login(cast.officer)
    client.get(page(case))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page(case))
    assert response.status_code == 200
    assert len(response.context["timeline"]) == entries
    # session, user, memberships (access); the case with organisation, area, officer and creator;
    # which kinds of record the case has (one query: a UNION of a probe by case in each table);
    # parties with people and tenancy holders; incidents with recorder; their acts, grounds and
    # parties in one UNION ALL; contacts with recorder (their parties are the page's); notes with
    # authors; C26 case reviews with reviewers; the deadlines panel; the organisation's policy
    # settings (its working calendar, for the task list's "due in N working days"); the
    # CaseAccess insert. The
    # session is not written (the first request wrote it under a minute ago). Evidence and the case-
    # work panels (risk, support, safeguarding, plan, repairs, enforcement, letters, concerns,
    # closures, transfers) have no rows here, so cost no query; welfare calls and police per
    # incident come from the page's contacts and incidents.
    assert len(queries) == 14, "\n".join(q["sql"][:90] for q in queries)
    assert CaseParty.objects.filter(case=case).count() == 2


def test_timeline_rows_escape_what_people_typed_and_keep_their_line_breaks(client, cast):
    # The rows are drawn in Python (cases/views/timeline.py), not by the template engine:
    # what an officer typed is escaped as the template escaped it.
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    victim = party_add(
        case=case,
        by=cast.officer,
        role="victim",
        person=PersonFactory(organisation=case.organisation),
    )
    incident_record(
        case=case,
        by=cast.officer,
        occurred_at=timezone.now() - timedelta(hours=1),
        location='<i>Block "A"</i>',
        description="<script>x()</script>\nsecond line",
        acts=["threats"],
        grounds=[],
        perceived_by="victim",
        parties=[victim],
    )
    note_add(case=case, by=cast.officer, text="<b>bold</b>\nline two")
    client.force_login(cast.officer)
    body = client.get(page(case)).content.decode()
    assert "<b>bold</b>" not in body and "<script>x()" not in body
    assert "<strong>Note</strong> by " in body
    assert "<div>&lt;b&gt;bold&lt;/b&gt;<br>line two</div>" in body
    assert "<strong>Incident</strong> at &lt;i&gt;Block &quot;A&quot;&lt;/i&gt;:" in body
    assert "<div>&lt;script&gt;x()&lt;/script&gt;<br>second line</div>" in body
    assert f"Involved: {victim}. Police: " in body
    assert 'class="visually-hidden"> the incident of ' in body  # the officer may edit it
