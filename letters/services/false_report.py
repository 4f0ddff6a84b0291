"""W20: the false-report process. The officer raises a concern with reasons and the
complainant gets a letter and 10 working days (policy) to give more evidence; the evidence
is logged; the concern is resolved (the case goes on) or not (a no-further-support letter,
and the case moves to closing)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from cases.models import Case, CaseParty
from cases.models.choices import PartyRole, Status
from cases.services.changes import case_update
from deadlines.events import (
    deadlines_false_report_decided,
    deadlines_false_report_evidence_received,
    deadlines_false_report_letter_sent,
)
from deadlines.models import LIVE_STATES, Deadline, DeadlineRule

from ..models import ConcernOutcome, FalseReportConcern, LetterKind
from .issue import letter_issue


def complainant_party(case: Case) -> CaseParty | None:
    """The person letters to 'the complainant' go to: the complainant, else the victim."""
    parties = [p for p in case.parties.select_related("person") if p.person_id]
    for role in (PartyRole.COMPLAINANT, PartyRole.VICTIM):
        for party in parties:
            if party.role == role:
                return party
    return None


def _require_complainant(case: Case) -> CaseParty:
    complainant = complainant_party(case)
    if complainant is None:
        raise ValidationError(
            "Add the complainant (or victim) to the case first: the letter goes to them."
        )
    return complainant


ALREADY_OPEN = "There is already an open concern on this case."


def _open_concern_exists(case: Case) -> bool:
    return FalseReportConcern.objects.filter(case=case, outcome=ConcernOutcome.OPEN).exists()


def false_report_concern_raise(*, case: Case, by: User, reasons: str) -> FalseReportConcern:
    reasons = reasons.strip()
    if not reasons:
        raise ValidationError({"reasons": "Say what the concern is: the letter sets it out."})
    if case.status == Status.CLOSED:
        raise ValidationError("The case is closed.")
    if _open_concern_exists(case):
        raise ValidationError(ALREADY_OPEN)
    complainant = _require_complainant(case)
    now = timezone.now()
    with transaction.atomic():
        # A double click sends two requests at once: the second waits for the first here,
        # then finds its concern.
        Case.objects.select_for_update().only("pk").get(pk=case.pk)
        if _open_concern_exists(case):
            raise ValidationError(ALREADY_OPEN)
        deadlines_false_report_letter_sent(case=case, sent_at=now)
        deadline = (
            Deadline.objects.filter(
                case=case, rule=DeadlineRule.W20_FALSE_REPORT_EVIDENCE, state__in=LIVE_STATES
            )
            .order_by("-started_at")
            .first()
        )
        if deadline is None:
            raise ValidationError(
                "Your organisation's policy sets no time for further evidence after a "
                "false-report letter: add a rule that starts on it in the policy designer "
                "(WCH 2022 gives 10 working days, W20)."
            )
        concern = FalseReportConcern(
            case=case, reasons=reasons, raised_by=by, raised_at=now, evidence_due_at=deadline.due_at
        )
        concern.concern_letter = letter_issue(
            case=case,
            kind=LetterKind.FALSE_REPORT_CONCERN,
            recipient=complainant,
            by=by,
            reason="Concern about the information given (W20)",
            extra={"concern_reasons": reasons, "evidence_due_date": deadline.due_at},
        )
        concern._history_user = by  # type: ignore[attr-defined]
        concern._change_reason = "Concern raised"  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                concern.save()
        except IntegrityError as error:
            # Where the lock is not held (SQLite), the database's one-open-concern rule is
            # the last word; leaving the outer block undoes the letter and the deadline.
            raise ValidationError(ALREADY_OPEN) from error
    return concern


def false_report_evidence_log(
    *, concern: FalseReportConcern, by: User, received_at: datetime, notes: str
) -> FalseReportConcern:
    if not concern.is_open:
        raise ValidationError("The concern has already been decided.")
    if not notes.strip():
        raise ValidationError({"notes": "Describe the evidence received."})
    if received_at > timezone.now():
        raise ValidationError({"received_at": "Evidence cannot be received in the future."})
    with transaction.atomic():
        concern.evidence_received_at = received_at
        concern.evidence_notes = notes.strip()
        concern.evidence_logged_by = by
        concern._history_user = by  # type: ignore[attr-defined]
        concern._change_reason = "Evidence received"  # type: ignore[attr-defined]
        concern.save()
        deadlines_false_report_evidence_received(case=concern.case, received_at=received_at, by=by)
    return concern


def false_report_concern_decide(
    *, concern: FalseReportConcern, by: User, resolved: bool, notes: str
) -> FalseReportConcern:
    """Resolved: the case goes on. Not resolved: the no-further-support letter, and the case
    moves to closing. Not resolved may be decided only once evidence came or the time ran out."""
    if not concern.is_open:
        raise ValidationError("The concern has already been decided.")
    if not notes.strip():
        raise ValidationError({"notes": "Record why."})
    now = timezone.now()
    if (
        not resolved
        and concern.evidence_received_at is None
        and concern.evidence_due_at
        and now < concern.evidence_due_at
    ):
        raise ValidationError(
            "The complainant still has until the evidence date to respond (W20); decide then, "
            "or once their evidence is logged."
        )
    case = concern.case
    with transaction.atomic():
        concern.outcome = ConcernOutcome.RESOLVED if resolved else ConcernOutcome.NOT_RESOLVED
        concern.outcome_at = now
        concern.outcome_by = by
        concern.outcome_notes = notes.strip()
        deadlines_false_report_decided(case=case, decided_at=now, by=by)
        if not resolved:
            concern.no_further_support_letter = letter_issue(
                case=case,
                kind=LetterKind.NO_FURTHER_SUPPORT,
                recipient=_require_complainant(case),
                by=by,
                reason=notes.strip(),
            )
            locked = Case.objects.select_for_update().get(pk=case.pk)
            case_update(
                case=locked,
                by=by,
                expected_version=locked.version,
                reason="False-report concern not resolved: no further support (W20)",
                status=Status.CLOSING,
            )
        concern._history_user = by  # type: ignore[attr-defined]
        concern._change_reason = f"Concern {concern.get_outcome_display().lower()}"[:100]  # type: ignore[attr-defined]
        concern.save()
    return concern
