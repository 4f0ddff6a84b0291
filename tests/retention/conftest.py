"""A case with something in every part that holds personal data, closed at a known time.
The canaries are the victim's details and the officers' free text: after anonymisation none
may be found in any table, live or history."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Case, CaseParty, Person
from cases.models.choices import PartyRole
from cases.services.evidence import evidence_attach
from cases.services.notes import note_add
from cases.services.records import contact_log, incident_record
from letters.models import Delivery, LetterKind
from letters.services.issue import letter_issue
from tests.cases.factories import make_case

LONDON = ZoneInfo("Europe/London")
CANARY_NAME = "CANARYVICTIM"
CANARY_NOTE = "CANARYNOTE"
CANARY_PHONE = "07700 900123"
CANARY_ADDRESS = "CANARYADDRESS"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


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


@dataclass
class RichCase:
    case: Case
    victim: CaseParty
    perpetrator: CaseParty


def rich_case(cast, capture, *, closed_at: datetime, name: str = CANARY_NAME) -> RichCase:
    """A case with people, an incident, a contact, a note, evidence and a rendered letter,
    closed at ``closed_at``."""
    org = cast.organisation
    case = make_case(
        org,
        cast.staff,
        assigned_officer=cast.officer,
        summary=f"{name} was shouted at. {CANARY_NOTE}",
        location="Acacia Avenue",
        received_at=closed_at - timedelta(days=60),
    )
    victim = CaseParty.objects.create(
        case=case,
        role=PartyRole.VICTIM,
        person=Person.objects.create(
            organisation=org,
            full_name=name,
            phone=CANARY_PHONE,
            email="victim@example.org",
            address=f"Flat 9, {CANARY_ADDRESS}",
            postcode="WD17 9ZZ",
            date_of_birth=date(1980, 5, 1),
            ethnicity="asian",
            vulnerability_notes=f"{CANARY_NOTE} anxiety",
        ),
    )
    perpetrator = CaseParty.objects.create(
        case=case,
        role=PartyRole.PERPETRATOR,
        person=Person.objects.create(organisation=org, full_name="Percy Perpetrator"),
    )
    incident_record(
        case=case,
        by=cast.officer,
        occurred_at=closed_at - timedelta(days=59),
        description=f"{name} was threatened. {CANARY_NOTE}",
        acts=["verbal_abuse"],
        parties=[victim, perpetrator],
        location="Acacia Avenue",
    )
    contact_log(
        case=case,
        by=cast.officer,
        occurred_at=closed_at - timedelta(days=58),
        method="phone",
        direction="outbound",
        purpose="first_contact",
        party=victim,
        notes=f"Spoke to {name}. {CANARY_NOTE}",
    )
    note_add(case=case, by=cast.officer, text=f"{CANARY_NOTE} about {name}")
    evidence_attach(
        case=case,
        by=cast.officer,
        upload=SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
        kind="photo",
        description=f"Photo from {name}",
    )
    with capture(execute=True):
        letter_issue(
            case=case,
            kind=LetterKind.ACKNOWLEDGEMENT,
            recipient=victim,
            by=cast.officer,
            reason=f"Acknowledge {name}",
            extra={"next_contact_date": "Monday"},
            delivery=Delivery.POST,
        )
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=closed_at)
    case.refresh_from_db()
    return RichCase(case=case, victim=victim, perpetrator=perpetrator)
