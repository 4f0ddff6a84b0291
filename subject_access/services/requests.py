"""Recording, releasing and downloading subject access requests (UK GDPR art. 15)."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import Person

from ..due import one_month_after
from ..models import SubjectAccessDownload, SubjectAccessRequest, SubjectAccessStatus

logger = logging.getLogger(__name__)


def _received_at_checked(received_at) -> None:
    if received_at > timezone.now():
        raise ValidationError({"received_at": "A request cannot be received in the future."})


def subject_access_request_record(
    *, person: Person, by: User, received_at, identity_check: str
) -> SubjectAccessRequest:
    """Log the request with its one-month due time and queue the bundle's preparation."""
    _received_at_checked(received_at)
    if not identity_check.strip():
        raise ValidationError(
            {"identity_check": "Say how you confirmed the person is who they say they are."}
        )
    request = SubjectAccessRequest(
        organisation=person.organisation,
        person=person,
        received_at=received_at,
        due_at=one_month_after(received_at=received_at, organisation=person.organisation),
        identity_check=identity_check.strip(),
        recorded_by=by,
    )
    request._history_user = by  # type: ignore[attr-defined]
    request._change_reason = "Subject access request recorded"  # type: ignore[attr-defined]
    with transaction.atomic():
        request.save()
        transaction.on_commit(lambda: subject_access_hand_over(request_id=request.pk))
    return request


def subject_access_hand_over(*, request_id: int) -> None:
    """Give the request to the worker; a broker that is down leaves it for the sweep."""
    from ..tasks import subject_access_prepare

    try:
        subject_access_prepare.apply_async(args=[request_id])
    except Exception:
        logger.warning(
            "Subject access request %s not handed to the worker; the sweep will retry",
            request_id,
        )


def subject_access_prepare_again(*, request: SubjectAccessRequest, by: User, reason: str):
    """After a review found something to change (a note marked disclosable, a record
    corrected): prepare the bundle again from what Haven holds now."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the bundle is prepared again."})
    with transaction.atomic():
        locked = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status not in (SubjectAccessStatus.READY, SubjectAccessStatus.FAILED):
            raise ValidationError(
                "Only a bundle ready for review, or one that failed, is prepared again."
            )
        locked.status = SubjectAccessStatus.QUEUED
        locked.failure = ""
        locked.claim = ""
        locked.claimed_at = None
        locked._history_user = by  # type: ignore[attr-defined]
        locked._change_reason = f"Prepared again: {reason.strip()}"[:1000]  # type: ignore[attr-defined]
        locked.save()
        transaction.on_commit(lambda: subject_access_hand_over(request_id=locked.pk))
    return locked


def subject_access_release(
    *, request: SubjectAccessRequest, by: User, reviewed: bool, release_note: str
) -> SubjectAccessRequest:
    """The manager has reviewed the bundle and releases it to the person."""
    errors = {}
    if not reviewed:
        errors["reviewed"] = "Confirm you have read the whole bundle before releasing it."
    if not release_note.strip():
        errors["release_note"] = "Say how the bundle goes to the person."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != SubjectAccessStatus.READY:
            raise ValidationError("Only a bundle ready for review can be released.")
        locked.status = SubjectAccessStatus.RELEASED
        locked.released_at = timezone.now()
        locked.released_by = by
        locked.release_note = release_note.strip()
        locked._history_user = by  # type: ignore[attr-defined]
        locked._change_reason = "Released to the person"  # type: ignore[attr-defined]
        locked.save()
    return locked


def subject_access_download_record(
    *, request: SubjectAccessRequest, by: User, file: str
) -> SubjectAccessDownload:
    return SubjectAccessDownload.objects.create(
        request=request,
        user=by,
        file=file,
        after_release=request.status == SubjectAccessStatus.RELEASED,
    )
