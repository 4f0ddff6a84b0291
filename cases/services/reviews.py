"""C26: the three-month review of an open case, recorded by the officer or a manager."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from deadlines.events import deadlines_case_reviewed

from ..models import Case, CaseReview
from ..models.choices import OPEN_STATUSES


def case_review_record(
    *, case: Case, by: User, reviewed_at: datetime, outcome: str, summary: str
) -> CaseReview:
    """Record the review and meet C26's review deadline with it (late if it was overdue).

    The same review sent twice (a double click) is recorded once: the case row is locked
    while the second looks for the first.
    """
    errors: dict[str, str] = {}
    if case.status not in OPEN_STATUSES:
        errors["__all__"] = "Only an open case is reviewed; this one is closed."
    if outcome not in CaseReview.Outcome.values:
        errors["outcome"] = "Choose what the review decided."
    if not summary.strip():
        errors["summary"] = "Say what the review found."
    if reviewed_at > timezone.now():
        errors["reviewed_at"] = "A review cannot be recorded in the future."
    elif reviewed_at < case.received_at:
        errors["reviewed_at"] = "The review cannot be before the report was received."
    if errors:
        raise ValidationError(errors)
    fields = {"reviewed_at": reviewed_at, "outcome": outcome, "summary": summary.strip()}
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()
        already = CaseReview.objects.filter(case=case, reviewed_by=by, **fields).first()
        if already is not None:
            return already
        review = CaseReview(case=case, reviewed_by=by, **fields)
        review._history_user = by  # type: ignore[attr-defined]
        review.save()
        deadlines_case_reviewed(case=case, reviewed_at=reviewed_at, by=by)
    return review
