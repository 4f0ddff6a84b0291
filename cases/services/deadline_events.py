"""Which events start and meet which deadlines. Called by the services recording the events.

Each function is safe to call inside the caller's transaction; none sends anything (the
sweep does). Functions for features still to be built (action plans, safeguarding,
repairs, false reports, closure) are the contract those features call.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from accounts.models import User
from accounts.policy import policy_for
from accounts.workdays import LONDON

from ..deadline_rules import (
    VIOLENCE_RULES,
    agreed_timescale,
    clause_text,
    due_at,
    faster_applies,
)
from ..models import Case, Contact
from ..models.choices import ContactMethod, ContactPurpose, PartyRole
from ..models.deadlines import LIVE_STATES, Deadline
from ..models.deadlines import DeadlineRule as R
from .deadlines import (
    deadline_bring_forward,
    deadline_meet,
    deadline_reschedule,
    deadline_start,
    deadlines_close_for_case,
)

# Purposes that only make sense with the complainant, for a contact logged without a party.
COMPLAINANT_PURPOSES = {
    ContactPurpose.FIRST_CONTACT,
    ContactPurpose.CASE_OFFICER_CONTACT,
    ContactPurpose.WELFARE_CALL,
}


def deadlines_case_opened(*, case: Case) -> None:
    """W08/C17, C19, C20, C21, W13, C26 from the report's receipt; C16 on a Friday.

    With violence or a threat of it (fear of violence at intake) C19, C20 and C21 start on
    the policy's faster timescale. Incidents are recorded after the case opens: one with a
    violent act brings them forward (``deadlines_violence_recorded``).
    """
    policy = policy_for(case.organisation)
    start = case.received_at
    violence = case.fear_of_violence
    with transaction.atomic():
        for rule in (
            R.W08_FIRST_CONTACT,
            R.C19_OFFICER_CONTACT,
            R.C20_INTERVIEW,
            R.C21_ACTION_PLAN,
            R.W13_WELFARE_CALL,
            R.C26_CASE_REVIEW,
        ):
            deadline_start(
                case=case,
                rule=rule,
                started_at=start,
                source="Report received",
                policy=policy,
                violence=violence,
            )
        if case.fear_of_violence and start.astimezone(LONDON).weekday() == 4:
            deadline_start(
                case=case,
                rule=R.C16_WEEKEND_REFERRAL,
                started_at=start,
                source="Friday report with fear of violence",
                policy=policy,
            )


def deadlines_violence_recorded(*, case: Case, by: User | None, what: str = "") -> list[Deadline]:
    """C19, C20, C21: violence or a threat of it became known after the case was opened.

    Every live officer-contact, interview and action-plan deadline is brought forward to its
    start plus the policy's faster timescale, if that is sooner; never later. Met and waived
    ones are history and stay as they are. ``what`` says what was recorded, for the history.
    Returns the deadlines brought forward.
    """
    policy = policy_for(case.organisation)
    reason = "Brought forward: violence or a threat of it recorded"
    if what:
        reason = f"{reason} ({what})"
    moved: list[Deadline] = []
    with transaction.atomic():
        live = Deadline.objects.select_for_update().filter(
            case=case, rule__in=VIOLENCE_RULES, state__in=LIVE_STATES
        )
        for deadline in live:
            faster = due_at(deadline.rule, deadline.started_at, policy, violence=True)
            if faster is None or not faster_applies(deadline.rule, policy, violence=True):
                continue
            if deadline_bring_forward(
                deadline=deadline,
                due=faster,
                clause=clause_text(deadline.rule, policy, violence=True),
                reason=reason,
                by=by,
                policy=policy,
            ):
                moved.append(deadline)
    return moved


def _with_complainant(contact: Contact) -> bool:
    if contact.party_id is not None:
        # A victim who reported it is the complainant too (the case form lets either role
        # stand for the person who reported).
        return contact.party.role in (PartyRole.COMPLAINANT, PartyRole.VICTIM)
    return contact.purpose in COMPLAINANT_PURPOSES


def deadlines_contact_logged(*, contact: Contact) -> None:
    """A reached contact with the complainant meets W08; the case officer's meets C19; an
    interview meets C20; a welfare call meets W13 and starts the next one."""
    if not contact.reached or not _with_complainant(contact):
        return
    case = contact.case
    policy = policy_for(case.organisation)
    source = f"{contact.get_method_display()} logged (contact {contact.pk})"
    common = {"case": case, "met_at": contact.occurred_at, "by": contact.recorded_by}
    with transaction.atomic():
        deadline_meet(rule=R.W08_FIRST_CONTACT, source=source, policy=policy, **common)
        by_case_officer = (
            case.assigned_officer_id is not None
            and contact.recorded_by_id == case.assigned_officer_id
        )
        if by_case_officer or contact.purpose == ContactPurpose.CASE_OFFICER_CONTACT:
            deadline_meet(rule=R.C19_OFFICER_CONTACT, source=source, policy=policy, **common)
        if contact.method == ContactMethod.INTERVIEW or contact.purpose == ContactPurpose.INTERVIEW:
            deadline_meet(rule=R.C20_INTERVIEW, source=source, policy=policy, **common)
        if contact.purpose == ContactPurpose.WELFARE_CALL:
            deadline_meet(rule=R.W13_WELFARE_CALL, source=source, policy=policy, **common)


def deadlines_plan_agreed(*, case: Case, agreed_at: datetime, by: User) -> None:
    """C21 met; C22's first review starts from the plan's creation."""
    with transaction.atomic():
        deadline_meet(
            case=case, rule=R.C21_ACTION_PLAN, met_at=agreed_at, by=by, source="Plan agreed"
        )
        deadline_start(
            case=case, rule=R.C22_FIRST_PLAN_REVIEW, started_at=agreed_at, source="Plan agreed"
        )


def deadlines_plan_reviewed(*, case: Case, reviewed_at: datetime, by: User) -> None:
    """C22: the first or a regular review is met; the next review starts from this one."""
    with transaction.atomic():
        met = deadline_meet(
            case=case,
            rule=R.C22_FIRST_PLAN_REVIEW,
            met_at=reviewed_at,
            by=by,
            source="Plan reviewed",
        )
        if not met:
            deadline_meet(
                case=case, rule=R.C22_PLAN_REVIEW, met_at=reviewed_at, by=by, source="Plan reviewed"
            )


def deadlines_plan_changed(*, case: Case, changed_at: datetime) -> None:
    """C22: an updated plan is to be issued to the complainant within 3 days of a change."""
    deadline_start(
        case=case, rule=R.C22_UPDATED_PLAN_ISSUED, started_at=changed_at, source="Plan changed"
    )


def deadlines_plan_issued(*, case: Case, issued_at: datetime, by: User) -> None:
    deadline_meet(
        case=case,
        rule=R.C22_UPDATED_PLAN_ISSUED,
        met_at=issued_at,
        by=by,
        source="Updated plan issued",
    )


def deadlines_safeguarding_risk_recorded(
    *, case: Case, recorded_at: datetime, source_key: str = ""
) -> None:
    """W15: a child or adult at risk; referral due by the end of that working day."""
    deadline_start(
        case=case,
        rule=R.W15_SAFEGUARDING_REFERRAL,
        started_at=recorded_at,
        source="Child or adult at risk recorded",
        source_key=source_key,
    )


def deadlines_safeguarding_referral_made(
    *, case: Case, referred_at: datetime, by: User, source_key: str | None = None
) -> None:
    deadline_meet(
        case=case,
        rule=R.W15_SAFEGUARDING_REFERRAL,
        met_at=referred_at,
        by=by,
        source="Safeguarding referral made",
        source_key=source_key,
    )


def deadlines_contact_frequency_agreed(*, case: Case, by: User) -> list[Deadline]:
    """W13 / C22: the complainant agreed how often to be called (``case.agreed_contact_days``,
    None: back to the policy's). The open welfare-call deadline moves to its start plus the new
    interval, either way; the calls after it follow the new interval. Returns those moved."""
    policy = policy_for(case.organisation)
    rule = R.W13_WELFARE_CALL
    agreed = agreed_timescale(rule, case)
    moved = []
    live = Deadline.objects.select_for_update().filter(case=case, rule=rule, state__in=LIVE_STATES)
    with transaction.atomic():
        for deadline in live:
            due = due_at(rule, deadline.started_at, policy, agreed=agreed)
            if due is not None and deadline_reschedule(
                deadline=deadline,
                due=due,
                clause=clause_text(rule, policy, agreed=agreed),
                reason="Contact frequency agreed with the complainant"
                if agreed
                else "Contact frequency back to the policy's",
                by=by,
                policy=policy,
            ):
                moved.append(deadline)
    return moved


def deadlines_weekend_referral_made(*, case: Case, referred_at: datetime, by: User) -> None:
    deadline_meet(
        case=case,
        rule=R.C16_WEEKEND_REFERRAL,
        met_at=referred_at,
        by=by,
        source="Weekend-support referral made",
    )


def deadlines_repair_reported(*, case: Case, reported_at: datetime, source_key: str) -> None:
    """C19/C26: graffiti or an emergency repair; ``source_key`` names the repair (its pk)."""
    deadline_start(
        case=case,
        rule=R.C19_REPAIR,
        started_at=reported_at,
        source="Graffiti or emergency repair reported",
        source_key=source_key,
    )


def deadlines_repair_done(*, case: Case, repaired_at: datetime, by: User, source_key: str) -> None:
    deadline_meet(
        case=case,
        rule=R.C19_REPAIR,
        met_at=repaired_at,
        by=by,
        source="Repair done",
        source_key=source_key,
    )


def deadlines_case_reviewed(*, case: Case, reviewed_at: datetime, by: User) -> None:
    """C26: the three-month review of an open case."""
    deadline_meet(
        case=case, rule=R.C26_CASE_REVIEW, met_at=reviewed_at, by=by, source="Case reviewed"
    )


def deadlines_false_report_letter_sent(*, case: Case, sent_at: datetime) -> None:
    """W20: the complainant has 10 working days (policy setting) to give more evidence."""
    deadline_start(
        case=case,
        rule=R.W20_FALSE_REPORT_EVIDENCE,
        started_at=sent_at,
        source="False-report letter sent",
    )


def deadlines_false_report_evidence_received(
    *, case: Case, received_at: datetime, by: User
) -> None:
    deadline_meet(
        case=case,
        rule=R.W20_FALSE_REPORT_EVIDENCE,
        met_at=received_at,
        by=by,
        source="Further evidence received",
    )


def deadlines_case_closed(*, case: Case, closed_at: datetime, by: User) -> None:
    """Every live deadline is closed with the case; C26's appeal window opens."""
    with transaction.atomic():
        deadlines_close_for_case(case=case, closed_at=closed_at, by=by)
        deadline_start(
            case=case, rule=R.C26_APPEAL_WINDOW, started_at=closed_at, source="Case closed"
        )
