"""Demo cases for ``seed_demo``: a few realistic case files per demo organisation.

Idempotent: a demo case is keyed on its organisation and summary, and skipped if present.
Everything goes through the services, so the demo has the same history a real case has.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User

from .models import Case
from .services.changes import case_recategorise
from .services.intake import case_open
from .services.notes import note_add
from .services.parties import party_add, person_create
from .services.records import contact_log, incident_record


@dataclass(frozen=True)
class DemoIncident:
    days_ago: int
    acts: tuple[str, ...]
    description: str
    grounds: tuple[str, ...] = ()
    police_reported: str = "unknown"
    crime_reference: str = ""


@dataclass(frozen=True)
class DemoCase:
    summary: str
    category: str
    channel: str
    reporter_type: str
    days_ago: int
    area_index: int
    location: str
    prior_action: str
    victim: dict
    perpetrator: dict | None
    incidents: tuple[DemoIncident, ...]
    contacted: bool = True
    note: str = ""
    recategorise_to: tuple[str, str] | None = None
    fear_of_violence: bool = False
    holder: dict | None = field(default=None)


DEMO_CASES = (
    DemoCase(
        summary="Racist abuse shouted at the victim and her children on the stairwell.",
        category="hate_crime",
        channel="phone",
        reporter_type="victim",
        days_ago=1,
        area_index=0,
        location="Stairwell, Heron Court",
        prior_action="Called 101 the same evening; neighbour witnessed it.",
        victim={
            "full_name": "Amina Yusuf",
            "postcode": "WD17 1AA",
            "tenure": "tenant",
            "tenancy_type": "assured",
            "preferred_language": "Somali",
            "interpreter_needed": True,
        },
        perpetrator={"kind": "unknown", "description": "Man in his 20s, grey hoodie"},
        incidents=(
            DemoIncident(
                1,
                ("verbal_abuse", "discriminatory_language"),
                "Shouted racist abuse on the stairwell.",
                grounds=("race", "religion"),
                police_reported="yes",
                crime_reference="CAD 4471/26",
            ),
        ),
        note="Victim asked for contact through her daughter, who interprets.",
        fear_of_violence=True,
    ),
    DemoCase(
        summary="Neighbour's son bangs on the door at night and leaves threatening notes.",
        category="harassment",
        channel="letter",
        reporter_type="on_behalf",
        days_ago=9,
        area_index=1,
        location="Flat 12, Orchard Walk",
        prior_action="Support worker spoke to the neighbour; it continued.",
        victim={
            "full_name": "Edith Clarke",
            "postcode": "WD24 6QT",
            "tenure": "tenant",
            "tenancy_type": "assured",
            "preferred_format": "large_print",
            "adult_at_risk": True,
        },
        holder={
            "full_name": "Linda Hart",
            "postcode": "WD24 6QT",
            "tenure": "tenant",
            "tenancy_type": "assured",
        },
        perpetrator={"kind": "named", "full_name": "Jake Hart", "tenure": "household_member"},
        incidents=(
            DemoIncident(12, ("intimidation", "interference"), "Banging on the door at 2am."),
            DemoIncident(9, ("threats", "hate_mail"), "Threatening note pushed under the door."),
        ),
        note="Two incidents by the same person against Mrs Clarke: course of conduct.",
    ),
    DemoCase(
        summary="Mocking of a wheelchair user in the car park; car tyres let down.",
        category="harassment",
        channel="website",
        reporter_type="victim",
        days_ago=4,
        area_index=2,
        location="Residents' car park",
        prior_action="None yet.",
        victim={"full_name": "Daniel Price", "postcode": "WD19 4EZ", "tenure": "leaseholder"},
        perpetrator={"kind": "group", "description": "Group of teenagers"},
        incidents=(
            DemoIncident(
                4,
                ("verbal_abuse", "criminal_damage"),
                "Mocked and tyres let down.",
                grounds=("disability",),
            ),
        ),
        contacted=False,
        recategorise_to=("hate_incident", "Victim perceives hostility because of disability."),
    ),
)


def _officers(organisation: Organisation) -> list[User]:
    return list(
        User.objects.filter(memberships__organisation=organisation, memberships__role="officer")
        .distinct()
        .order_by("email")
    )


@transaction.atomic
def seed_cases() -> int:
    """Create any missing demo cases in every demo organisation; return how many were new."""
    created = 0
    for organisation in Organisation.objects.filter(code__in=["WCH", "CAH"]):
        areas = list(organisation.areas.order_by("name"))
        staff = User.objects.filter(
            memberships__organisation=organisation, memberships__role="staff"
        ).first()
        officers = _officers(organisation)
        if not areas or staff is None or not officers:
            continue
        for spec in DEMO_CASES:
            if Case.objects.filter(organisation=organisation, summary=spec.summary).exists():
                continue
            _seed_case(organisation, spec, areas, staff, officers)
            created += 1
    return created


def _seed_case(organisation, spec: DemoCase, areas, staff, officers) -> None:
    now = timezone.now()
    case = case_open(
        organisation=organisation,
        logged_by=staff,
        received_at=now - timedelta(days=spec.days_ago, hours=2),
        channel=spec.channel,
        reporter_type=spec.reporter_type,
        category=spec.category,
        summary=spec.summary,
        prior_action=spec.prior_action,
        location=spec.location,
        area=areas[spec.area_index % len(areas)],
        fear_of_violence=spec.fear_of_violence,
    )
    officer = case.assigned_officer or officers[0]
    victim_person = person_create(organisation=organisation, by=staff, **spec.victim)
    victim = party_add(case=case, by=staff, role="victim", person=victim_person)
    parties = [victim]
    if spec.perpetrator:
        details = dict(spec.perpetrator)
        kind = details.pop("kind")
        description = details.pop("description", "")
        person = None
        if kind == "named":
            if spec.holder:
                details["tenancy_holder"] = person_create(
                    organisation=organisation, by=staff, **spec.holder
                )
            person = person_create(organisation=organisation, by=staff, **details)
        parties.append(
            party_add(
                case=case,
                by=staff,
                role="perpetrator",
                person=person,
                perpetrator_kind=kind,
                description=description,
            )
        )
    for incident in spec.incidents:
        incident_record(
            case=case,
            by=staff,
            occurred_at=now - timedelta(days=incident.days_ago, hours=6),
            description=incident.description,
            location=spec.location,
            acts=list(incident.acts),
            grounds=list(incident.grounds),
            perceived_by="victim" if incident.grounds else "",
            parties=parties,
            police_reported=incident.police_reported,
            crime_reference=incident.crime_reference,
        )
    if spec.contacted:
        contact_log(
            case=case,
            by=officer,
            occurred_at=now - timedelta(days=spec.days_ago, hours=1),
            method="phone",
            direction="outbound",
            purpose="first_contact",
            party=victim,
            notes="Acknowledged the report and agreed a visit.",
        )
    if spec.note:
        note_add(case=case, by=officer, text=spec.note)
    if spec.recategorise_to:
        case.refresh_from_db()
        category, reason = spec.recategorise_to
        case_recategorise(
            case=case, by=officer, category=category, reason=reason, expected_version=case.version
        )
