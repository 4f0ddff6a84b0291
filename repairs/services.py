"""Repairs reported from a case (W16) and the 24-hour graffiti and emergency deadline (C19)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import Case
from deadlines.events import deadlines_repair_done, deadlines_repair_reported

from .models import DamageKind, Repair, RepairStatus


def repair_report(
    *,
    case: Case,
    by: User,
    kind: str,
    description: str,
    reported_at: datetime,
    location: str = "",
    repair_reference: str = "",
    offensive: bool = False,
    emergency: bool = False,
) -> Repair:
    errors: dict[str, str] = {}
    if offensive and kind != DamageKind.GRAFFITI:
        errors["offensive"] = "Only graffiti can be marked offensive or discriminatory."
    if reported_at > timezone.now():
        errors["reported_at"] = "It cannot be reported in the future."
    if not description.strip():
        errors["description"] = "Say what the damage is."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        repair = Repair(
            case=case,
            kind=kind,
            description=description.strip(),
            location=location.strip(),
            repair_reference=repair_reference.strip(),
            offensive=offensive,
            emergency=emergency,
            reported_at=reported_at,
            recorded_by=by,
        )
        repair._history_user = by  # type: ignore[attr-defined]
        repair.save()
        # The policy's conditions choose which repairs have a deadline (C19: offensive
        # graffiti and emergencies).
        deadlines_repair_reported(
            case=case,
            reported_at=reported_at,
            source_key=repair.source_key,
            damage_kind=kind,
            offensive=offensive,
            emergency=emergency,
        )
    return repair


def repair_update(
    *,
    repair: Repair,
    by: User,
    status: str,
    repair_reference: str,
    repair_cost: Decimal,
    cleanup_cost: Decimal,
    completed_at: datetime | None = None,
) -> Repair:
    errors: dict[str, str] = {}
    if repair_cost < 0:
        errors["repair_cost"] = "A cost cannot be negative."
    if cleanup_cost < 0:
        errors["cleanup_cost"] = "A cost cannot be negative."
    if status == RepairStatus.DONE:
        completed_at = completed_at or timezone.now()
        if completed_at > timezone.now():
            errors["completed_at"] = "It cannot be done in the future."
        elif completed_at < repair.reported_at:
            errors["completed_at"] = "It cannot be done before it was reported."
    else:
        completed_at = None
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Repair.objects.select_for_update().get(pk=repair.pk)
        was_done = locked.status == RepairStatus.DONE
        locked.status = status
        locked.repair_reference = repair_reference.strip()
        locked.repair_cost, locked.cleanup_cost = repair_cost, cleanup_cost
        locked.completed_at = completed_at
        locked._history_user = by  # type: ignore[attr-defined]
        locked.save()
        if status == RepairStatus.DONE and not was_done and locked.urgent:
            deadlines_repair_done(
                case=locked.case, repaired_at=completed_at, by=by, source_key=locked.source_key
            )
    return locked
