"""A realistic year of cases for each demo organisation, so the dashboards have something
to show in ``make run``. Called by ``seed_demo``; idempotent: an organisation that already
has cases is left alone (so running it twice, or after logging real test cases, adds
nothing)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.demo import DEMO_ORGANISATIONS
from accounts.models import Area, Organisation, Role, User
from cases.models import Case
from policy.models import PolicySettings, PolicyVersion
from policy.services import SINCE_ALWAYS, policy_preset_adopt
from policy.settings import Preset, preset_values

from .generation import Cast, cases_generate

# Roughly what a landlord of this size logs in a year (NM01 is typically 20–60 per 1,000).
DEMO_CASES = {"WCH": 180, "CAH": 260}
DEMO_PRESETS = {"WCH": Preset.WCH_2022, "CAH": Preset.CIRCLE_ANGLIA_2009}
DEMO_DAYS = 400  # a year and a bit, so last year's NM01 has figures to compare


def _user(domain: str, local_part: str) -> User:
    return User.objects.get(email=f"{local_part}@{domain}")


def seed_demo_cases() -> dict[str, int]:
    written: dict[str, int] = {}
    now = timezone.now()
    for spec in DEMO_ORGANISATIONS:
        organisation = Organisation.objects.get(code=spec.code)
        PolicySettings.objects.get_or_create(
            organisation=organisation,
            defaults={
                "preset": DEMO_PRESETS[spec.code],
                **preset_values(DEMO_PRESETS[spec.code]),
            },
        )
        if not PolicyVersion.objects.filter(organisation=organisation).exists():
            policy_preset_adopt(
                organisation=organisation,
                preset=DEMO_PRESETS[spec.code],
                effective_from=SINCE_ALWAYS,
            )
        if Case.objects.filter(organisation=organisation).exists():
            written[spec.code] = 0
            continue
        officers = list(
            User.objects.filter(
                memberships__organisation=organisation, memberships__role=Role.OFFICER
            ).order_by("email")
        )
        cast = Cast(
            organisation=organisation,
            creator=_user(spec.domain, "staff"),
            officers=officers,
            manager=_user(spec.domain, "manager"),
            areas=list(Area.objects.filter(organisation=organisation).order_by("name")),
        )
        written[spec.code] = cases_generate(
            cast=cast,
            count=DEMO_CASES[spec.code],
            start=now - timedelta(days=DEMO_DAYS),
            end=now,
            seed=sum(map(ord, spec.code)),
            casework=True,
        )
    return written
