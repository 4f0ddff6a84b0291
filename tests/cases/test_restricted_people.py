"""A person who appears only on restricted cases a user may not open is hidden from that user:
their pages, every list of people to choose from, and every write that names them by id."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from cases.models import Case, CaseParty, Person
from cases.models.choices import PartyRole, Tenure
from cases.services.parties import party_add, person_create, person_update
from tests.cases.factories import PersonFactory, make_case
from tests.factories import member

pytestmark = pytest.mark.django_db

NOT_OFFERED = b"Choose one of the people offered."


@pytest.fixture
def colleague(cast):
    """An officer of the same organisation who is not on the restricted case."""
    return member(cast.organisation, Role.OFFICER, full_name="Colin Colleague")


@pytest.fixture
def people(cast):
    """A restricted case (the cast's officer is assigned) and an open one, with one person on
    each, one on both, and one on no case at all."""
    restricted = make_case(
        cast.organisation, cast.staff, assigned_officer=cast.officer, restricted=True
    )
    open_case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    hidden = PersonFactory(
        organisation=cast.organisation,
        full_name="Hana Hidden",
        date_of_birth="1984-05-02",
        postcode="WD17 1AA",
        tenure=Tenure.TENANT,
    )
    both = PersonFactory(organisation=cast.organisation, full_name="Bea Both", tenure="tenant")
    shown = PersonFactory(organisation=cast.organisation, full_name="Sid Shown")
    loose = PersonFactory(organisation=cast.organisation, full_name="Nora Nocase")
    party_add(case=restricted, by=cast.manager, role=PartyRole.VICTIM, person=hidden)
    party_add(case=restricted, by=cast.manager, role=PartyRole.WITNESS, person=both)
    party_add(case=open_case, by=cast.manager, role=PartyRole.VICTIM, person=both)
    party_add(case=open_case, by=cast.manager, role=PartyRole.WITNESS, person=shown)
    return {
        "restricted": restricted,
        "open": open_case,
        "hidden": hidden,
        "both": both,
        "shown": shown,
        "loose": loose,
    }


# --- 1. Person pages ----------------------------------------------------------------------


def test_person_only_on_a_restricted_case_is_404_on_every_person_page_to_a_colleague(
    client, cast, people, colleague
):
    hidden = people["hidden"]
    client.force_login(colleague)
    for name in ("cases:person", "cases:person_edit"):
        url = reverse(name, args=[hidden.pk])
        assert client.get(url).status_code == 404, url
        response = client.post(url, {"full_name": "Renamed", "tenure": "tenant", "version": 0})
        assert response.status_code == 404, url
    hidden.refresh_from_db()
    assert hidden.full_name == "Hana Hidden"


@pytest.mark.parametrize("who", ["officer", "manager"])
def test_person_only_on_a_restricted_case_is_shown_to_those_on_it_and_to_managers(
    client, cast, people, who
):
    client.force_login(getattr(cast, who))
    for name in ("cases:person", "cases:person_edit"):
        assert client.get(reverse(name, args=[people["hidden"].pk])).status_code == 200


def test_walking_every_person_id_finds_only_the_people_a_colleague_may_see(
    client, cast, people, colleague
):
    """Ids run in sequence: every one is tried, including some past the last."""
    PersonFactory(organisation=cast.other_organisation, full_name="Elsewhere Person")
    first = Person.objects.order_by("pk").first().pk
    last = Person.objects.order_by("-pk").first().pk
    client.force_login(colleague)
    found = {
        pk
        for pk in range(max(1, first - 2), last + 3)
        if client.get(reverse("cases:person", args=[pk])).status_code == 200
    }
    assert found == {people["both"].pk, people["shown"].pk, people["loose"].pk}


def test_person_on_a_restricted_and_an_open_case_shows_only_the_open_role_to_a_colleague(
    client, people, colleague
):
    client.force_login(colleague)
    response = client.get(reverse("cases:person", args=[people["both"].pk]))
    assert response.status_code == 200
    assert [party.case for party in response.context["roles"]] == [people["open"]]
    assert people["restricted"].reference.encode() not in response.content


def test_household_members_page_and_case_page_do_not_name_a_hidden_tenancy_holder(
    client, cast, people, colleague
):
    member_person = PersonFactory(
        organisation=cast.organisation,
        full_name="Hal Household",
        tenure=Tenure.HOUSEHOLD_MEMBER,
        tenancy_holder=people["hidden"],
    )
    party_add(case=people["open"], by=cast.manager, role=PartyRole.WITNESS, person=member_person)
    client.force_login(colleague)
    person_page = client.get(reverse("cases:person", args=[member_person.pk]))
    case_page = client.get(reverse("cases:detail", args=[people["open"].pk]))
    assert person_page.status_code == case_page.status_code == 200
    assert b"Hana Hidden" not in person_page.content
    assert b"Hana Hidden" not in case_page.content
    client.force_login(cast.officer)  # on the restricted case: the holder is named
    assert b"Hana Hidden" in client.get(reverse("cases:person", args=[member_person.pk])).content


def test_editing_a_household_member_keeps_a_hidden_tenancy_holder_unseen_and_unchanged(
    client, cast, people, colleague
):
    member_person = PersonFactory(
        organisation=cast.organisation,
        full_name="Hal Household",
        tenure=Tenure.HOUSEHOLD_MEMBER,
        tenancy_holder=people["hidden"],
    )
    client.force_login(colleague)
    url = reverse("cases:person_edit", args=[member_person.pk])
    page = client.get(url)
    assert "tenancy_holder" not in page.context["form"].fields
    assert b"Hana Hidden" not in page.content
    response = client.post(
        url,
        {
            "full_name": "Hal Household",
            "phone": "07700 900999",
            "tenure": "household_member",
            "preferred_language": "English",
            "preferred_format": "standard",
            "version": member_person.version,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    member_person.refresh_from_db()
    assert member_person.phone == "07700 900999"
    assert member_person.tenancy_holder == people["hidden"]


# --- 2. Person pickers --------------------------------------------------------------------


def _person_post(**extra):
    return {
        "full_name": "Kim Kid",
        "tenure": "household_member",
        "preferred_language": "English",
        "preferred_format": "standard",
        **extra,
    }


def test_tenancy_holder_choice_offers_only_people_visible_to_the_user(
    client, cast, people, colleague
):
    client.force_login(colleague)
    page = client.get(reverse("cases:person_edit", args=[people["shown"].pk]))
    offered = set(page.context["form"].fields["tenancy_holder"].queryset)
    assert people["both"] in offered
    assert people["hidden"] not in offered
    assert b"Hana Hidden" not in page.content


def test_hand_made_post_of_a_hidden_tenancy_holder_on_person_edit_is_refused_beside_the_field(
    client, cast, people, colleague
):
    person = people["shown"]
    client.force_login(colleague)
    response = client.post(
        reverse("cases:person_edit", args=[person.pk]),
        _person_post(
            full_name="Sid Shown", tenancy_holder=people["hidden"].pk, version=person.version
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["tenancy_holder"] == ["Choose one of the people offered."]
    assert form["full_name"].value() == "Sid Shown"  # the input is kept
    person.refresh_from_db()
    assert person.tenancy_holder is None


def test_hand_made_post_of_a_hidden_tenancy_holder_when_adding_a_party_links_no_one(
    client, cast, people, colleague
):
    case = people["open"]
    client.force_login(colleague)
    before = (Person.objects.count(), CaseParty.objects.count())
    response = client.post(
        reverse("cases:party_add", args=[case.pk]),
        {
            "party-role": "witness",
            "person-match": "new",
            **{f"person-{k}": v for k, v in _person_post().items()},
            "person-tenancy_holder": people["hidden"].pk,
        },
    )
    assert response.status_code == 200
    assert response.context["person_form"].errors["tenancy_holder"] == [
        "Choose one of the people offered."
    ]
    assert response.context["person_form"]["full_name"].value() == "Kim Kid"
    assert (Person.objects.count(), CaseParty.objects.count()) == before


def test_party_add_does_not_suggest_a_hidden_person_and_adds_a_new_one(
    client, cast, people, colleague
):
    client.force_login(colleague)
    response = client.post(
        reverse("cases:party_add", args=[people["open"].pk]),
        {
            "party-role": "witness",
            "person-full_name": "Hana Hidden",
            "person-tenure": "tenant",
            "person-preferred_language": "English",
            "person-preferred_format": "standard",
        },
    )
    # Nobody was suggested, so a new person was added rather than the hidden one offered.
    assert response.status_code == 302
    assert not CaseParty.objects.filter(case=people["open"], person=people["hidden"]).exists()
    assert Person.objects.filter(full_name="Hana Hidden").count() == 2


def test_hand_made_post_of_a_hidden_match_when_adding_a_party_is_refused_and_links_no_one(
    client, cast, people, colleague
):
    case = people["open"]
    client.force_login(colleague)
    before = (Person.objects.count(), CaseParty.objects.count())
    response = client.post(
        reverse("cases:party_add", args=[case.pk]),
        {
            "party-role": "witness",
            "person-match": str(people["hidden"].pk),
            "person-full_name": "Hana Hidden",
            "person-tenure": "tenant",
            "person-preferred_language": "English",
            "person-preferred_format": "standard",
        },
    )
    assert response.status_code == 400
    assert response.context["match_error"] == "Choose one of the people offered."
    assert NOT_OFFERED in response.content
    assert b'value="Hana Hidden"' in response.content  # the input is kept
    assert (Person.objects.count(), CaseParty.objects.count()) == before
    assert not CaseParty.objects.filter(case=case, person=people["hidden"]).exists()


def test_a_match_that_was_offered_is_still_linked_when_adding_a_party(
    client, cast, people, colleague
):
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    client.force_login(colleague)
    response = client.post(
        reverse("cases:party_add", args=[case.pk]),
        {
            "party-role": "witness",
            "person-match": str(people["both"].pk),
            "person-full_name": "Bea Both",
            "person-tenure": "tenant",
            "person-preferred_language": "English",
            "person-preferred_format": "standard",
        },
    )
    assert response.status_code == 302
    assert CaseParty.objects.filter(case=case, person=people["both"]).exists()


def test_hand_made_post_of_a_hidden_match_at_intake_is_refused_and_opens_no_case(
    client, cast, people, colleague, report_data
):
    client.force_login(colleague)
    before = Case.objects.count()
    data = {
        **report_data,
        "victim-full_name": "Hana Hidden",
        "victim-match": str(people["hidden"].pk),
    }
    response = client.post(reverse("cases:log"), data)
    assert response.status_code == 400
    assert response.context["victim_match_error"] == "Choose one of the people offered."
    assert NOT_OFFERED in response.content
    assert b'value="Hana Hidden"' in response.content
    assert Case.objects.count() == before


def test_hand_made_post_of_a_hidden_perpetrator_match_at_intake_is_refused(
    client, cast, people, colleague, report_data
):
    client.force_login(colleague)
    before = Case.objects.count()
    data = {
        **report_data,
        "victim-match": "new",
        "perpetrator-kind": "named",
        "perpetrator-full_name": "Hana Hidden",
        "perpetrator-match": str(people["hidden"].pk),
    }
    response = client.post(reverse("cases:log"), data)
    assert response.status_code == 400
    assert response.context["perpetrator_match_error"] == "Choose one of the people offered."
    assert Case.objects.count() == before


def test_live_suggestions_offer_people_visible_to_the_user_only(client, people, colleague):
    client.force_login(colleague)
    for name, expected in (("Hana Hidden", []), ("Bea Both", [people["both"]])):
        response = client.post(
            reverse("cases:person_matches"), {"prefix": "person", "person-full_name": name}
        )
        assert response.context["matches"] == expected, name


def test_party_add_service_refuses_a_person_hidden_from_the_user(cast, people, colleague):
    with pytest.raises(ValidationError) as refused:
        party_add(
            case=people["open"], by=colleague, role=PartyRole.WITNESS, person=people["hidden"]
        )
    assert refused.value.message_dict["person"] == ["Choose one of the people offered."]
    assert not CaseParty.objects.filter(case=people["open"], person=people["hidden"]).exists()


def test_party_add_service_accepts_a_second_role_for_someone_already_on_the_case(
    cast, people, colleague
):
    """A complainant who is also the victim is added twice at intake, even to a case the
    person logging it may not open afterwards."""
    restricted, hidden = people["restricted"], people["hidden"]
    party_add(case=restricted, by=cast.staff, role=PartyRole.COMPLAINANT, person=hidden)
    assert CaseParty.objects.filter(case=restricted, person=hidden).count() == 2


def test_person_services_refuse_a_tenancy_holder_hidden_from_the_user(cast, people, colleague):
    fields = {"full_name": "Kim Kid", "tenure": Tenure.HOUSEHOLD_MEMBER}
    with pytest.raises(ValidationError) as refused:
        person_create(
            organisation=cast.organisation,
            by=colleague,
            tenancy_holder=people["hidden"],
            **fields,
        )
    assert refused.value.message_dict["tenancy_holder"] == ["Choose one of the people offered."]
    person = people["shown"]
    with pytest.raises(ValidationError):
        person_update(
            person=person,
            by=colleague,
            expected_version=person.version,
            tenancy_holder=people["hidden"],
        )
    person.refresh_from_db()
    assert person.tenancy_holder is None


def test_person_services_still_accept_a_visible_tenancy_holder(cast, people, colleague):
    kid = person_create(
        organisation=cast.organisation,
        by=colleague,
        full_name="Kim Kid",
        tenure=Tenure.HOUSEHOLD_MEMBER,
        tenancy_holder=people["both"],
    )
    assert kid.tenancy_holder == people["both"]


def test_people_visible_to_is_one_query(cast, people, colleague, django_assert_num_queries):
    from accounts.permissions import access_for
    from cases.selectors import people_visible_to

    access = access_for(colleague, cast.organisation.pk)
    with django_assert_num_queries(1):  # the people, with the hidden cases as subqueries
        found = set(people_visible_to(user=colleague, access=access))
    assert found == {people["both"], people["shown"], people["loose"]}


def test_person_on_no_case_is_visible_to_everyone_who_logs_cases_but_not_the_panel(cast, colleague):
    from accounts.permissions import access_for
    from cases.selectors import people_visible_to

    old = PersonFactory(organisation=cast.organisation)
    for user in (colleague, cast.manager, cast.admin, cast.staff):
        access = access_for(user, cast.organisation.pk)
        assert old in people_visible_to(user=user, access=access), user
    access = access_for(cast.panel, cast.organisation.pk)
    assert not people_visible_to(user=cast.panel, access=access).exists()
