"""Who a letter may go to is part of its kind: the form offers only those parties, picks
none when more than one fits, and ``letter_issue`` (every path's one way in) refuses others."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import CaseParty
from cases.models.choices import PartyRole
from letters.models import LETTER_RECIPIENT_ROLES, Delivery, Letter, LetterKind
from letters.services.issue import letter_issue

from .conftest import person

pytestmark = pytest.mark.django_db

# Every kind of letter speaks to the complainant's side about their report: none of them may
# reach the alleged perpetrator (it would tell them a report exists) or a witness.
EXPECTED = {
    LetterKind.ACKNOWLEDGEMENT: {PartyRole.COMPLAINANT, PartyRole.VICTIM},
    LetterKind.ACTION_PLAN: {PartyRole.COMPLAINANT, PartyRole.VICTIM},
    LetterKind.FALSE_REPORT_CONCERN: {PartyRole.COMPLAINANT, PartyRole.VICTIM},
    LetterKind.NO_FURTHER_SUPPORT: {PartyRole.COMPLAINANT, PartyRole.VICTIM},
    LetterKind.CLOSURE: {PartyRole.COMPLAINANT, PartyRole.VICTIM},
    LetterKind.PANEL_DECISION: {PartyRole.COMPLAINANT, PartyRole.VICTIM},
}


def _complainant(letter_case, cast):
    return CaseParty.objects.create(
        case=letter_case.case,
        role=PartyRole.COMPLAINANT,
        person=person(cast.organisation, "Carol Complainant", address="4 Fourth Road"),
    )


def test_every_letter_kind_names_the_roles_it_may_be_addressed_to():
    assert {k: set(v) for k, v in LETTER_RECIPIENT_ROLES.items()} == EXPECTED


@pytest.mark.parametrize("kind", list(LetterKind))
@pytest.mark.parametrize("role", list(PartyRole))
def test_letter_issue_allows_and_refuses_recipients_by_kind(letter_case, cast, kind, role):
    parties = {
        PartyRole.COMPLAINANT: _complainant(letter_case, cast),
        PartyRole.VICTIM: letter_case.victim,
        PartyRole.PERPETRATOR: letter_case.perpetrator,
        PartyRole.WITNESS: letter_case.witness,
    }

    def issue():
        return letter_issue(
            case=letter_case.case,
            kind=kind,
            recipient=parties[role],
            by=cast.officer,
            reason="",
            delivery=Delivery.POST,
        )

    if role in EXPECTED[kind]:
        assert issue().recipient_role == role
    else:
        with pytest.raises(ValidationError) as refused:
            issue()
        message = " ".join(refused.value.message_dict["recipient"])
        assert PartyRole(role).label.lower() in message.lower()
        assert not Letter.objects.filter(case=letter_case.case).exists()


def test_acknowledgement_form_offers_only_the_victim_side_and_preselects_nobody(
    client, cast, letter_case
):
    """The reported scenario: a victim and a named alleged perpetrator on the case."""
    complainant = _complainant(letter_case, cast)
    client.force_login(cast.officer)
    url = reverse("letters:issue", args=[letter_case.case.pk])
    response = client.get(url, {"kind": LetterKind.ACKNOWLEDGEMENT})
    field = response.context["form"]["recipient"]
    offered = {value for value, _ in field.field.choices if value}
    assert offered == {letter_case.victim.pk, complainant.pk}
    assert not field.value()
    page = response.content.decode()
    assert "Peter Perpetrator" not in page and "Wendy Witness" not in page
    select = page.split('name="recipient"')[1].split("</select>")[0]
    assert 'value="" selected' in select
    assert not re.search(r'value="\d+" selected', select)


def test_the_one_fitting_recipient_is_preselected(client, cast, letter_case):
    client.force_login(cast.officer)
    url = reverse("letters:issue", args=[letter_case.case.pk])
    response = client.get(url, {"kind": LetterKind.ACKNOWLEDGEMENT})
    assert response.context["form"]["recipient"].value() == letter_case.victim.pk


def test_a_hand_made_post_to_the_alleged_perpetrator_is_refused_beside_the_field(
    client, cast, letter_case, django_capture_on_commit_callbacks
):
    client.force_login(cast.officer)
    url = reverse("letters:issue", args=[letter_case.case.pk])
    data = {
        "kind": LetterKind.ACKNOWLEDGEMENT,
        "recipient": letter_case.perpetrator.pk,
        "delivery": Delivery.POST,
        "next_contact_on": "2030-01-07",
        "reason": "Kept line",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["recipient"]
    assert response.context["form"]["reason"].value() == "Kept line"
    assert not Letter.objects.filter(case=letter_case.case).exists()
    assert mail.outbox == []


def test_the_service_refuses_the_perpetrator_even_past_the_form(letter_case, cast):
    """The default send in the reported scenario: e-mail to the alleged perpetrator."""
    letter_case.perpetrator.person.email = "percy@example.org"
    letter_case.perpetrator.person.save()
    with pytest.raises(ValidationError) as refused:
        letter_issue(
            case=letter_case.case,
            kind=LetterKind.ACKNOWLEDGEMENT,
            recipient=letter_case.perpetrator,
            by=cast.officer,
            reason="",
            extra={"next_contact_date": "Monday"},
        )
    assert "alleged perpetrator" in " ".join(refused.value.message_dict["recipient"])


@pytest.fixture
def only_to_witnesses(monkeypatch):
    """Narrow every kind to witnesses: a path that honours the kinds' table is refused."""
    from letters.models import templates

    narrowed = dict.fromkeys(LetterKind, (PartyRole.WITNESS,))
    monkeypatch.setattr(templates, "LETTER_RECIPIENT_ROLES", narrowed)
    from letters.services import issue as issue_module

    monkeypatch.setattr(issue_module, "LETTER_RECIPIENT_ROLES", narrowed)


def test_the_closure_letter_goes_through_the_kinds_recipient_rule(
    letter_case, cast, only_to_witnesses
):
    from letters.services.closure import case_close

    case = letter_case.case
    with pytest.raises(ValidationError) as refused:
        case_close(
            case=case,
            by=cast.officer,
            reason="action_complete",
            rationale="Done.",
            discussed_with_complainant=True,
            discussed_on=case.received_at.date(),
            discussion_notes="",
            expected_version=case.version,
        )
    assert "recipient" in refused.value.message_dict


def test_the_false_report_letters_go_through_the_kinds_recipient_rule(
    letter_case, cast, only_to_witnesses
):
    from letters.services.false_report import false_report_concern_raise
    from tests.deadline_helpers import apply_preset

    apply_preset(cast.organisation, "wch_2022")
    with pytest.raises(ValidationError) as refused:
        false_report_concern_raise(case=letter_case.case, by=cast.officer, reasons="Doubts.")
    assert "recipient" in refused.value.message_dict


def test_the_action_plan_letter_goes_through_the_kinds_recipient_rule(
    letter_case, cast, only_to_witnesses
):
    from datetime import timedelta

    from django.utils import timezone

    from support.models import ActionPlan
    from support.services.plans import action_plan_issue, plan_action_add

    plan_action_add(
        case=letter_case.case,
        by=cast.officer,
        description="Weekly call",
        kind="action",
        owner="Olivia Officer",
        due_date=timezone.localdate() + timedelta(days=7),
    )
    plan = ActionPlan.objects.get(case=letter_case.case)
    with pytest.raises(ValidationError) as refused:
        action_plan_issue(
            plan=plan, by=cast.officer, recipient=letter_case.victim, delivery=Delivery.POST
        )
    assert "recipient" in refused.value.message_dict
    assert not Letter.objects.filter(case=letter_case.case).exists()
