"""Demo organisations, areas and users for ``seed_demo``. Idempotent: keyed on natural keys."""

from dataclasses import dataclass

from django.db import transaction

# The demo seeds every layer's data (it moves to its own app above the others); the policy's
# rules come from the policy app.
from policy.models import PolicySettings, PolicyVersion
from policy.services import SINCE_ALWAYS, policy_preset_adopt, policy_settings_apply_preset
from policy.settings import Preset

from .models import Area, Membership, Organisation, Role, User

DEMO_PASSWORD = "haven-demo-2026"


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    code: str
    homes_owned: int
    domain: str
    areas: tuple[str, ...]
    preset: str = Preset.WCH_2022


DEMO_ORGANISATIONS = (
    DemoOrganisation(
        name="Watford Community Housing",
        code="WCH",
        homes_owned=5200,
        domain="wch.example",
        areas=("Central Watford", "North Watford", "Oxhey", "Garston"),
    ),
    DemoOrganisation(
        name="Circle Anglia Partner Homes",
        code="CAH",
        homes_owned=8700,
        domain="cah.example",
        areas=("Ipswich East", "Ipswich West", "Norwich", "Colchester"),
        preset=Preset.CIRCLE_ANGLIA_2009,
    ),
)

# One user per role in each organisation, plus extra panel members so the Housing Panel
# can reach its quorum of three with two managers.
DEMO_PEOPLE = (
    ("staff", "Sam Staff", Role.STAFF),
    ("officer", "Olivia Officer", Role.OFFICER),
    ("officer2", "Owen Officer", Role.OFFICER),
    ("manager", "Maya Manager", Role.MANAGER),
    ("panel", "Priya Panel", Role.PANEL),
    ("admin", "Adam Admin", Role.ORG_ADMIN),
)


@dataclass(frozen=True)
class DemoLogin:
    organisation: str
    role: str
    email: str


@transaction.atomic
def seed_organisations(*, password: str = DEMO_PASSWORD) -> list[DemoLogin]:
    logins: list[DemoLogin] = []
    for spec in DEMO_ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            code=spec.code, defaults={"name": spec.name, "homes_owned": spec.homes_owned}
        )
        if not PolicySettings.objects.filter(organisation=organisation).exists():
            # WCH follows WCH 2022, CAH Circle Anglia 2009; an admin's later edits are kept.
            policy_settings_apply_preset(organisation=organisation, preset=spec.preset)
        if not PolicyVersion.objects.filter(organisation=organisation).exists():
            # The same preset's rules, in force since always so the demo's older cases have
            # their deadlines under it.
            policy_preset_adopt(
                organisation=organisation, preset=spec.preset, effective_from=SINCE_ALWAYS
            )
        areas = [
            Area.objects.get_or_create(organisation=organisation, name=name)[0]
            for name in spec.areas
        ]
        for local_part, full_name, role in DEMO_PEOPLE:
            email = f"{local_part}@{spec.domain}"
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=password, full_name=full_name)
            membership, created = Membership.objects.get_or_create(
                user=user, organisation=organisation, role=role
            )
            if created and role == Role.OFFICER:
                half = len(areas) // 2
                mine = areas[:half] if local_part == "officer" else areas[half:]
                membership.areas.set(mine)
            logins.append(DemoLogin(organisation=spec.code, role=role.label, email=email))
    return logins
