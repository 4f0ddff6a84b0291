"""Rectification requests (UK GDPR art. 16): recorded, decided with a reason, and an accepted
one applied through the person's normal edit service, so the change is in their history with
the request named as its reason."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import Person
from cases.services.parties import person_update

from ..due import one_month_after
from ..models import RectificationRequest, RectificationStatus


def rectification_request_record(
    *, person: Person, by: User, received_at, details: str
) -> RectificationRequest:
    errors = {}
    if received_at > timezone.now():
        errors["received_at"] = "A request cannot be received in the future."
    if not details.strip():
        errors["details"] = "Write what the person says is wrong and what it should say."
    if errors:
        raise ValidationError(errors)
    request = RectificationRequest(
        organisation=person.organisation,
        person=person,
        received_at=received_at,
        due_at=one_month_after(received_at=received_at, organisation=person.organisation),
        details=details.strip(),
        recorded_by=by,
    )
    request._history_user = by  # type: ignore[attr-defined]
    request._change_reason = "Rectification request recorded"  # type: ignore[attr-defined]
    with transaction.atomic():
        request.save()
    return request


def rectification_decide(
    *,
    request: RectificationRequest,
    by: User,
    accept: bool,
    reason: str,
    changes: dict | None = None,
    expected_version: int | None = None,
) -> RectificationRequest:
    """Accept (and correct the record with ``changes``) or refuse, with the reason. The
    correction and the decision commit together: one without the other is never kept."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the decision."})
    with transaction.atomic():
        locked = RectificationRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RectificationStatus.OPEN:
            raise ValidationError("This request has already been decided.")
        if accept:
            person_update(
                person=locked.person,
                by=by,
                expected_version=expected_version
                if expected_version is not None
                else locked.person.version,
                reason=f"Rectification request {locked.reference}: {reason.strip()}"[:1000],
                **(changes or {}),
            )
        locked.status = RectificationStatus.ACCEPTED if accept else RectificationStatus.REFUSED
        locked.decision_reason = reason.strip()
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked._history_user = by  # type: ignore[attr-defined]
        locked._change_reason = (  # type: ignore[attr-defined]
            "Accepted: record corrected" if accept else "Refused"
        )
        locked.save()
    return locked
