"""An organisation's retention schedule: one rule per kind, each with its reason."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User

from ..models import PeriodUnit, RetentionKind, RetentionRule

# Sanity bounds: nothing kept less than a day, or for more than 100 years.
MAX_YEARS = 100


def retention_rule_set(
    *, organisation: Organisation, kind: str, amount: int, unit: str, reason: str, by: User
) -> RetentionRule:
    errors = {}
    if kind not in RetentionKind.values:
        errors["kind"] = "Choose one of the kinds of record listed."
    if unit not in PeriodUnit.values:
        errors["unit"] = "Choose days, months or years."
    if amount is None or amount < 1:
        errors["amount"] = "Keep records for at least 1 day, month or year."
    elif unit in PeriodUnit.values:
        years = {"days": amount / 365, "months": amount / 12, "years": amount}[unit]
        if years > MAX_YEARS:
            errors["amount"] = f"No more than {MAX_YEARS} years."
    if not reason.strip():
        errors["reason"] = "Give the reason for this period: it is shown with the schedule."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rule, created = RetentionRule.objects.select_for_update().get_or_create(
            organisation=organisation,
            kind=kind,
            defaults={"amount": amount, "unit": unit, "reason": reason.strip(), "updated_by": by},
        )
        if not created:
            rule.amount, rule.unit, rule.reason = amount, unit, reason.strip()
            rule.updated_by, rule.updated_at = by, timezone.now()
            rule._history_user = by  # type: ignore[attr-defined]
            rule.save()
    return rule
