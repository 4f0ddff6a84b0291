"""My work, team deadlines, waiving and policy settings: permissions, contents, queries."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from deadlines.models import Deadline, DeadlineRule, DeadlineState
from deadlines.selectors import deadlines_for_case
from deadlines.sweep import deadlines_sweep
from policy.models import PolicySettings
from policy.settings import Preset
from tests.deadline_helpers import apply_preset, london, open_case

pytestmark = pytest.mark.django_db
NOW = london(2026, 11, 10, 8, 0)  # Tuesday
RECEIVED = london(2026, 11, 9, 9, 0)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def circle(cast):
    apply_preset(cast.organisation, Preset.CIRCLE_ANGLIA_2009)
    return cast


@pytest.fixture
def wch(cast):
    apply_preset(cast.organisation, Preset.WCH_2022)
    return cast


@pytest.mark.parametrize(
    ("url_name", "allowed"),
    [
        ("deadlines:my_work", {"officer", "manager"}),
        ("deadlines:team", {"manager", "admin"}),
        ("policy:settings", {"admin"}),
    ],
)
def test_deadline_pages_permission_matrix(client, cast, url_name, allowed):
    assert client.get(reverse(url_name)).status_code == 302  # signed out: to the login page
    for role, user in cast.by_role().items():
        client.force_login(user)
        # The outsider holds officer, manager and admin roles in their own organisation, so
        # reaches each page, scoped to that organisation (see the next test).
        expected = 200 if role in allowed or role == "outsider" else 403
        assert client.get(reverse(url_name)).status_code == expected, role


def test_outsider_sees_none_of_this_organisations_deadlines(client, circle, clock):
    case = open_case(circle, received_at=RECEIVED)
    client.force_login(circle.outsider)
    for url_name in ("deadlines:my_work", "deadlines:team"):
        assert case.reference not in client.get(reverse(url_name)).content.decode()
    deadline = case.deadlines.first()
    response = client.post(reverse("deadlines:waive", args=[deadline.pk]), {"reason": "x"})
    assert response.status_code == 404


def test_my_work_lists_each_case_once_with_its_deadlines_rule_and_clause(client, circle, clock):
    case = open_case(circle, received_at=london(2026, 11, 9, 7, 0))
    deadlines_sweep(run_id="r", now=NOW)  # W08 due 07:00 today: overdue
    client.force_login(circle.officer)
    body = client.get(reverse("deadlines:my_work")).content.decode()
    # One row for the case, under its most urgent deadline, carrying every deadline due this
    # week: not the case once per deadline.
    assert body.count(f'data-case="{case.reference}"') == 1
    assert 'data-group="Overdue"' in body and 'data-group="Due this week"' not in body
    assert "Contact the complainant" in body and "Overdue since 07:00 today" in body
    assert "Case officer contacts the complainant" in body
    # The organisation's own clause (C17 under the Circle Anglia preset, never the other
    # landlord's W08), behind "Why is this due?" after the plain words.
    assert "<summary>Why is this due?</summary>" in body
    assert "C17 (004 §4.6): within 24 hours" in body and "W08" not in body
    assert body.index("Contact the complainant") < body.index("C17 (004 §4.6)")
    # Due later than this week: not listed.
    assert "Agree an action plan" not in body


def test_my_work_shows_only_my_cases(client, circle, clock):
    from accounts.models import Role
    from tests.factories import member

    other_officer = member(circle.organisation, Role.OFFICER)
    mine = open_case(circle, received_at=RECEIVED)
    theirs = open_case(circle, received_at=RECEIVED, assigned_officer=other_officer)
    client.force_login(circle.officer)
    body = client.get(reverse("deadlines:my_work")).content.decode()
    assert mine.reference in body and theirs.reference not in body
    client.force_login(circle.manager)
    team = client.get(reverse("deadlines:team")).content.decode()
    assert mine.reference in team and theirs.reference in team


def _many_deadlines(cast, n: int) -> None:
    """``n`` live deadlines due this week and ``n`` met yesterday, over five cases."""
    cases = [open_case(cast, received_at=RECEIVED) for _ in range(5)]
    common = {"rule": DeadlineRule.C19_REPAIR, "title": "Repair", "clause": "C19"}
    Deadline.objects.bulk_create(
        Deadline(
            case=cases[i % 5],
            organisation=cast.organisation,
            started_by="Repair reported",
            started_at=RECEIVED,
            **common,
            **(
                {"source_key": f"live-{i}", "due_at": NOW + timedelta(days=1)}
                if live
                else {
                    "source_key": f"met-{i}",
                    "due_at": NOW,
                    "state": DeadlineState.MET,
                    "met_at": NOW - timedelta(days=1),
                    "met_by": cast.officer,
                    "met_source": "Repair done",
                }
            ),
        )
        for i in range(n)
        for live in (True, False)
    )


# My work: session, user, memberships (access); the live deadlines due this week with their
# cases (grouped by case in Python: no count query); the organisation's policy settings (its
# working calendar, for "due in N working days"); the complainants' names of the page's
# cases; the recently met with cases and who met them. No session save: signing in wrote it
# under a minute ago.
MY_WORK_QUERIES = 7


@pytest.mark.parametrize("n_deadlines", [10, 200])
def test_my_work_query_count_is_fixed(
    client, circle, clock, django_assert_num_queries, n_deadlines
):
    _many_deadlines(circle, n_deadlines)
    client.force_login(circle.officer)
    with django_assert_num_queries(MY_WORK_QUERIES):
        response = client.get(reverse("deadlines:my_work"))
    # Five cases, each once, carrying all their deadlines.
    assert response.context["page"].paginator.count == 5
    assert sum(len(entry.deadlines) for entry in response.context["page"]) >= n_deadlines
    assert len(response.context["recently_met"]) == min(n_deadlines, 20)


# Team view: session, user, memberships, the count, the page with case, officer and area,
# and the subject access and rectification requests due (one UNION, deadlines/registry.py).
# No session save: signing in wrote it under a minute ago.
TEAM_QUERIES = 6


@pytest.mark.parametrize("n_deadlines", [10, 200])
def test_team_view_query_count_is_fixed(
    client, circle, clock, django_assert_num_queries, n_deadlines
):
    _many_deadlines(circle, n_deadlines)
    client.force_login(circle.manager)
    with django_assert_num_queries(TEAM_QUERIES):
        response = client.get(reverse("deadlines:team"))
    assert response.context["page"].paginator.count >= n_deadlines


def test_my_work_lists_my_restricted_case_and_what_i_met_this_week_only(client, circle, clock):
    from accounts.models import Role
    from tests.factories import member

    mine = open_case(circle, received_at=RECEIVED, restricted=True)
    theirs = open_case(
        circle, received_at=RECEIVED, assigned_officer=member(circle.organisation, Role.OFFICER)
    )
    common = {
        "organisation": circle.organisation,
        "rule": DeadlineRule.C19_REPAIR,
        "started_by": "Repair reported",
        "started_at": RECEIVED,
        "due_at": NOW,
        "state": DeadlineState.MET,
        "met_by": circle.officer,
    }
    week_ago = NOW - timedelta(days=7)
    Deadline.objects.create(
        case=mine, source_key="a", title="Met at the edge", met_at=week_ago, **common
    )
    Deadline.objects.create(
        case=mine,
        source_key="b",
        title="Met too long ago",
        met_at=week_ago - timedelta(seconds=1),
        **common,
    )
    Deadline.objects.create(
        case=theirs, source_key="c", title="Met by a colleague", met_at=NOW, **common
    )
    client.force_login(circle.officer)
    body = client.get(reverse("deadlines:my_work")).content.decode()
    assert mine.reference in body and "Met at the edge" in body
    assert "Met too long ago" not in body and "Met by a colleague" not in body
    # An officer's own restricted case is theirs to work; a manager sees the team's.
    client.force_login(circle.manager)
    team = client.get(reverse("deadlines:team")).content.decode()
    assert mine.reference in team and theirs.reference in team


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the query plans are PostgreSQL's")
def test_my_work_and_team_deadlines_read_their_indexes(circle, clock):
    from accounts.permissions import access_for
    from deadlines.selectors import (
        Horizon,
        deadlines_for_team,
        deadlines_recently_met_by_officer,
    )

    horizon = Horizon.at()

    def plan(queryset):
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())

    officer = access_for(circle.officer, circle.organisation.pk)
    manager = access_for(circle.manager, circle.organisation.pk)
    met = plan(
        deadlines_recently_met_by_officer(user=circle.officer, access=officer, horizon=horizon)
    )
    assert "deadline_met_at_idx" in met, met
    team = plan(deadlines_for_team(user=circle.manager, access=manager, horizon=horizon))
    # Either index on (organisation, due) serves it; the planner picks by the tables' size.
    # What must not happen is a scan of every organisation's deadlines.
    assert re.search(
        r"Index (Only )?Scan using (deadline_live_org_due_idx|dash_deadline_org_due_cover) "
        r"on cases_deadline [^\n]*\n\s+Index Cond: \(\(organisation_id = ",
        team,
    ), team


def test_manager_waives_from_the_team_view_with_a_reason(client, circle, clock):
    case = open_case(circle, received_at=RECEIVED)
    deadline = case.deadlines.get(rule=DeadlineRule.C20_INTERVIEW)
    client.force_login(circle.manager)
    url = reverse("deadlines:waive", args=[deadline.pk])
    blank = client.post(url, {"reason": "  "})
    assert blank.status_code == 400
    assert "Say why this deadline no longer applies" in blank.content.decode()
    done = client.post(url, {"reason": "C20: no time could be agreed"})
    assert done.status_code == 302
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.WAIVED
    assert deadline.waived_reason == "C20: no time could be agreed"


@pytest.mark.parametrize("role", ["staff", "officer", "panel", "admin"])
def test_only_managers_may_waive(client, circle, clock, role):
    case = open_case(circle, received_at=RECEIVED)
    deadline = case.deadlines.first()
    client.force_login(circle.by_role()[role])
    response = client.post(reverse("deadlines:waive", args=[deadline.pk]), {"reason": "x"})
    assert response.status_code == 403
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.OPEN


def test_waive_needs_post(client, circle, clock):
    case = open_case(circle, received_at=RECEIVED)
    client.force_login(circle.manager)
    url = reverse("deadlines:waive", args=[case.deadlines.first().pk])
    assert client.get(url).status_code == 405


def test_deadline_panel_include_renders_a_cases_deadlines(circle, clock):
    from django.template.loader import render_to_string

    case = open_case(circle, received_at=RECEIVED)
    html = render_to_string(
        "deadlines/_deadline_panel.html", {"deadlines": deadlines_for_case(case)}
    )
    assert "Contact the complainant" in html
    # The promise in the organisation's words, and why it is due behind a disclosure.
    assert "will be contacted within 24 hours of the initial report" in html
    assert "<summary>Why is this due?</summary>" in html
    assert "C17 (004 §4.6): within 24 hours" in html
    assert 'data-rule="c20_interview"' in html
    assert list(deadlines_for_case(case))[0].rule == DeadlineRule.W08_FIRST_CONTACT


# Policy settings (C14) -------------------------------------------------------------------


def form_values(settings: PolicySettings, **changes):
    from policy.forms import PolicySettingsForm

    values = {}
    for name in PolicySettingsForm.Meta.fields:
        value = getattr(settings, name)
        if isinstance(value, bool):
            if value:
                values[name] = "on"
            continue
        values[name] = "" if value is None else str(value)[:5] if "working_day" in name else value
    values.update(changes)
    return values


def test_c14_admin_changes_settings_with_history_and_a_looser_value_warns(client, wch):
    client.force_login(wch.admin)
    settings = PolicySettings.objects.get(organisation=wch.organisation)
    response = client.post(
        reverse("policy:settings"),
        form_values(settings, working_day_ends="17:30", tenancy_action_requires_conviction=""),
    )
    assert response.status_code == 302
    settings.refresh_from_db()
    assert (settings.working_day_ends.strftime("%H:%M"), settings.reminder_lead_hours) == (
        "17:30",
        24,
    )
    assert not settings.tenancy_action_requires_conviction
    latest = settings.history.first()
    assert latest.history_user == wch.admin
    assert latest.prev_record.tenancy_action_requires_conviction
    page = client.get(reverse("policy:settings")).content.decode()
    # W19: WCH 2022 waits for a conviction; switching that off is looser than the preset.
    assert "Looser than the preset" in page
    assert "W19 (000 §11.2)" in page
    # In words: the setting's label and the preset's values as people read them.
    assert "<strong>Tenancy action needs a conviction</strong>: The preset requires" in page
    assert "Tenancy_action_requires_conviction" not in page
    assert '<td class="small">Yes — W19 (000 §11.2)' in page
    assert "England and Wales — W15" in page and "09:00 — " in page
    assert "True —" not in page and "ENG —" not in page and "09:00:00" not in page


def test_c14_bad_input_is_shown_beside_the_field_and_kept(client, circle):
    client.force_login(circle.admin)
    settings = PolicySettings.objects.get(organisation=circle.organisation)
    response = client.post(
        reverse("policy:settings"),
        form_values(settings, working_day_starts="18:00", reminder_lead_hours="-3"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The working day must end after it starts." in body
    assert 'value="18:00"' in body and 'value="-3"' in body
    settings.refresh_from_db()
    assert (settings.working_day_starts.hour, settings.reminder_lead_hours) == (9, 24)


def test_c14_organisation_without_settings_sees_the_default_preset(client, cast):
    client.force_login(cast.admin)
    body = client.get(reverse("policy:settings")).content.decode()
    assert "W19 (000 §11.2)" in body
    assert "No changes yet" in body


def test_c14_settings_old_address_redirects_to_the_policy_app(client, cast):
    client.force_login(cast.admin)
    response = client.get("/accounts/policy/")
    assert response.status_code == 301
    assert response["Location"] == reverse("policy:settings") == "/policy/settings/"
    assert client.get(response["Location"]).status_code == 200


def test_my_work_names_the_complainant_and_says_how_late(client, circle, clock):
    from tests.deadline_helpers import complainant

    case = open_case(circle, received_at=london(2026, 11, 6, 9, 0))  # Friday
    complainant(case)
    client.force_login(circle.officer)
    response = client.get(reverse("deadlines:my_work"))
    body = response.content.decode()
    (entry,) = list(response.context["page"])
    assert entry.complainant == "Test Complainant"
    assert '<td class="align-top" data-testid="complainant">Test Complainant</td>' in body
    # C17's 24 hours ran out on Saturday 7 Nov 09:00: three days ago, two of them (Monday
    # and today) working days.
    assert "Overdue by 3 days (2 working days)" in body
    # The reference never wraps.
    assert f'<th scope="row" class="text-nowrap align-top"><a href="/cases/{case.pk}/">' in body


def test_my_work_shows_a_deadline_met_late_apart_from_one_met_on_time(client, circle, clock):
    case = open_case(circle, received_at=RECEIVED)
    common = {
        "case": case,
        "organisation": circle.organisation,
        "rule": DeadlineRule.C19_REPAIR,
        "started_by": "Repair reported",
        "started_at": NOW - timedelta(days=10),
        "due_at": NOW - timedelta(days=3),
        "state": DeadlineState.MET,
        "met_by": circle.officer,
    }
    Deadline.objects.create(
        source_key="a", title="On time", met_at=NOW - timedelta(days=4), **common
    )
    Deadline.objects.create(source_key="b", title="Late", met_at=NOW - timedelta(days=1), **common)
    client.force_login(circle.officer)
    body = client.get(reverse("deadlines:my_work")).content.decode()
    met = body[body.index('id="recently-met-list"') :]
    assert 'data-met="met_late"' in met and 'class="badge text-bg-warning">Met 2 days late' in met
    assert 'data-met="met"' in met and 'class="badge text-bg-success">Met on time' in met
