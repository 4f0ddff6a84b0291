"""Fixtures for the transfers tests: a case with a victim, a witness, notes and evidence,
and a Housing Panel whose members are managers or not as each test needs."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Role
from cases.models import CaseParty, Contact, Evidence, Note, Person
from cases.models.choices import (
    Category,
    Channel,
    ContactDirection,
    ContactMethod,
    ContactPurpose,
    EvidenceKind,
    IncidentAct,
    PartyRole,
    ReporterType,
    Tenure,
)
from cases.services.intake import case_open
from cases.services.records import incident_record
from tests.factories import member
from transfers.choices import Reason, ReferralType, Urgency
from transfers.services.referrals import transfer_referral_create


def open_case(organisation, officer, *, tenure=Tenure.TENANT, victim_name="Vera Victim"):
    case = case_open(
        organisation=organisation,
        logged_by=officer,
        received_at=timezone.now() - timedelta(days=10),
        channel=Channel.PHONE,
        reporter_type=ReporterType.VICTIM,
        category=Category.HARASSMENT,
        summary="Threats at the front door.",
        assigned_officer=officer,
    )
    victim = Person.objects.create(
        organisation=organisation, full_name=victim_name, tenure=tenure, phone="07700 900001"
    )
    child = Person.objects.create(
        organisation=organisation,
        full_name="Vic Victim Junior",
        tenure=Tenure.HOUSEHOLD_MEMBER,
        tenancy_holder=victim,
    )
    witness = Person.objects.create(
        organisation=organisation,
        full_name="Wendy Witness",
        phone="07700 900999",
        address="9 Witness Way",
        tenure=Tenure.TENANT,
    )
    perpetrator = Person.objects.create(
        organisation=organisation, full_name="Percy Perpetrator", tenure=Tenure.TENANT
    )
    victim_party = CaseParty.objects.create(case=case, person=victim, role=PartyRole.VICTIM)
    CaseParty.objects.create(case=case, person=witness, role=PartyRole.WITNESS)
    CaseParty.objects.create(case=case, person=perpetrator, role=PartyRole.PERPETRATOR)
    Note.objects.create(case=case, text="Confidential note: MI5 informant", author=officer)
    Contact.objects.create(
        case=case,
        party=victim_party,
        occurred_at=timezone.now() - timedelta(days=5),
        method=ContactMethod.PHONE,
        direction=ContactDirection.OUTBOUND,
        purpose=ContactPurpose.WELFARE_CALL,
        notes="Contact note: spoke about the new partner",
        recorded_by=officer,
    )
    incident = incident_record(
        case=case,
        by=officer,
        occurred_at=timezone.now() - timedelta(days=9),
        description="Percy shouted threats; Wendy Witness saw it.",
        acts=[IncidentAct.THREATS],
    )
    evidence = Evidence.objects.create(
        case=case,
        incident=incident,
        kind=EvidenceKind.PHOTO,
        description="Photo of the damaged door",
        file=ContentFile(b"jpeg", name="door.jpg"),
        storage_key=f"key-{case.pk}-{victim.pk}",
        original_name="door.jpg",
        content_type="image/jpeg",
        size=4,
        sha256="0" * 64,
        uploaded_by=officer,
    )
    case.victim, case.child, case.witness = victim, child, witness
    case.incident, case.evidence_item = incident, evidence
    return case


def refer(case, officer, **overrides):
    kwargs = {
        "case": case,
        "by": officer,
        "referral_type": ReferralType.MANAGED_TRANSFER,
        "household": [case.victim, case.child],
        "reasons": [Reason.POLICE_ADVICE],
        "reason_details": "Police advise the family to move.",
        "urgency": Urgency.URGENT,
        "bedrooms_needed": 2,
        "accessibility_needs": "Ground floor",
        "areas_to_avoid": "North Watford",
        "incidents": [case.incident],
        "evidence": [case.evidence_item],
    }
    kwargs.update(overrides)
    return transfer_referral_create(**kwargs)


@pytest.fixture
def case(cast):
    return open_case(cast.organisation, cast.officer)


@pytest.fixture
def referral(case, cast):
    return refer(case, cast.officer)


def panellist(organisation, *, manager: bool, **fields):
    roles = (Role.PANEL, Role.MANAGER) if manager else (Role.PANEL,)
    return member(organisation, *roles, **fields)
