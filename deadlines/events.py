"""The small interface between what happens on a case and the organisation's policy rules: a
function per event, called by the services that record the events.

Each says what happened (an ``Event`` that may start deadlines, or a ``Done`` that may meet
them); which deadlines that starts or meets is the policy's business (``policy`` rules,
applied in ``deadlines``). Each is safe to call inside the caller's transaction; none sends
anything (the sweep does).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from accounts.models import User
from cases.models import Case, CaseParty, Contact
from cases.models.choices import ContactPurpose, PartyRole
from policy.engine import Done
from policy.vocabulary import Action, Event

from .models import Deadline
from .services import (
    case_facts,
    deadlines_close_for_case,
    deadlines_facts_changed,
    deadlines_meet_by,
    deadlines_restart_on_reopening,
    deadlines_start_for_event,
    deadlines_terms_agreed,
)

# Purposes that only make sense with the complainant, for a contact logged without a party.
COMPLAINANT_PURPOSES = {
    ContactPurpose.FIRST_CONTACT,
    ContactPurpose.CASE_OFFICER_CONTACT,
    ContactPurpose.WELFARE_CALL,
}
# A victim who reported it is the complainant too (the case form lets either role stand for
# the person who reported): rules speak of "the complainant" for both.
ROLE_IN_RULES = {
    PartyRole.COMPLAINANT: "complainant",
    PartyRole.VICTIM: "complainant",
    PartyRole.PERPETRATOR: "perpetrator",
    PartyRole.WITNESS: "witness",
}


def party_key(party_id: int) -> str:
    return f"party-{party_id}"


def deadlines_case_opened(*, case: Case) -> None:
    """Everything the report's receipt starts (W08/C17, C19, C20, C21, W13, C26; C16 on a
    Friday with fear of violence), each on the timescale the case's facts choose."""
    deadlines_start_for_event(
        case=case,
        event=Event.REPORT_RECEIVED,
        started_at=case.received_at,
        source="Report received",
    )


def deadlines_violence_recorded(*, case: Case, by: User | None, what: str = "") -> list[Deadline]:
    """Violence or a threat of it became known after the case was opened (C19, C20, C21
    sooner): every live deadline whose rule is quicker with it is brought forward, never
    later. ``what`` says what was recorded, for the history."""
    reason = "violence or a threat of it recorded"
    return deadlines_facts_changed(case=case, by=by, what=f"{reason} ({what})" if what else reason)


def deadlines_case_facts_changed(*, case: Case, by: User | None, what: str) -> list[Deadline]:
    """The category or risk band changed: rules with conditions on them may now be quicker."""
    return deadlines_facts_changed(case=case, by=by, what=what)


def deadlines_party_added(*, party: CaseParty, at: datetime) -> None:
    """An alleged perpetrator or a witness added: rules about contacting them start, one per
    person, met by a contact with that person."""
    event = {PartyRole.PERPETRATOR: Event.PERPETRATOR_ADDED, PartyRole.WITNESS: Event.WITNESS_ADDED}
    if party.role not in event:
        return
    deadlines_start_for_event(
        case=party.case,
        event=event[party.role],
        started_at=at,
        source=f"{party.get_role_display()} added",
        source_key=party_key(party.pk),
    )


def _contact_role(contact: Contact) -> str:
    if contact.party_id is not None:
        return ROLE_IN_RULES.get(contact.party.role, "")
    return "complainant" if contact.purpose in COMPLAINANT_PURPOSES else ""


def deadlines_contact_logged(*, contact: Contact) -> None:
    """A contact that reached someone meets what the policy counts it for: W08 with the
    complainant, C19 by the case officer, C20 an interview, W13 a welfare call, a rule about
    a perpetrator or witness by contact with that person."""
    if not contact.reached:
        return
    case = contact.case
    done = Done(
        action=Action.CONTACT,
        role=_contact_role(contact),
        method=contact.method,
        purpose=contact.purpose,
        by_case_officer=(
            case.assigned_officer_id is not None
            and contact.recorded_by_id == case.assigned_officer_id
        ),
        key=party_key(contact.party_id) if contact.party_id else "",
    )
    source = f"{contact.get_method_display()} logged (contact {contact.pk})"
    deadlines_meet_by(
        case=case, done=done, met_at=contact.occurred_at, by=contact.recorded_by, source=source
    )


def _met(
    case: Case,
    action: str,
    at: datetime,
    by: User | None,
    source: str,
    *,
    any_key: bool = False,
    **done,
) -> None:
    deadlines_meet_by(
        case=case,
        done=Done(action=action, **done),
        met_at=at,
        by=by,
        source=source,
        any_key=any_key,
    )


def deadlines_plan_agreed(*, case: Case, agreed_at: datetime, by: User) -> None:
    """C21 met; C22's first review starts from the plan's agreement."""
    with transaction.atomic():
        _met(case, Action.PLAN_AGREED, agreed_at, by, "Plan agreed")
        deadlines_start_for_event(
            case=case, event=Event.PLAN_AGREED, started_at=agreed_at, source="Plan agreed"
        )


def deadlines_plan_reviewed(*, case: Case, reviewed_at: datetime, by: User) -> None:
    """C22: the first or a regular review is met; the next review starts from this one."""
    _met(case, Action.PLAN_REVIEWED, reviewed_at, by, "Plan reviewed")


def deadlines_plan_changed(*, case: Case, changed_at: datetime) -> None:
    """C22: an updated plan is to be issued to the complainant within 3 days of a change."""
    deadlines_start_for_event(
        case=case, event=Event.PLAN_CHANGED, started_at=changed_at, source="Plan changed"
    )


def deadlines_plan_issued(*, case: Case, issued_at: datetime, by: User) -> None:
    _met(case, Action.PLAN_ISSUED, issued_at, by, "Updated plan issued")


def deadlines_safeguarding_risk_recorded(
    *, case: Case, recorded_at: datetime, source_key: str = ""
) -> None:
    """W15: a child or adult at risk; referral due by the end of that working day."""
    deadlines_start_for_event(
        case=case,
        event=Event.SAFEGUARDING_RISK,
        started_at=recorded_at,
        source="Child or adult at risk recorded",
        source_key=source_key,
    )


def deadlines_safeguarding_referral_made(
    *, case: Case, referred_at: datetime, by: User, source_key: str | None = None
) -> None:
    """Meets the safeguarding referral of ``source_key``, or every one when None."""
    _met(
        case,
        Action.SAFEGUARDING_REFERRAL,
        referred_at,
        by,
        "Safeguarding referral made",
        key=source_key or "",
        any_key=source_key is None,
    )


def deadlines_contact_frequency_agreed(*, case: Case, by: User) -> list[Deadline]:
    """W13 / C22: the complainant agreed how often to be called (``case.agreed_contact_days``,
    None: back to the policy's). Open deadlines of rules that take an agreed frequency move to
    their start plus the new interval, either way; the calls after them follow it."""
    reason = (
        "Contact frequency agreed with the complainant"
        if case.agreed_contact_days
        else "Contact frequency back to the policy's"
    )
    return deadlines_terms_agreed(case=case, by=by, reason=reason)


def deadlines_support_referral_made(
    *, case: Case, referred_at: datetime, by: User, party: CaseParty
) -> None:
    """A referral to an outside agency: C16's weekend-support referral where it is the
    complainant's (met late if made after)."""
    _met(
        case,
        Action.SUPPORT_REFERRAL,
        referred_at,
        by,
        "Weekend-support referral made",
        role=ROLE_IN_RULES.get(party.role, ""),
        key=party_key(party.pk),
    )


def deadlines_repair_reported(
    *,
    case: Case,
    reported_at: datetime,
    source_key: str,
    damage_kind: str = "",
    offensive: bool = False,
    emergency: bool = False,
) -> None:
    """C19/C26: damage reported for repair; the policy's conditions choose which repairs have
    a deadline (graffiti that is offensive, an emergency). ``source_key`` names the repair."""
    facts = case_facts(
        case, damage_kind=damage_kind, offensive_graffiti=offensive, emergency_repair=emergency
    )
    deadlines_start_for_event(
        case=case,
        event=Event.REPAIR_REPORTED,
        started_at=reported_at,
        source="Graffiti or emergency repair reported",
        source_key=source_key,
        facts=facts,
    )


def deadlines_repair_done(*, case: Case, repaired_at: datetime, by: User, source_key: str) -> None:
    _met(case, Action.REPAIR_DONE, repaired_at, by, "Repair done", key=source_key)


def deadlines_case_reviewed(*, case: Case, reviewed_at: datetime, by: User) -> None:
    """C26: the three-month review of an open case."""
    _met(case, Action.CASE_REVIEWED, reviewed_at, by, "Case reviewed")


def deadlines_false_report_letter_sent(*, case: Case, sent_at: datetime) -> None:
    """W20: the complainant has 10 working days (the policy's) to give more evidence."""
    deadlines_start_for_event(
        case=case,
        event=Event.FALSE_REPORT_LETTER,
        started_at=sent_at,
        source="False-report letter sent",
    )


def deadlines_false_report_decided(*, case: Case, decided_at: datetime, by: User) -> None:
    _met(case, Action.CONCERN_DECIDED, decided_at, by, "Concern decided")


def deadlines_appeal_received(*, case: Case, received_at: datetime, by: User) -> None:
    """C26: an appeal ends the appeal window and what else runs after closure; the reopened
    case's recurring rules and its case review start again from the appeal."""
    with transaction.atomic():
        _met(case, Action.APPEAL_RECEIVED, received_at, by, "Appeal received")
        deadlines_restart_on_reopening(case=case, at=received_at, by=by)


def deadlines_false_report_evidence_received(
    *, case: Case, received_at: datetime, by: User
) -> None:
    _met(case, Action.EVIDENCE_RECEIVED, received_at, by, "Further evidence received")


def deadlines_case_closed(*, case: Case, closed_at: datetime, by: User) -> None:
    """Every live deadline is closed with the case; what runs after closure starts (C26's
    appeal window; a landlord's check-back contact)."""
    with transaction.atomic():
        _met(case, Action.CASE_CLOSED, closed_at, by, "Case closed")
        deadlines_close_for_case(case=case, closed_at=closed_at, by=by)
        deadlines_start_for_event(
            case=case, event=Event.CASE_CLOSED, started_at=closed_at, source="Case closed"
        )
