"""The person page states the disclosure rule in the words letters and summaries follow."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import disclosure
from cases.models import CaseParty, Person
from cases.models.choices import PartyRole
from letters.merge import merge_values
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cast):
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)

    def add(name, role):
        person = Person.objects.create(organisation=cast.organisation, full_name=name)
        return CaseParty.objects.create(case=case, role=role, person=person)

    return {
        PartyRole.VICTIM: add("Vera Victim", PartyRole.VICTIM),
        PartyRole.COMPLAINANT: add("Carol Complainant", PartyRole.COMPLAINANT),
        PartyRole.PERPETRATOR: add("Peter Perpetrator", PartyRole.PERPETRATOR),
        PartyRole.WITNESS: add("Wendy Witness", PartyRole.WITNESS),
    }


def _page(client, cast, party):
    client.force_login(cast.officer)
    return client.get(reverse("cases:person", args=[party.person_id])).content.decode()


@pytest.mark.parametrize("role", list(PartyRole))
def test_c11_person_page_states_the_rule_for_their_role_in_the_rules_own_words(
    client, cast, people, role
):
    body = _page(client, cast, people[role])
    assert disclosure.STATEMENTS[role] in body


@pytest.mark.parametrize("role", list(PartyRole))
def test_c11_what_the_person_page_says_is_what_a_letter_does(cast, people, role):
    """Never disclosed: struck from a letter to the complainant. Disclosed to the complainant's
    side: kept in it."""
    subject = people[role]
    reader = people[PartyRole.COMPLAINANT if role != PartyRole.COMPLAINANT else PartyRole.VICTIM]
    values = merge_values(
        case=subject.case,
        recipient=reader,
        parties=list(subject.case.parties.select_related("person")),
        extra={"closure_rationale": f"Spoke to {subject.person.full_name}."},
    )
    shown = subject.person.full_name in values["closure_rationale"]
    assert shown == (disclosure.STATEMENTS[role] != disclosure.NEVER)


def test_c11_consent_is_stated_and_lets_the_perpetrator_be_named(client, cast, people):
    party = people[PartyRole.PERPETRATOR]
    party.person.disclosure_consent = True
    party.person.disclosure_consent_recorded_at = timezone.now()
    party.person.save()
    body = _page(client, cast, party)
    assert disclosure.CONSENTED in body and disclosure.NEVER not in body
