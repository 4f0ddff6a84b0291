"""W13 / C22: welfare calls at the policy's interval "unless the plan says otherwise": a
frequency agreed with the complainant on the case replaces the policy's for that case alone,
moves the open welfare-call deadline, and is kept in the case's history."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models.choices import ContactPurpose
from cases.services.changes import case_contact_frequency_agree
from deadlines.models import Deadline, DeadlineRule, DeadlineState
from tests.deadline_helpers import apply_preset, complainant, log_phone_call, london, open_case

pytestmark = pytest.mark.django_db

W13 = DeadlineRule.W13_WELFARE_CALL


def welfare(case, state=DeadlineState.OPEN) -> Deadline:
    return Deadline.objects.get(case=case, rule=W13, state=state)


def agree(case, by, days, reason="Agreed by phone with Ms Resident."):
    case.refresh_from_db()
    return case_contact_frequency_agree(
        case=case, by=by, days=days, reason=reason, expected_version=case.version
    )


@pytest.fixture
def wch(cast):
    """Circle Anglia 2009 (C22: every 15 days "unless the plan says otherwise"), under the
    name the tests were first written with."""
    apply_preset(cast.organisation, "circle_anglia_2009")
    return cast


@time_machine.travel(london(2026, 11, 3, 12, 0), tick=False)
def test_w13_c22_agreed_frequency_moves_the_open_welfare_call_and_the_calls_after_it(wch):
    case = open_case(wch, received_at=london(2026, 11, 2, 9, 0))
    party = complainant(case)
    assert welfare(case).due_at == london(2026, 11, 17, 9, 0)  # the policy's 15 days

    agree(case, wch.officer, 3)
    deadline = welfare(case)
    assert deadline.due_at == london(2026, 11, 5, 9, 0)
    assert deadline.clause.endswith("every 3 days (as agreed with the complainant)")
    assert deadline.history.first().history_change_reason == (
        "Contact frequency agreed with the complainant"
    )

    # The call at the due minute meets it on time; the next one is 3 days on, not 15.
    case.refresh_from_db()
    with time_machine.travel(london(2026, 11, 5, 9, 0), tick=False):
        log_phone_call(
            case,
            by=wch.officer,
            at=london(2026, 11, 5, 9, 0),
            purpose=ContactPurpose.WELFARE_CALL,
            party=party,
        )
    assert not welfare(case, DeadlineState.MET).met_late
    assert welfare(case).due_at == london(2026, 11, 8, 9, 0)


@time_machine.travel(london(2026, 11, 3, 12, 0), tick=False)
def test_w13_c22_longer_agreed_frequency_moves_it_later_and_blank_returns_to_the_policy(wch):
    case = open_case(wch, received_at=london(2026, 11, 2, 9, 0))
    agree(case, wch.officer, 21)
    assert welfare(case).due_at == london(2026, 11, 23, 9, 0)
    agree(case, wch.officer, None, reason="Complainant asked to go back to the usual calls.")
    deadline = welfare(case)
    assert deadline.due_at == london(2026, 11, 17, 9, 0)
    assert "(as agreed" not in deadline.clause
    case.refresh_from_db()
    reasons = list(case.history.values_list("history_change_reason", flat=True)[:2])
    assert reasons == [
        "Welfare calls as the policy sets: Complainant asked to go back to the usual calls.",
        "Welfare calls every 21 days: Agreed by phone with Ms Resident.",
    ]


def test_w13_c22_an_overdue_welfare_call_stays_overdue_under_the_terms_it_ran_under(wch):
    from deadlines.sweep import deadlines_sweep

    case = open_case(wch, received_at=london(2026, 11, 2, 9, 0))
    with time_machine.travel(london(2026, 11, 17, 9, 1), tick=False):
        deadlines_sweep(run_id="overdue", now=london(2026, 11, 17, 9, 1))
        agree(case, wch.officer, 21)
    deadline = welfare(case, DeadlineState.OVERDUE)
    assert deadline.due_at == london(2026, 11, 17, 9, 0)


@time_machine.travel(london(2026, 11, 3, 12, 0), tick=False)
@pytest.mark.parametrize(
    ("days", "reason", "field", "message"),
    [
        (0, "x", "days", "Enter a number of days from 1 to 90."),
        (91, "x", "days", "Enter a number of days from 1 to 90."),
        (3, "  ", "reason", "Say what was agreed with the complainant, and when."),
    ],
)
def test_w13_c22_agreed_frequency_refused_out_of_range_or_without_a_reason(
    wch, days, reason, field, message
):
    case = open_case(wch, received_at=london(2026, 11, 2, 9, 0))
    with pytest.raises(ValidationError) as refused:
        agree(case, wch.officer, days, reason=reason)
    assert refused.value.message_dict[field] == [message]
    case.refresh_from_db()
    assert case.agreed_contact_days is None
    assert welfare(case).due_at == london(2026, 11, 17, 9, 0)


@time_machine.travel(london(2026, 11, 3, 12, 0), tick=False)
def test_w13_c22_officer_agrees_the_frequency_on_the_case_page(wch, client):
    case = open_case(wch, received_at=london(2026, 11, 2, 9, 0))
    client.force_login(wch.officer)
    url = reverse("cases:contact_frequency", args=[case.pk])
    assert url in client.get(reverse("cases:detail", args=[case.pk])).content.decode()

    bad = client.post(url, {"version": case.version, "days": "120", "reason": "Kept words"})
    assert bad.status_code == 200
    assert bad.context["form"].errors["days"] == ["Enter a number of days from 1 to 90."]
    assert "Kept words" in bad.content.decode()

    ok = client.post(url, {"version": case.version, "days": "10", "reason": "Agreed at visit"})
    assert ok.status_code == 302
    assert welfare(case).due_at == london(2026, 11, 12, 9, 0)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Every 10 days, as agreed with the complainant (C22)" in page


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", 403),
        ("officer", 200),
        ("manager", 200),
        ("panel", 403),
        ("admin", 403),
        ("outsider", 404),
    ],
)
def test_w13_c22_contact_frequency_page_by_each_role_of_the_cast(wch, client, role, expected):
    case = open_case(wch, received_at=london(2026, 11, 2, 9, 0))
    client.force_login(wch.by_role()[role])
    url = reverse("cases:contact_frequency", args=[case.pk])
    assert client.get(url).status_code == expected


@time_machine.travel(london(2026, 11, 3, 12, 0), tick=False)
def test_c22_the_agreed_frequency_is_written_into_the_action_plan_sent_to_the_complainant(wch):
    from datetime import date

    from support.models import ActionPlan
    from support.services.plans import plan_action_add, plan_summary_text

    case = open_case(wch, received_at=london(2026, 11, 2, 9, 0))
    plan_action_add(
        case=case,
        by=wch.officer,
        kind="action",
        description="Warning letter to the neighbour",
        owner="Olivia Officer",
        due_date=date(2026, 11, 10),
    )
    plan = ActionPlan.objects.get(case=case)
    assert "phone you" not in plan_summary_text(plan=plan)
    agree(case, wch.officer, 10)
    plan = ActionPlan.objects.get(case=case)
    assert plan_summary_text(plan=plan).splitlines()[-1] == (
        "2. We will phone you every 10 days, as agreed with you."
    )


@time_machine.travel(london(2026, 11, 3, 12, 0), tick=False)
def test_w13_wch_2022_calls_weekly_and_takes_no_agreed_frequency(cast):
    apply_preset(cast.organisation, "wch_2022")
    case = open_case(cast, received_at=london(2026, 11, 2, 9, 0))
    with pytest.raises(ValidationError) as refused:
        agree(case, cast.officer, 3)
    assert refused.value.message_dict["days"] == [
        "Your organisation's policy fixes how often complainants are called."
    ]
    assert welfare(case).due_at == london(2026, 11, 9, 9, 0)
