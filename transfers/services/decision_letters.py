"""The panel's decision letter to the household (W17, W05), through the letters machinery.

Issued inside the transaction that records the decision, so the decision and its letter are
saved together; the decision keeps a link to the letter, which makes issuing exactly-once.
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from cases.models import CaseParty
from cases.models.choices import PartyRole
from letters.merge import long_date
from letters.models import Letter, LetterKind
from letters.services.issue import letter_issue

from ..choices import ReferralType, Vote
from ..models import PanelDecision

# The household hears through the complainant first, else the victim: never anyone else.
HOUSEHOLD_ROLES = (PartyRole.COMPLAINANT, PartyRole.VICTIM)


def decision_letter_recipient(*, decision: PanelDecision) -> CaseParty | None:
    """The household member on the case who is the complainant (else the victim) and whom a
    letter can reach, or None when nobody in the household can be written to."""
    referral = decision.referral
    household = set(referral.household.values_list("pk", flat=True))
    parties = CaseParty.objects.filter(
        case=referral.case, role__in=HOUSEHOLD_ROLES, person_id__in=household
    ).select_related("person")
    ranked = sorted(parties, key=lambda p: (HOUSEHOLD_ROLES.index(p.role), p.pk))
    for party in ranked:
        person = party.person
        if person.email or person.address or person.postcode:
            return party
    return None


def decision_letter_text(*, decision: PanelDecision) -> str:
    """What the letter says the panel decided, in plain words. No votes or comments: those
    are the panel's record, not the household's letter."""
    referral = decision.referral
    move = (
        "a move on management grounds"
        if referral.referral_type == ReferralType.MANAGEMENT_MOVE
        else "a managed transfer to a new home"
    )
    met_on = long_date(decision.meeting.meets_at)
    if decision.outcome == Vote.APPROVE:
        return (
            f"The panel approved {move} for your household at its meeting on {met_on}. "
            "Your case officer will contact you about the next steps and about any offer of "
            "a new home."
        )
    if decision.outcome == Vote.DECLINE:
        return (
            f"The panel did not approve {move} for your household at its meeting on {met_on}. "
            "Your case officer will explain the reasons and talk to you about the other ways "
            "we can help to keep you safe."
        )
    following = referral.meeting
    again = f" on {long_date(following.meets_at)}" if following else ""
    return (
        f"The panel needs to consider your request for {move} further and will look at it "
        f"again at its next meeting{again}. Your case officer will keep you informed."
    )


def decision_letter_issue(*, decision: PanelDecision, by: User | None) -> Letter | None:
    """Issue the decision letter once. Returns the letter (the existing one if it was already
    issued), or None when no household member can be written to (the officer is told)."""
    with transaction.atomic():
        locked = (
            PanelDecision.objects.select_for_update(of=("self",))
            .select_related("referral__case", "referral__meeting", "meeting")
            .get(pk=decision.pk)
        )
        if locked.letter_id is not None:
            return locked.letter
        recipient = decision_letter_recipient(decision=locked)
        if recipient is None:
            return None
        letter = letter_issue(
            case=locked.referral.case,
            kind=LetterKind.PANEL_DECISION,
            recipient=recipient,
            by=by,
            reason="",
            extra={"panel_decision": decision_letter_text(decision=locked)},
        )
        locked.letter = letter
        locked.letter_sent_at = letter.created_at
        locked._change_reason = "Decision letter issued to the household"  # type: ignore[attr-defined]
        locked.save(update_fields=["letter", "letter_sent_at"])
    decision.letter, decision.letter_sent_at = locked.letter, locked.letter_sent_at
    return letter
