"""Writes to accounts data: the organisation's policy settings (C14)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import Organisation, PolicySettings, User
from ..policy import PRESETS, preset_values

EDITABLE_FIELDS = tuple(name for name in next(iter(PRESETS.values())))


def policy_settings_apply_preset(
    *, organisation: Organisation, preset: str, by: User | None = None
) -> PolicySettings:
    """Set every value from a preset (new organisations, seed_demo, "reset to preset")."""
    if preset not in PRESETS:
        raise ValidationError({"preset": "Choose one of the presets."})
    return policy_settings_update(
        organisation=organisation, by=by, values={"preset": preset, **preset_values(preset)}
    )


def policy_settings_update(
    *, organisation: Organisation, by: User | None, values: dict
) -> PolicySettings:
    """Change the organisation's settings. History records who changed what and when.

    Working hours and bank holidays apply to deadlines started after the change: existing
    deadlines keep their due time.
    """
    unknown = set(values) - set(EDITABLE_FIELDS) - {"preset"}
    if unknown:
        raise ValueError(f"Not policy settings: {sorted(unknown)}")
    with transaction.atomic():
        settings = (
            PolicySettings.objects.select_for_update().filter(organisation=organisation).first()
        )
        if settings is None:
            preset = values.get("preset") or "wch_2022"
            settings = PolicySettings(organisation=organisation, **preset_values(preset))
        for name, value in values.items():
            setattr(settings, name, value)
        settings.updated_by = by
        settings.updated_at = timezone.now()
        settings.full_clean(exclude=["organisation"])
        settings._change_reason = "Policy settings changed"  # type: ignore[attr-defined]
        settings.save()
    return settings
