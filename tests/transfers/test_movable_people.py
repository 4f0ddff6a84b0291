"""Who a transfer can move: the case's victims and complainants and their households, found
by indexed probes rather than by filtering every person of the organisation."""

import pytest
from django.db import connection

from cases.models import CaseParty, Person
from cases.models.choices import PartyRole, Tenure
from tests.transfers.conftest import open_case
from transfers.services.referrals import movable_people

pytestmark = pytest.mark.django_db


def names(case):
    return set(movable_people(case=case).values_list("full_name", flat=True))


def test_w17_victims_complainants_and_their_households_are_movable(cast, case):
    complainant = Person.objects.create(organisation=cast.organisation, full_name="Cara Caller")
    partner = Person.objects.create(
        organisation=cast.organisation,
        full_name="Pat Partner",
        tenure=Tenure.HOUSEHOLD_MEMBER,
        tenancy_holder=complainant,
    )
    CaseParty.objects.create(case=case, person=complainant, role=PartyRole.COMPLAINANT)
    # A perpetrator's and a witness's households do not move with the victim.
    Person.objects.create(
        organisation=cast.organisation,
        full_name="Wes Witness Junior",
        tenure=Tenure.HOUSEHOLD_MEMBER,
        tenancy_holder=case.witness,
    )
    assert names(case) == {"Vera Victim", "Vic Victim Junior", "Cara Caller", partner.full_name}


def test_w17_people_of_another_case_are_not_movable(cast, case):
    other = open_case(cast.organisation, cast.officer, victim_name="Olive Other")
    assert "Olive Other" not in names(case)
    assert names(other) == {"Olive Other", "Vic Victim Junior"}


def test_w17_movable_people_can_be_narrowed_further(cast, case):
    # The referral form narrows the result to the people the user may see.
    narrowed = movable_people(case=case).filter(pk__in=[case.child.pk]).order_by("full_name")
    assert list(narrowed) == [case.child]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the query plan is PostgreSQL's")
def test_movable_people_probes_indexes_instead_of_filtering_the_organisation(cast, case):
    sql, params = movable_people(case=case).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    # The OR of two IN-subqueries needed hashed subplans run against every person.
    assert "SubPlan" not in plan, plan
    assert "Append" in plan or "Union" in plan.title(), plan
