"""W17 / W05 joined to letters: a valid panel decision writes to the household once, in the
same transaction as the decision; an invalid one writes to nobody."""

import shutil
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import CaseParty, Person
from cases.models.choices import PartyRole
from letters.models import Letter, LetterKind, LetterStatus
from transfers.choices import Vote
from transfers.models import PanelDecision
from transfers.services.decision_letters import decision_letter_issue
from transfers.services.decisions import panel_decision_record, panel_vote_cast

from .conftest import panellist

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


@pytest.fixture
def reachable(case):
    """The victim, head of the household being moved, has an address on the case."""
    victim = case.victim
    victim.address, victim.postcode = "12 Unsafe Street\nWatford", "WD17 3XY"
    victim.save()
    perpetrator = Person.objects.get(full_name="Percy Perpetrator")
    perpetrator.address, perpetrator.email = "14 Unsafe Street", "percy@example.org"
    perpetrator.save()
    return case


def quorum(cast, referral, votes=(Vote.APPROVE, Vote.APPROVE, Vote.DECLINE)):
    members = [panellist(cast.organisation, manager=True) for _ in range(2)] + [cast.panel]
    for member_, vote in zip(members, votes, strict=True):
        panel_vote_cast(referral=referral, member=member_, vote=vote, comment="Considered.")
    return members


def pdf_text(letter) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    letter.refresh_from_db()
    with letter.pdf.open("rb") as handle:
        out = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=handle.read(), capture_output=True, check=True
        ).stdout.decode()
    return " ".join(out.split())


def test_w17_a_valid_decision_sends_one_letter_to_the_household_not_the_perpetrator(
    cast, reachable, referral, django_capture_on_commit_callbacks
):
    quorum(cast, referral)
    with django_capture_on_commit_callbacks(execute=True):
        decision = panel_decision_record(referral=referral, by=cast.panel)
    letter = Letter.objects.get(case=reachable)
    decision.refresh_from_db()
    assert decision.letter == letter and decision.letter_sent_at == letter.created_at
    assert letter.kind == LetterKind.PANEL_DECISION
    assert letter.recipient.person == reachable.victim
    assert letter.recipient.role == PartyRole.VICTIM
    assert letter.status == LetterStatus.RENDERED  # no e-mail address: printed and posted
    text = pdf_text(letter)
    assert "Dear Vera Victim" in text
    assert "The panel approved a managed transfer to a new home for your household" in text
    assert "Percy" not in text and "Considered." not in text  # nor the panel's comments
    assert not Letter.objects.filter(recipient__role=PartyRole.PERPETRATOR).exists()
    # The officer is told the letter is on the case.
    assert "decision letter to the household is on the case" in mail.outbox[0].body


def test_w05_a_decision_without_a_quorum_writes_no_letter(cast, reachable, referral):
    members = [panellist(cast.organisation, manager=True), cast.panel]
    for member_ in members:
        panel_vote_cast(referral=referral, member=member_, vote=Vote.APPROVE, comment="Yes.")
    with pytest.raises(ValidationError):
        panel_decision_record(referral=referral, by=cast.panel)
    assert not Letter.objects.exists()
    assert not PanelDecision.objects.exists()


def test_w17_recording_the_decision_twice_sends_one_letter(cast, reachable, referral):
    quorum(cast, referral)
    decision = panel_decision_record(referral=referral, by=cast.panel)
    with pytest.raises(ValidationError):
        panel_decision_record(referral=referral, by=cast.panel)
    again = decision_letter_issue(decision=decision, by=cast.panel)
    assert again == decision.letter
    assert Letter.objects.filter(kind=LetterKind.PANEL_DECISION).count() == 1


def test_w17_the_letter_is_saved_with_the_decision_or_not_at_all(
    cast, reachable, referral, monkeypatch
):
    """If the letter cannot be written, the decision is not half-recorded."""
    import transfers.services.decision_letters as module

    def broken(**kwargs):
        raise RuntimeError("database went away")

    quorum(cast, referral)
    monkeypatch.setattr(module, "letter_issue", broken)
    with pytest.raises(RuntimeError):
        panel_decision_record(referral=referral, by=cast.panel)
    assert not PanelDecision.objects.exists() and not Letter.objects.exists()


def test_w17_a_complainant_outside_the_household_is_not_written_to(
    cast, reachable, referral, django_capture_on_commit_callbacks
):
    neighbour = Person.objects.create(
        organisation=cast.organisation, full_name="Nora Neighbour", email="nora@example.org"
    )
    CaseParty.objects.create(case=reachable, person=neighbour, role=PartyRole.COMPLAINANT)
    quorum(cast, referral, votes=(Vote.DECLINE,) * 3)
    decision = panel_decision_record(referral=referral, by=cast.panel)
    assert decision.letter.recipient.person == reachable.victim
    assert "did not approve" in decision.letter.merge_values["panel_decision"]


def test_w17_a_deferral_tells_the_household_when_it_is_looked_at_again(cast, reachable, referral):
    quorum(cast, referral, votes=(Vote.DEFER,) * 3)
    decision = panel_decision_record(referral=referral, by=cast.panel)
    referral.refresh_from_db()
    text = decision.letter.merge_values["panel_decision"]
    assert "again at its next meeting on" in text
    assert f"{referral.meeting.meets_at:%B %Y}" in text


def test_w17_a_household_nobody_can_write_to_still_gets_its_decision_and_the_officer_is_told(
    cast, case, referral, django_capture_on_commit_callbacks
):
    quorum(cast, referral)
    with django_capture_on_commit_callbacks(execute=True):
        decision = panel_decision_record(referral=referral, by=cast.panel)
    decision.refresh_from_db()
    assert decision.letter is None and decision.letter_sent_at is None
    assert not Letter.objects.exists()
    assert "No decision letter could be produced" in mail.outbox[0].body


def test_w17_the_officer_sees_the_decision_letter_on_the_case(
    client, cast, reachable, referral, django_capture_on_commit_callbacks
):
    quorum(cast, referral)
    client.force_login(cast.panel)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("transfers:panel_decide", args=[referral.pk]))
    assert response.status_code == 302
    letter = Letter.objects.get(case=reachable)
    client.force_login(cast.officer)
    page = client.get(reverse("cases:detail", args=[reachable.pk])).content.decode()
    assert 'data-kind="panel_decision"' in page
    assert reverse("letters:download", args=[reachable.pk, letter.pk]) in page
    detail = client.get(reverse("transfers:referral_detail", args=[referral.pk])).content.decode()
    assert "Decision letter issued to the household" in detail


def test_w17_the_decision_letter_goes_through_the_letter_kinds_recipient_rule(
    cast, reachable, referral, monkeypatch
):
    """Narrow the panel decision letter to witnesses: the decision path is refused with it."""
    from letters.services import issue as issue_module

    monkeypatch.setattr(
        issue_module,
        "LETTER_RECIPIENT_ROLES",
        {**issue_module.LETTER_RECIPIENT_ROLES, LetterKind.PANEL_DECISION: (PartyRole.WITNESS,)},
    )
    quorum(cast, referral)
    with pytest.raises(ValidationError) as refused:
        panel_decision_record(referral=referral, by=cast.panel)
    assert "recipient" in refused.value.message_dict
    assert not PanelDecision.objects.filter(referral=referral).exists()
