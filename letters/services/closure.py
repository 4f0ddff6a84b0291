"""W21, C26: closing a case with a reason and a letter, the appeal that reopens it, the
complainant's satisfaction afterwards, and a new case when the same people report again."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases.models import Case
from cases.models.choices import Status
from cases.services.changes import case_update
from cases.services.intake import case_open
from cases.services.parties import party_add
from deadlines.events import deadlines_appeal_received, deadlines_case_closed
from deadlines.models import LIVE_STATES, Deadline

from ..merge import long_date
from ..models import CaseClosure, ClosureReason, LetterKind, SatisfactionMethod
from .false_report import complainant_party
from .issue import letter_issue

# Closure without having discussed it is allowed only when the complainant cannot be
# reached or support has ended after a false-report concern, and then notes say why.
UNDISCUSSABLE = (ClosureReason.NO_CONTACT, ClosureReason.NO_FURTHER_SUPPORT)
FEEDBACK_LINK_DAYS = 90


def feedback_url(token: str) -> str:
    return settings.HAVEN_SITE_URL + reverse("feedback", args=[token])


def case_close(
    *,
    case: Case,
    by: User,
    reason: str,
    rationale: str,
    discussed_with_complainant: bool,
    discussed_on: date | None,
    discussion_notes: str,
    expected_version: int,
) -> CaseClosure:
    errors: dict[str, str] = {}
    if reason not in ClosureReason.values:
        errors["reason"] = "Choose a reason for closing."
    if not rationale.strip():
        errors["rationale"] = "Explain the closure: the letter gives the reason (W21)."
    if discussed_with_complainant and discussed_on is None:
        errors["discussed_on"] = "Say when closure was discussed."
    if discussed_on and discussed_on > timezone.localdate():
        errors["discussed_on"] = "That date is in the future."
    if not discussed_with_complainant and (
        reason not in UNDISCUSSABLE or not discussion_notes.strip()
    ):
        errors["discussed_with_complainant"] = (
            "Discuss closure with the complainant first (C26). Only if they cannot be reached, "
            "or support ended after a false-report concern, close without it and say why."
        )
    if errors:
        raise ValidationError(errors)
    if case.status == Status.CLOSED:
        raise ValidationError("The case is already closed.")
    now = timezone.now()
    complainant = complainant_party(case)
    with transaction.atomic():
        closed = case_update(
            case=case,
            by=by,
            expected_version=expected_version,
            reason=f"Closed: {ClosureReason(reason).label}"[:100],
            status=Status.CLOSED,
            closed_at=now,
        )
        deadlines_case_closed(case=closed, closed_at=now, by=by)
        window = Deadline.objects.filter(
            case=closed, window=True, started_at=now, state__in=LIVE_STATES
        ).first()
        closure = CaseClosure(
            case=closed,
            reason=reason,
            rationale=rationale.strip(),
            discussed_with_complainant=discussed_with_complainant,
            discussed_on=discussed_on if discussed_with_complainant else None,
            discussion_notes=discussion_notes.strip()[:500],
            closed_by=by,
            closed_at=now,
            appeal_until=window.due_at if window else None,
            feedback_token=secrets.token_urlsafe(32),
        )
        if complainant is not None:
            appeal_text = ""
            if closure.appeal_until:
                appeal_text = (
                    "If you disagree with the decision to close your case, you may appeal "
                    f"until {long_date(closure.appeal_until)} by contacting "
                    f"{closed.assigned_officer.full_name if closed.assigned_officer else 'us'}."
                )
            closure.letter = letter_issue(
                case=closed,
                kind=LetterKind.CLOSURE,
                recipient=complainant,
                by=by,
                reason="Case closed (W21)",
                extra={
                    "closure_reason": ClosureReason(reason).label,
                    "closure_rationale": rationale.strip(),
                    "appeal_until_date": closure.appeal_until or "",
                    "appeal_text": appeal_text,
                    "feedback_link": feedback_url(closure.feedback_token),
                },
            )
        closure._history_user = by  # type: ignore[attr-defined]
        closure._change_reason = "Case closed"  # type: ignore[attr-defined]
        closure.save()
    return closure


def case_closure_appeal(
    *, closure: CaseClosure, by: User, grounds: str, received_at: datetime | None = None
) -> Case:
    """C26: an appeal within the window reopens the case."""
    received_at = received_at or timezone.now()
    if not grounds.strip():
        raise ValidationError({"grounds": "Record the complainant's grounds for appeal."})
    if not closure.appeal_open(received_at):
        raise ValidationError("The appeal window for this closure is not open.")
    case = closure.case
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status != Status.CLOSED:
            raise ValidationError("The case is not closed.")
        reopened = case_update(
            case=locked,
            by=by,
            expected_version=locked.version,
            reason="Reopened on appeal (C26)",
            status=Status.OPEN,
            closed_at=None,
        )
        closure.appealed_at = received_at
        closure.appeal_grounds = grounds.strip()
        closure.appeal_recorded_by = by
        closure._history_user = by  # type: ignore[attr-defined]
        closure._change_reason = "Appeal received: case reopened"  # type: ignore[attr-defined]
        closure.save()
        # The window ends; the reopened case's regular contact and its review start again.
        deadlines_appeal_received(case=reopened, received_at=received_at, by=by)
    return reopened


def closure_satisfaction_record(
    *,
    closure: CaseClosure,
    score: int,
    comment: str,
    method: str,
    by: User | None = None,
) -> CaseClosure:
    """C26: the complainant's view of how the case was handled, once per closure."""
    if score not in range(1, 6):
        raise ValidationError({"score": "Choose a score from 1 to 5."})
    if method not in SatisfactionMethod.values:
        raise ValidationError({"method": "Unknown method."})
    now = timezone.now()
    with transaction.atomic():
        updated = CaseClosure.objects.filter(
            pk=closure.pk, satisfaction_recorded_at__isnull=True
        ).update(
            satisfaction=score,
            satisfaction_comment=comment.strip()[:2000],
            satisfaction_method=method,
            satisfaction_recorded_at=now,
            satisfaction_recorded_by=by,
        )
        if not updated:
            raise ValidationError("Feedback for this closure has already been recorded.")
        closure.refresh_from_db()
        CaseClosure.history.bulk_history_create(
            [closure], update=True, default_user=by, default_change_reason="Satisfaction recorded"
        )
    return closure


def closure_for_feedback_token(token: str) -> CaseClosure | None:
    """The closure a feedback link belongs to, if the link is still good."""
    if not token or len(token) > 64:
        return None
    closure = (
        CaseClosure.objects.select_related("case__organisation")
        .filter(feedback_token=token)
        .first()
    )
    if closure is None or not secrets.compare_digest(closure.feedback_token, token):
        return None
    if closure.satisfaction_recorded_at is not None:
        return None
    if timezone.now() > closure.closed_at + timedelta(days=FEEDBACK_LINK_DAYS):
        return None
    return closure


def case_open_follow_up(
    *,
    previous: Case,
    by: User,
    received_at: datetime,
    channel: str,
    reporter_type: str,
    summary: str,
) -> Case:
    """A new report about the same people after closure: a new case linked to the old one,
    with the same people in the same roles."""
    if previous.status != Status.CLOSED:
        raise ValidationError("Only a closed case can be followed by a new one.")
    with transaction.atomic():
        new = case_open(
            organisation=previous.organisation,
            logged_by=by,
            received_at=received_at,
            channel=channel,
            reporter_type=reporter_type,
            category=previous.category,
            summary=summary,
            area=previous.area,
            location=previous.location,
            assigned_officer=previous.assigned_officer,
            restricted=previous.restricted,
            previous_case=previous,
        )
        for party in previous.parties.select_related("person"):
            party_add(
                case=new,
                by=by,
                role=party.role,
                person=party.person,
                perpetrator_kind=party.perpetrator_kind,
                description=party.description,
            )
    return new
