"""C22 joined to letters: issuing the updated action plan is a real letter from the plan's
own actions, with C11 applied to the plan summary like every other merge value."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseParty
from cases.models.choices import PartyRole
from deadlines.models import Deadline, DeadlineRule, DeadlineState
from letters.merge import WITHHELD
from letters.models import Delivery, Letter, LetterKind, LetterStatus
from letters.services.issue import letter_issue_by_officer
from policy.settings import Preset
from support.models import ActionPlan
from support.services.plans import action_plan_issue, plan_action_add, plan_action_update
from tests.deadline_helpers import apply_preset

from .conftest import CANARY_NAME, letter_pdf_text, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def complainant(letter_case, cast):
    return CaseParty.objects.create(
        case=letter_case.case,
        role=PartyRole.COMPLAINANT,
        person=person(
            cast.organisation,
            "Clara Complainant",
            address="1 First Road\nWatford",
            postcode="WD17 1AA",
            email="clara@example.org",
        ),
    )


def add_action(case, by, description, **extra):
    fields = {
        "kind": "action",
        "owner": "Olivia Officer",
        "due_date": timezone.localdate() + timedelta(days=7),
    }
    fields.update(extra)
    return plan_action_add(case=case, by=by, description=description, **fields)


def test_c22_issuing_the_updated_plan_sends_one_letter_with_its_actions_and_meets_3_days(
    letter_case, complainant, cast, django_capture_on_commit_callbacks, mailoutbox
):
    apply_preset(cast.organisation, Preset.CIRCLE_ANGLIA_2009)
    case = letter_case.case
    add_action(case, cast.officer, "Warning letter to the neighbour")
    add_action(case, cast.officer, "Weekly welfare call", owner="Sam Senior")
    deadline = Deadline.objects.get(
        case=case, rule=DeadlineRule.C22_UPDATED_PLAN_ISSUED, state=DeadlineState.OPEN
    )
    plan = ActionPlan.objects.get(case=case)
    assert plan.needs_issuing

    with django_capture_on_commit_callbacks(execute=True):
        letter = action_plan_issue(plan=plan, by=cast.officer, recipient=complainant)

    assert Letter.objects.filter(case=case).count() == 1
    letter.refresh_from_db()
    assert (letter.kind, letter.recipient, letter.status) == (
        LetterKind.ACTION_PLAN,
        complainant,
        LetterStatus.SENT,
    )
    text = letter_pdf_text(letter)
    assert "Warning letter to the neighbour" in text
    assert "Weekly welfare call" in text and "Sam Senior" in text
    assert "Dear Clara Complainant" in text
    assert [m.to for m in mailoutbox] == [["clara@example.org"]]
    deadline.refresh_from_db()
    assert (deadline.state, deadline.met_at) == (DeadlineState.MET, letter.created_at)
    plan.refresh_from_db()
    assert not plan.needs_issuing and plan.last_issued_version == plan.version

    # The same version cannot be issued twice; a change makes the next version to issue.
    with pytest.raises(ValidationError):
        action_plan_issue(plan=plan, by=cast.officer, recipient=complainant)
    assert Letter.objects.filter(case=case).count() == 1
    action = plan.actions.first()
    plan_action_update(
        action=action, by=cast.officer, status="done", due_date=action.due_date, owner=action.owner
    )
    plan.refresh_from_db()
    assert plan.needs_issuing


def test_c22_the_officer_may_send_the_plan_to_the_victim_but_never_the_other_side(
    letter_case, complainant, cast
):
    case = letter_case.case
    add_action(case, cast.officer, "Fit a door viewer")
    plan = ActionPlan.objects.get(case=case)
    for other_side in (letter_case.perpetrator, letter_case.witness):
        with pytest.raises(ValidationError):
            action_plan_issue(plan=plan, by=cast.officer, recipient=other_side)
    assert not Letter.objects.filter(case=case).exists()
    letter = action_plan_issue(
        plan=plan, by=cast.officer, recipient=letter_case.victim, delivery=Delivery.POST
    )
    assert (letter.recipient, letter.delivery) == (letter_case.victim, Delivery.POST)


def test_c22_a_failed_letter_leaves_the_plan_unissued_and_the_deadline_open(letter_case, cast):
    """No postal address and no e-mail: no letter, so nothing is marked issued."""
    apply_preset(cast.organisation, Preset.CIRCLE_ANGLIA_2009)
    case = letter_case.case
    bare = CaseParty.objects.create(
        case=case, role=PartyRole.COMPLAINANT, person=person(cast.organisation, "No Address")
    )
    add_action(case, cast.officer, "Fit a door viewer")
    plan = ActionPlan.objects.get(case=case)
    with pytest.raises(ValidationError):
        action_plan_issue(plan=plan, by=cast.officer, recipient=bare)
    plan.refresh_from_db()
    assert plan.needs_issuing
    assert Deadline.objects.get(case=case, rule=DeadlineRule.C22_UPDATED_PLAN_ISSUED).state == (
        DeadlineState.OPEN
    )


def test_c11_canary_plan_summary_to_the_complainant_withholds_a_witness_without_consent(
    letter_case, complainant, cast, django_capture_on_commit_callbacks
):
    """A plan action names the perpetrator and the witness; a safety measure protects the
    witness by name. The complainant's letter strikes both (no consent recorded)."""
    case = letter_case.case
    add_action(
        case,
        cast.officer,
        "Written warning to Peter Perpetrator about the threats Wendy Witness saw",
    )
    add_action(
        case,
        cast.officer,
        "Door alarm at 3 Third Road",
        kind="safety_measure",
        protects=letter_case.witness,
    )
    plan = ActionPlan.objects.get(case=case)
    with django_capture_on_commit_callbacks(execute=True):
        letter = action_plan_issue(
            plan=plan, by=cast.officer, recipient=complainant, delivery=Delivery.POST
        )
    text = letter_pdf_text(letter)
    stored = str(letter.merge_values)
    for canary in ("Wendy", "Witness", "3 Third Road", "WD19 2BB"):
        assert canary.lower() not in text.lower(), canary
        assert canary.lower() not in stored.lower(), canary
    assert WITHHELD in text
    assert "Written warning to" in text and "Door alarm" in text
    # The alleged perpetrator has no written consent either: the plan says what will be done
    # without naming them, as their person page says (never disclose their identity).
    assert "Peter" not in text and "Written warning to [withheld]" in text


def test_c11_a_witness_who_consented_is_named_in_the_plan(letter_case, complainant, cast):
    witness = letter_case.witness.person
    witness.disclosure_consent = True
    witness.disclosure_consent_recorded_at = timezone.now()
    witness.save()
    add_action(letter_case.case, cast.officer, "Statement from Wendy Witness")
    plan = ActionPlan.objects.get(case=letter_case.case)
    letter = action_plan_issue(plan=plan, by=cast.officer, recipient=complainant)
    assert "Statement from Wendy Witness" in letter.merge_values["plan_summary"]


def test_c11_the_victims_name_in_the_plan_is_not_struck_from_the_complainants_letter(
    letter_case, complainant, cast
):
    add_action(letter_case.case, cast.officer, f"Move {CANARY_NAME} to a safe room")
    plan = ActionPlan.objects.get(case=letter_case.case)
    letter = action_plan_issue(plan=plan, by=cast.officer, recipient=complainant)
    assert CANARY_NAME in letter.merge_values["plan_summary"]


def test_c22_the_plan_letter_is_not_typed_by_hand_on_the_letters_page(letter_case, cast):
    with pytest.raises(ValidationError):
        letter_issue_by_officer(
            case=letter_case.case,
            kind=LetterKind.ACTION_PLAN,
            recipient=letter_case.victim,
            by=cast.officer,
            delivery=Delivery.EMAIL,
            reason="",
        )


def test_c22_the_officer_issues_the_plan_from_the_case_page_and_sees_the_letter(
    client, letter_case, complainant, cast, django_capture_on_commit_callbacks
):
    apply_preset(cast.organisation, Preset.CIRCLE_ANGLIA_2009)
    case = letter_case.case
    add_action(case, cast.officer, "Warning letter to the neighbour")
    client.force_login(cast.officer)
    url = reverse("support:plan_issue", args=[case.pk])
    page = client.get(url).content.decode()
    assert "Clara Complainant (complainant)" in page and "(victim)" in page
    assert "Peter Perpetrator" not in page and "Wendy Witness" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"recipient": complainant.pk, "delivery": "", "reason": ""})
    assert response.status_code == 302
    letter = Letter.objects.get(case=case)
    assert letter.kind == LetterKind.ACTION_PLAN
    case_page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("letters:download", args=[case.pk, letter.pk]) in case_page
    assert Deadline.objects.get(case=case, rule=DeadlineRule.C22_UPDATED_PLAN_ISSUED).state == (
        DeadlineState.MET
    )


def test_c22_issuing_with_a_bad_choice_says_why_beside_the_field(
    client, letter_case, complainant, cast
):
    add_action(letter_case.case, cast.officer, "Fit a door viewer")
    client.force_login(cast.officer)
    url = reverse("support:plan_issue", args=[letter_case.case.pk])
    response = client.post(url, {"recipient": letter_case.perpetrator.pk, "delivery": ""})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Letter.objects.exists()
