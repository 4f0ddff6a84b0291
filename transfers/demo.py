"""Demo Housing Panels and referrals for ``seed_demo``. Idempotent: keyed on natural keys.

Each demo organisation gets a panel of four (two managers: manager@ and the panel chair
chair@) and two referrals on its next meeting, so a meeting can be held in the browser.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_ORGANISATIONS, DEMO_PASSWORD
from accounts.models import Membership, Organisation, Role, User
from cases.models import Case, CaseParty, Person
from cases.models.choices import Category, Channel, PartyRole, ReporterType, Tenure
from cases.services.intake import case_open

from .choices import Reason, ReferralType, Route, Urgency
from .models import TransferReferral
from .services.meetings import panel_meeting_schedule
from .services.referrals import transfer_referral_create

PANEL_ROLES = (
    ("manager", "Maya Manager", (Role.MANAGER, Role.PANEL)),
    ("admin", "Adam Admin", (Role.ORG_ADMIN, Role.PANEL)),
    ("chair", "Charlotte Chair", (Role.MANAGER, Role.PANEL)),
)

DEMO_CASES = (
    {
        "summary": "Demo: repeated threats and damage to the front door; police advise a move.",
        "victim": "Dana Demo",
        "tenure": Tenure.TENANT,
        "referral_type": ReferralType.MANAGED_TRANSFER,
        "reasons": [Reason.POLICE_ADVICE, Reason.REPEATED_INCIDENTS],
        "urgency": Urgency.URGENT,
        "bedrooms": 2,
    },
    {
        "summary": "Demo: hate mail and graffiti at a joint-venture home.",
        "victim": "Jamie Jointventure",
        "tenure": Tenure.JV_TENANT,
        "referral_type": ReferralType.MANAGED_TRANSFER,
        "reasons": [Reason.RISK_ASSESSMENT],
        "urgency": Urgency.ROUTINE,
        "bedrooms": 1,
    },
)


@transaction.atomic
def seed_panels(*, password: str = DEMO_PASSWORD) -> list[str]:
    logins: list[str] = []
    for spec in DEMO_ORGANISATIONS:
        organisation = Organisation.objects.get(code=spec.code)
        for local_part, full_name, roles in PANEL_ROLES:
            email = f"{local_part}@{spec.domain}"
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=password, full_name=full_name)
            for role in roles:
                Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
            label = " + ".join(Role(r).label for r in roles)
            logins.append(f"  {spec.code}  {label:<22} {email}")
        panel_meeting_schedule(organisation=organisation)
        officer = User.objects.get(email=f"officer@{spec.domain}")
        for demo in DEMO_CASES:
            _seed_referral(organisation=organisation, officer=officer, demo=demo)
    return logins


def _seed_referral(*, organisation, officer, demo) -> None:
    case = Case.objects.filter(organisation=organisation, summary=demo["summary"]).first()
    if case is None:
        case = case_open(
            organisation=organisation,
            logged_by=officer,
            received_at=timezone.now() - timedelta(days=30),
            channel=Channel.PHONE,
            reporter_type=ReporterType.VICTIM,
            category=Category.HARASSMENT,
            summary=demo["summary"],
            assigned_officer=officer,
            fear_of_violence=True,
        )
    victim, _ = Person.objects.get_or_create(
        organisation=organisation,
        full_name=demo["victim"],
        defaults={"tenure": demo["tenure"]},
    )
    CaseParty.objects.get_or_create(case=case, person=victim, role=PartyRole.VICTIM)
    if TransferReferral.objects.filter(case=case).exists():
        return
    jv = demo["tenure"] == Tenure.JV_TENANT
    transfer_referral_create(
        case=case,
        by=officer,
        referral_type=demo["referral_type"],
        household=[victim],
        reasons=demo["reasons"],
        reason_details="Demo referral: the household no longer feels safe at home.",
        urgency=demo["urgency"],
        bedrooms_needed=demo["bedrooms"],
        route=Route.JV_LOCAL_AUTHORITY if jv else Route.PANEL,
        local_authority="Demo District Council" if jv else "",
        local_authority_referred_on=timezone.localdate() if jv else None,
    )
