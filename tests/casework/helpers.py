"""Shared set-up for the case-work tests: a case under a policy preset with its people."""

from datetime import date, timedelta

from django.utils import timezone

from cases.models import CaseParty, Person
from cases.models.choices import PartyRole, Tenure
from cases.services.parties import party_add
from cases.services.records import incident_record
from tests.cases.factories import make_case
from tests.deadline_helpers import apply_preset


def case_with_people(cast, *, preset="wch_2022", category="harassment", **case_fields):
    apply_preset(cast.organisation, preset)
    case = make_case(
        cast.organisation,
        cast.staff,
        assigned_officer=cast.officer,
        category=category,
        received_at=case_fields.pop("received_at", timezone.now() - timedelta(days=1)),
        **case_fields,
    )
    victim = party_add(
        case=case,
        by=cast.officer,
        role=PartyRole.VICTIM,
        person=Person.objects.create(
            organisation=cast.organisation,
            full_name="Vera Victim",
            date_of_birth=date(1980, 1, 1),
            tenure=Tenure.TENANT,
        ),
    )
    return case, victim


def add_perpetrator(case, by, *, tenure=Tenure.TENANT, dob=date(1990, 6, 1), **extra) -> CaseParty:
    person = Person.objects.create(
        organisation=case.organisation,
        full_name=extra.pop("full_name", "Percy Perpetrator"),
        date_of_birth=dob,
        tenure=tenure,
        **extra,
    )
    return party_add(case=case, by=by, role=PartyRole.PERPETRATOR, person=person)


def add_incident(case, by, parties, *, acts=("verbal_abuse",), hours_ago=5):
    return incident_record(
        case=case,
        by=by,
        occurred_at=timezone.now() - timedelta(hours=hours_ago),
        description="Shouting at the door.",
        acts=list(acts),
        parties=list(parties),
    )
