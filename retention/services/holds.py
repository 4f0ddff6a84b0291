"""Legal holds: a manager keeps a case out of the retention sweep, with the reason."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from cases.models import Case

from ..models import Disposal, LegalHold


def legal_hold_place(*, case: Case, by: User, reason: str) -> LegalHold:
    if not reason.strip():
        raise ValidationError(
            {
                "reason": "Say why the case must be kept (a claim, a police "
                "investigation, an Ombudsman complaint...)."
            }
        )
    if Disposal.objects.filter(model="cases.Case", object_id=case.pk).exists():
        raise ValidationError("This case has already been anonymised: there is nothing to hold.")
    try:
        with transaction.atomic():
            hold = LegalHold(
                organisation_id=case.organisation_id,
                case=case,
                reason=reason.strip(),
                placed_by=by,
                placed_at=timezone.now(),
            )
            hold._history_user = by  # type: ignore[attr-defined]
            hold._change_reason = "Legal hold placed"  # type: ignore[attr-defined]
            hold.save()
    except IntegrityError:
        raise ValidationError("The case is already under a legal hold.") from None
    return hold


def legal_hold_release(*, hold: LegalHold, by: User, reason: str) -> LegalHold:
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case no longer needs to be kept."})
    with transaction.atomic():
        updated = LegalHold.objects.filter(pk=hold.pk, released_at__isnull=True).update(
            released_at=timezone.now(), released_by=by, release_reason=reason.strip()
        )
        if not updated:
            raise ValidationError("The hold has already been released.")
        hold.refresh_from_db()
        hold._history_user = by  # type: ignore[attr-defined]
        hold._change_reason = "Legal hold released"  # type: ignore[attr-defined]
        LegalHold.history.bulk_history_create([hold], update=True, default_user=by)
    return hold
