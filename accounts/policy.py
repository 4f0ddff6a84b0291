"""Each organisation's policy as data: the two presets, every value citing its clause.

A preset is where an organisation starts (C14: the group's timescales are a minimum; a
partner may work to shorter ones). ``PolicySettings`` in ``accounts.models`` holds the
organisation's own copy; ``policy_for(organisation)`` is how code reads it.

Units are in the field names: ``_hours`` are elapsed hours, ``_days`` calendar days,
``_working_days`` working days (weekends and bank holidays excluded), ``_months`` calendar
months. ``None`` means the organisation makes no such promise, so no deadline is
started. The two presets differ only where the two policies disagree (W13 weekly vs C22
15-day welfare calls; W19 vs C05 on tenancy action before conviction); where one policy is
silent it adopts the other's timescale, so every rule in POLICY-RULES.md has a clock under
either preset. Where a clause promises "more quickly" without a number (C19, C20, C21 with
violence or a threat of it) the value is Haven's default and its clause says why.
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


# Which direction is "looser" for each numeric setting: a longer timescale is looser, and
# switching a promise off (None) is the loosest of all. Switches listed separately.
TIMESCALE_FIELDS = (
    "first_contact_hours",
    "officer_contact_days",
    "violence_officer_contact_days",
    "interview_days",
    "violence_interview_days",
    "action_plan_days",
    "violence_action_plan_days",
    "first_plan_review_days",
    "plan_review_days",
    "updated_plan_issue_days",
    "welfare_call_days",
    "repair_hours",
    "case_review_months",
    "false_report_working_days",
    "appeal_window_days",
)
# C19, C20, C21: the faster timescale where there is violence or a threat of it, beside the
# standard one it shortens. Blank: no faster promise (the standard timescale applies).
FASTER_TIMESCALES = {
    "violence_officer_contact_days": "officer_contact_days",
    "violence_interview_days": "interview_days",
    "violence_action_plan_days": "action_plan_days",
}
# Switches where True is the stricter promise.
PROMISE_SWITCHES = ("safeguarding_same_working_day", "weekend_referral_on_friday")

PRESETS: dict[str, dict[str, Value]] = {
    Preset.WCH_2022: {
        "first_contact_hours": Value(24, "W08 (000 §6.2): complainant contacted within 24 hours"),
        "officer_contact_days": Value(
            5, "C19 (004 §4.8) adopted: WCH 2022 sets no timescale of its own"
        ),
        "interview_days": Value(
            10, "C20 (004 §4.9) adopted: WCH 2022 sets no timescale of its own"
        ),
        "action_plan_days": Value(
            14, "C21 (004 §4.10) adopted: WCH 2022 sets no timescale of its own"
        ),
        "violence_officer_contact_days": Value(
            1,
            "C19 (004 §4.8) adopted: WCH 2022 sets no timescale of its own. With violence or a"
            " threat of it 004 says only 'more quickly'; Haven's default of 1 day follows C26"
            " (004 §6.2), respond to racial harassment and domestic violence within 24 hours",
        ),
        "violence_interview_days": Value(
            5,
            "C20 (004 §4.9) adopted: WCH 2022 sets no timescale of its own. With violence or a"
            " threat of it 004 says only 'more quickly'; 5 days, half the standard, is Haven's"
            " default",
        ),
        "violence_action_plan_days": Value(
            7,
            "C21 (004 §4.10) adopted: WCH 2022 sets no timescale of its own. With violence or a"
            " threat of it 004 says only 'more quickly'; 7 days, half the standard, is Haven's"
            " default",
        ),
        "first_plan_review_days": Value(
            15, "C22 (004 §4.11) adopted: WCH 2022 sets no timescale of its own"
        ),
        "plan_review_days": Value(
            30, "C22 (004 §4.11) adopted: WCH 2022 sets no timescale of its own"
        ),
        "updated_plan_issue_days": Value(
            3, "C22 (004 §4.11) adopted: WCH 2022 sets no timescale of its own"
        ),
        "welfare_call_days": Value(7, "W13 (000 §8.3): a senior officer phones weekly"),
        "repair_hours": Value(
            24,
            "W16 (000 §10.1) logs repairs; C19 (004 §4.8) 24 hours adopted, WCH 2022 sets none",
        ),
        "case_review_months": Value(
            3, "C26 (004 §6.2) adopted: WCH 2022 sets no timescale of its own"
        ),
        "false_report_working_days": Value(
            10, "W20 (000 §12): 10 working days to give more evidence"
        ),
        "safeguarding_same_working_day": Value(
            True, "W15 (000 §9.2): safeguarding referral the same working day"
        ),
        "weekend_referral_on_friday": Value(
            True, "C16 (004 §4.5) adopted: WCH 2022 sets no timescale of its own"
        ),
        "appeal_window_days": Value(
            28,
            "W21 (000 §13) closure letter; C26 (004 §6.2) appeal adopted, WCH 2022 sets none",
        ),
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
        "first_contact_hours": Value(24, "C17 (004 §4.6): complainant contacted within 24 hours"),
        "officer_contact_days": Value(5, "C19 (004 §4.8): case officer contact within 5 days"),
        "interview_days": Value(10, "C20 (004 §4.9): interview within 10 days"),
        "action_plan_days": Value(14, "C21 (004 §4.10): action plan agreed within 14 days"),
        "violence_officer_contact_days": Value(
            1,
            "C19 (004 §4.8): 'more quickly' where there is violence or a threat of it, with no"
            " number; Haven's default of 1 day follows C26 (004 §6.2), respond to racial"
            " harassment and domestic violence within 24 hours",
        ),
        "violence_interview_days": Value(
            5,
            "C20 (004 §4.9): 'more quickly' where there is violence or a threat of it, with no"
            " number; 5 days, half the standard, is Haven's default",
        ),
        "violence_action_plan_days": Value(
            7,
            "C21 (004 §4.10): 'more quickly' where there is violence or a threat of it, with no"
            " number; 7 days, half the standard, is Haven's default",
        ),
        "first_plan_review_days": Value(15, "C22 (004 §4.11): first review within 15 days"),
        "plan_review_days": Value(30, "C22 (004 §4.11): review the plan every 30 days"),
        "updated_plan_issue_days": Value(
            3, "C22 (004 §4.11): updated plan issued within 3 days of a change"
        ),
        "welfare_call_days": Value(
            15, "C22 (004 §4.11): phone everyone involved every 15 calendar days"
        ),
        "repair_hours": Value(
            24, "C19 (004 §4.8), C26 (004 §6.2): graffiti and emergency repairs within 24 hours"
        ),
        "case_review_months": Value(3, "C26 (004 §6.2): review every open case after 3 months"),
        "false_report_working_days": Value(
            10, "W20 (000 §12) adopted: Circle Anglia 2009 sets no period of its own"
        ),
        "safeguarding_same_working_day": Value(
            True, "W15 (000 §9.2) adopted: Circle Anglia 2009 sets no period of its own"
        ),
        "weekend_referral_on_friday": Value(
            True, "C16 (004 §4.5): Friday report with fear of violence, weekend referral"
        ),
        "appeal_window_days": Value(
            28, "C26 (004 §6.2): an opportunity to appeal closure; 28 days is Haven's default"
        ),
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


def faster_timescale_errors(values) -> dict[str, str]:
    """C19, C20, C21: a faster timescale must be shorter than (or equal to) the standard one
    it shortens, and needs one to shorten. ``values`` maps field names to values."""
    errors: dict[str, str] = {}
    for faster, standard in FASTER_TIMESCALES.items():
        mine, usual = values.get(faster), values.get(standard)
        if mine is None:
            continue
        if mine < 1:
            errors[faster] = "Must be at least 1."
        elif usual is None:
            errors[faster] = (
                "Set the standard timescale first: this one only shortens it. Or leave this blank."
            )
        elif mine > usual:
            errors[faster] = (
                f"Must be no longer than the standard timescale ({usual} days): it applies "
                "where there is violence or a threat of it, so it is the quicker one."
            )
    return errors


def looser_than_preset(settings) -> dict[str, str]:
    """C14: each setting that is looser than the organisation's preset, with the reason."""
    preset = PRESETS[settings.preset]
    warnings: dict[str, str] = {}
    for name in TIMESCALE_FIELDS:
        mine, theirs = getattr(settings, name), preset[name].value
        if theirs is None:
            continue
        if mine is None:
            warnings[name] = f"Switched off, but {preset[name].clause}."
        elif mine > theirs:
            warnings[name] = f"Longer than the preset's {theirs} ({preset[name].clause})."
    for name in PROMISE_SWITCHES:
        if preset[name].value and not getattr(settings, name):
            warnings[name] = f"Switched off, but {preset[name].clause}."
    conviction = preset["tenancy_action_requires_conviction"]
    if conviction.value and not settings.tenancy_action_requires_conviction:
        warnings["tenancy_action_requires_conviction"] = (
            f"The preset requires a conviction ({conviction.clause})."
        )
    return warnings


def policy_for(organisation):
    """The organisation's policy settings; the default preset, unsaved, if it has none yet."""
    from .models import PolicySettings

    found = PolicySettings.objects.filter(organisation=organisation).first()
    if found is not None:
        return found
    return PolicySettings(
        organisation=organisation, preset=DEFAULT_PRESET, **preset_values(DEFAULT_PRESET)
    )
