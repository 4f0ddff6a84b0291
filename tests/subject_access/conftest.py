"""A case naming the subject as the alleged perpetrator, with every third party's details
planted as canaries: any export of the subject that shows a CANARY string, a canary phone
number or e-mail address names someone it must not."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases.models import CaseParty, Contact, Incident, Note, Person
from cases.models.choices import (
    ContactDirection,
    ContactMethod,
    ContactPurpose,
    PartyRole,
    ReporterType,
)
from tests.cases.factories import make_case

CANARY_PHONE = "07700 900111"
CANARY_EMAIL = "canary.comp@example.org"
WITNESS_PHONE = "07700 900222"
SECRET_NOTE = "Officer's working note: SECRETNOTE do not share"


@dataclass
class World:
    case: object
    subject: Person  # the alleged perpetrator
    complainant: Person
    victim: Person
    witness: Person


@pytest.fixture(autouse=True)
def private_storage(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    return tmp_path / "private"


def _person(org, name, **fields):
    return Person.objects.create(organisation=org, full_name=name, **fields)


@pytest.fixture
def world(cast) -> World:
    org = cast.organisation
    case = make_case(
        org,
        cast.staff,
        assigned_officer=cast.officer,
        reporter_type=ReporterType.ON_BEHALF,
        location="Outside 7 CANARYSTREET Road",
        summary=(
            "Cora CANARYCOMP says Sid Subject shouted at her outside 7 CANARYSTREET Road. "
            f"Wilf CANARYWIT saw it. Call her on {CANARY_PHONE} or {CANARY_EMAIL}."
        ),
        prior_action="CANARYKNOWN asked the police for advice.",
    )
    subject = _person(
        org,
        "Sid Subject",
        date_of_birth=date(1985, 3, 4),
        address="12 Own Street\nWatford",
        postcode="WD1 1SS",
        phone="07700 900999",
    )
    complainant = _person(
        org,
        "Cora CANARYCOMP",
        known_as="CANARYKNOWN",
        date_of_birth=date(1970, 1, 1),
        address="7 CANARYSTREET Road\nWatford",
        postcode="ZZ9 9CC",
        phone=CANARY_PHONE,
        email=CANARY_EMAIL,
        disclosure_consent=True,
        disclosure_consent_recorded_at=timezone.now(),
    )
    victim = _person(org, "Vera CANARYVIC", address="CANARYVICADDR Court")
    witness = _person(org, "Wilf CANARYWIT", address="CANARYWITADDR Close", phone=WITNESS_PHONE)
    parties = {
        "perpetrator": CaseParty.objects.create(
            case=case, role=PartyRole.PERPETRATOR, person=subject, perpetrator_kind="named"
        ),
        "complainant": CaseParty.objects.create(
            case=case, role=PartyRole.COMPLAINANT, person=complainant
        ),
        "victim": CaseParty.objects.create(case=case, role=PartyRole.VICTIM, person=victim),
        "witness": CaseParty.objects.create(case=case, role=PartyRole.WITNESS, person=witness),
    }
    incident = Incident.objects.create(
        case=case,
        organisation=org,
        occurred_at=timezone.now() - timedelta(days=2),
        location="Landing by CANARYVICADDR Court",
        description="Vera CANARYVIC was sworn at by Sid Subject; CANARYWIT heard it.",
        police_officer="PC CANARYPOLICE",
        recorded_by=cast.officer,
    )
    incident.parties.set([parties["perpetrator"], parties["victim"]])
    Contact.objects.create(
        case=case,
        party=parties["perpetrator"],
        occurred_at=timezone.now() - timedelta(days=1),
        method=ContactMethod.VISIT,
        direction=ContactDirection.OUTBOUND,
        purpose=ContactPurpose.INTERVIEW,
        notes="Told Sid Subject that Cora (CANARYKNOWN) and Wilf had complained. Sid denied it.",
        recorded_by=cast.officer,
    )
    Contact.objects.create(
        case=case,
        party=parties["victim"],
        occurred_at=timezone.now() - timedelta(days=1),
        method=ContactMethod.PHONE,
        direction=ContactDirection.INBOUND,
        purpose=ContactPurpose.WELFARE_CALL,
        notes="VICTIMSTATEMENT: Vera CANARYVIC said she is frightened to use the stairs.",
        recorded_by=cast.officer,
    )
    Note.objects.create(
        case=case,
        author=cast.officer,
        text="Spoke to Sid Subject's housing officer; Cora CANARYCOMP to be kept informed.",
        disclosable=True,
    )
    Note.objects.create(case=case, author=cast.officer, text=SECRET_NOTE)
    return World(
        case=case, subject=subject, complainant=complainant, victim=victim, witness=witness
    )
