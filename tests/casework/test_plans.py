from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from deadlines.models import Deadline, DeadlineRule
from support.models import ActionPlan, PlanVersion
from support.services.plans import (
    action_plan_agree,
    action_plan_issue,
    action_plan_review,
    plan_action_add,
    plan_action_update,
)
from tests.casework.helpers import case_with_people

pytestmark = pytest.mark.django_db


def deadline(case, rule, state="open"):
    return Deadline.objects.get(case=case, rule=rule, state=state)


def add(case, by, **extra):
    fields = {
        "kind": "action",
        "description": "Write to the perpetrator",
        "owner": "Olivia Officer",
        "due_date": timezone.localdate() + timedelta(days=7),
    }
    fields.update(extra)
    return plan_action_add(case=case, by=by, **fields)


def test_c21_agreeing_the_plan_meets_the_14_day_deadline(cast):
    case, victim = case_with_people(cast, preset="circle_anglia_2009")
    c21 = deadline(case, DeadlineRule.C21_ACTION_PLAN)
    assert c21.due_at == case.received_at + timedelta(days=14)
    with pytest.raises(ValidationError):
        action_plan_agree(case=case, by=cast.officer, agreed_at=timezone.now())  # no actions yet
    add(case, cast.officer)
    agreed_at = timezone.now() - timedelta(minutes=1)
    plan = action_plan_agree(case=case, by=cast.officer, agreed_at=agreed_at)
    assert plan.agreed_at == agreed_at
    c21.refresh_from_db()
    assert (c21.state, c21.met_at) == ("met", agreed_at)
    first_review = deadline(case, DeadlineRule.C22_FIRST_PLAN_REVIEW)
    assert first_review.due_at == agreed_at + timedelta(days=15)


def test_c22_reviews_meet_the_15_then_30_day_deadlines_with_their_outcome(cast):
    case, victim = case_with_people(cast, preset="circle_anglia_2009")
    add(case, cast.officer)
    plan = action_plan_agree(
        case=case, by=cast.officer, agreed_at=timezone.now() - timedelta(hours=2)
    )
    reviewed_at = timezone.now() - timedelta(hours=1)
    review = action_plan_review(
        plan=plan, by=cast.officer, reviewed_at=reviewed_at, outcome="on_track", notes="Quieter"
    )
    assert review.get_outcome_display() == "On track: carry on"
    assert deadline(case, DeadlineRule.C22_FIRST_PLAN_REVIEW, "met").met_at == reviewed_at
    regular = deadline(case, DeadlineRule.C22_PLAN_REVIEW)
    assert regular.due_at == reviewed_at + timedelta(days=30)
    action_plan_review(plan=plan, by=cast.officer, reviewed_at=timezone.now(), outcome="changed")
    regular.refresh_from_db()
    assert regular.state == "met"


def test_c22_every_change_makes_a_new_version_and_starts_the_3_day_issue_deadline(cast):
    case, victim = case_with_people(cast, preset="circle_anglia_2009")
    action = add(case, cast.officer)
    plan = ActionPlan.objects.get(case=case)
    assert plan.version == 1
    issue = deadline(case, DeadlineRule.C22_UPDATED_PLAN_ISSUED)
    assert issue.due_at - issue.started_at == timedelta(days=3)
    plan_action_update(
        action=action, by=cast.officer, status="done", due_date=action.due_date, owner=action.owner
    )
    plan.refresh_from_db()
    assert plan.version == 2
    versions = list(PlanVersion.objects.filter(plan=plan))
    assert [v.number for v in versions] == [2, 1]
    assert versions[0].actions[0]["status"] == "done"
    assert versions[1].actions[0]["status"] == "open"  # the earlier version is kept as it was
    victim.person.address, victim.person.postcode = "1 Safe Street", "WD17 1AA"
    victim.person.save()
    letter = action_plan_issue(plan=plan, by=cast.officer, recipient=victim)  # a real letter
    assert letter.kind == "action_plan"
    issue.refresh_from_db()
    assert issue.state == "met"
    plan.refresh_from_db()
    assert not plan.needs_issuing
    add(case, cast.officer, description="Fit a door viewer")
    assert deadline(case, DeadlineRule.C22_UPDATED_PLAN_ISSUED).started_at > issue.started_at


def test_c12_safety_measures_for_victims_and_witnesses_are_actions(client, cast):
    case, victim = case_with_people(cast)
    client.force_login(cast.officer)
    url = reverse("support:plan_action_add", args=[case.pk])
    due = (timezone.localdate() + timedelta(days=2)).isoformat()
    missing = client.post(
        url,
        {
            "kind": "safety_measure",
            "description": "Fit a door alarm",
            "owner": "Police",
            "due_date": due,
        },
    )
    assert "Say whose safety" in missing.content.decode()
    response = client.post(
        url,
        {
            "kind": "safety_measure",
            "description": "Fit a door alarm",
            "owner": "Police",
            "due_date": due,
            "protects": victim.pk,
        },
    )
    assert response.status_code == 302
    measure = ActionPlan.objects.get(case=case).actions.get()
    assert (measure.kind, measure.protects) == ("safety_measure", victim)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Fit a door alarm" in page
