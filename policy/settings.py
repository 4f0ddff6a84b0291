"""Each organisation's policy settings: the two presets' working hours, bank-holiday region,
reminder lead and the W19/C05 switch, every value citing its clause.

The organisation's timescales are rules of its policy (``models.Rule``, presets in
``policy/presets``). ``PolicySettings`` in ``policy.models`` holds the organisation's own
copy of these settings; ``policy_for(organisation)`` is how code reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from django.db import models


class Preset(models.TextChoices):
    WCH_2022 = "wch_2022", "WCH 2022"
    CIRCLE_ANGLIA_2009 = "circle_anglia_2009", "Circle Anglia 2009"


class BankHolidayRegion(models.TextChoices):
    """Subdivisions of the ``holidays`` package's GB calendar."""

    ENGLAND_AND_WALES = "ENG", "England and Wales"
    SCOTLAND = "SCT", "Scotland"
    NORTHERN_IRELAND = "NIR", "Northern Ireland"


@dataclass(frozen=True)
class Value:
    value: object
    clause: str


PRESETS: dict[str, dict[str, Value]] = {
    Preset.WCH_2022: {
        "tenancy_action_requires_conviction": Value(
            True, "W19 (000 §11.2): no tenancy action until convicted"
        ),
        "reminder_lead_hours": Value(24, "Haven default: remind the officer a day ahead"),
        "bank_holiday_region": Value(
            BankHolidayRegion.ENGLAND_AND_WALES,
            "W15 (000 §9.2): working days exclude England and Wales bank holidays",
        ),
        "working_day_starts": Value(time(9, 0), "Haven default office hours"),
        "working_day_ends": Value(time(17, 0), "Haven default office hours"),
    },
    Preset.CIRCLE_ANGLIA_2009: {
        "tenancy_action_requires_conviction": Value(
            False, "C05 (004 §2.3): action whatever the tenure, no conviction needed"
        ),
        "reminder_lead_hours": Value(24, "Haven default: remind the officer a day ahead"),
        "bank_holiday_region": Value(
            BankHolidayRegion.ENGLAND_AND_WALES, "004 covers partners in England"
        ),
        "working_day_starts": Value(time(9, 0), "C26 (004 §6.2) office hours; Haven default"),
        "working_day_ends": Value(time(17, 0), "C26 (004 §6.2) office hours; Haven default"),
    },
}

DEFAULT_PRESET = Preset.WCH_2022


def preset_values(preset: str) -> dict[str, object]:
    return {name: v.value for name, v in PRESETS[preset].items()}


def preset_clause(preset: str, field: str) -> str:
    return PRESETS[preset][field].clause


def looser_than_preset(settings) -> dict[str, str]:
    """C14: each setting looser than the organisation's preset, with the reason (the rules'
    timescales are compared in the policy designer)."""
    conviction = PRESETS[settings.preset]["tenancy_action_requires_conviction"]
    if conviction.value and not settings.tenancy_action_requires_conviction:
        return {
            "tenancy_action_requires_conviction": (
                f"The preset requires a conviction ({conviction.clause})."
            )
        }
    return {}


def policy_for(organisation):
    """The organisation's policy settings; the default preset, unsaved, if it has none yet."""
    from .models import PolicySettings

    found = PolicySettings.objects.filter(organisation=organisation).first()
    if found is not None:
        return found
    return PolicySettings(
        organisation=organisation, preset=DEFAULT_PRESET, **preset_values(DEFAULT_PRESET)
    )
