"""The case list's search: one search document per case, kept by the services that change
what it holds, and never a way to learn who is on a restricted case."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.urls import reverse

from accounts.models import Role
from cases.models import Case
from cases.services.changes import case_update
from cases.services.parties import party_add, party_remove, person_update
from cases.services.search import case_search_refresh
from tests.cases.factories import PersonFactory, make_case
from tests.factories import member

pytestmark = pytest.mark.django_db
URL = reverse("cases:list")


def search(client, terms, **filters):
    """As the browser does it: post the form, follow the redirect to ?search=<key>."""
    return client.post(URL, {"q": terms, **filters}, follow=True)


def refs(response):
    return {case.reference for case in response.context["page"]}


def document(case) -> str:
    return Case.objects.values_list("search_document", flat=True).get(pk=case.pk)


def test_search_finds_a_name_known_as_location_and_part_of_a_reference(client, cast):
    case = make_case(cast.organisation, cast.staff, location="Heron Court, stairwell B")
    person = PersonFactory(
        organisation=cast.organisation, full_name="Grace Okafor", known_as="Bibi"
    )
    party_add(case=case, by=cast.manager, role="victim", person=person)
    other = make_case(cast.organisation, cast.staff)
    client.force_login(cast.manager)
    for terms in ("okafor", "OKAFOR", "Grace Okafor", "okafor grace", "bibi", "heron court"):
        assert refs(search(client, terms)) == {case.reference}, terms
    assert refs(search(client, other.reference.lower())) == {other.reference}
    assert refs(search(client, other.reference[-5:])) == {other.reference}
    assert refs(search(client, "grace smith")) == set()  # every word must be there


def test_a_word_shorter_than_a_trigram_finds_the_names_it_begins(client, cast):
    case = make_case(cast.organisation, cast.staff)
    party_add(
        case=case,
        by=cast.manager,
        role="victim",
        person=PersonFactory(organisation=cast.organisation, full_name="Jo Ng"),
    )
    joanne = make_case(cast.organisation, cast.staff)
    party_add(
        case=joanne,
        by=cast.manager,
        role="victim",
        person=PersonFactory(organisation=cast.organisation, full_name="Joanne Mbeki"),
    )
    make_case(cast.organisation, cast.staff)
    client.force_login(cast.manager)
    assert refs(search(client, "ng")) == {case.reference}
    assert refs(search(client, "jo ng")) == {case.reference}
    assert refs(search(client, "jo")) == {case.reference, joanne.reference}
    assert refs(search(client, "jo mbeki")) == {joanne.reference}


def test_an_unknown_perpetrators_description_is_searched(client, cast):
    case = make_case(cast.organisation, cast.staff)
    party_add(
        case=case,
        by=cast.manager,
        role="perpetrator",
        perpetrator_kind="unknown",
        description="Man in a grey hoodie",
    )
    client.force_login(cast.manager)
    assert refs(search(client, "hoodie")) == {case.reference}


def test_search_never_reveals_a_restricted_cases_people_to_a_colleague_not_on_it(client, cast):
    colleague = member(cast.organisation, Role.OFFICER, full_name="Colin Colleague")
    hidden = make_case(
        cast.organisation, cast.staff, assigned_officer=cast.officer, restricted=True
    )
    quill = PersonFactory(organisation=cast.organisation, full_name="Zara Quillfeather")
    party_add(case=hidden, by=cast.officer, role="victim", person=quill)

    client.force_login(colleague)
    for scope in ("mine", "all"):
        response = search(client, "quillfeather", scope=scope)
        assert refs(response) == set()
        assert "Quillfeather" not in response.content.decode().replace('value="quillfeather"', "")
    assert refs(search(client, hidden.reference, scope="all")) == set()

    client.force_login(cast.officer)  # on the case: finds it
    assert refs(search(client, "quillfeather", scope="all")) == {hidden.reference}
    client.force_login(cast.manager)
    assert refs(search(client, "quillfeather")) == {hidden.reference}


def test_search_is_limited_to_the_users_organisation(client, cast):
    theirs = make_case(cast.other_organisation, cast.outsider)
    party_add(
        case=theirs,
        by=cast.outsider,
        role="victim",
        person=PersonFactory(organisation=cast.other_organisation, full_name="Ivo Elsewhere"),
    )
    client.force_login(cast.manager)
    assert refs(search(client, "elsewhere")) == set()
    assert refs(search(client, theirs.reference)) == set()


def test_services_keep_the_search_document_up_to_date(cast):
    case = make_case(cast.organisation, cast.staff, location="Block A")
    assert document(case) == f"{case.reference.lower()} block a "

    person = PersonFactory(organisation=cast.organisation, full_name="Amina Yusuf")
    party = party_add(case=case, by=cast.manager, role="victim", person=person)
    second = make_case(cast.organisation, cast.staff)
    party_add(case=second, by=cast.manager, role="witness", person=person)
    assert "amina yusuf" in document(case) and "amina yusuf" in document(second)

    # A person's new name and known-as reach every case they are on.
    person_update(
        person=person,
        by=cast.manager,
        expected_version=person.version,
        full_name="Amina Farah",
        known_as="Mina",
    )
    for each in (case, second):
        assert "amina farah mina" in document(each) and "yusuf" not in document(each)

    case_update(case=case, by=cast.manager, expected_version=1, reason="Moved", location="Block C")
    assert "block c" in document(case) and "block a" not in document(case)

    party_remove(party=party, by=cast.manager)
    assert "amina" not in document(case) and "amina" in document(second)


def test_saving_a_case_read_before_a_party_was_added_keeps_the_new_name(cast):
    case = make_case(cast.organisation, cast.staff)
    read_earlier = Case.objects.get(pk=case.pk)
    party_add(
        case=case,
        by=cast.manager,
        role="victim",
        person=PersonFactory(organisation=cast.organisation, full_name="Grace Okafor"),
    )
    read_earlier.summary = "Changed"
    read_earlier.save()
    assert "okafor" in document(case)


def test_bulk_refresh_and_the_migration_fill_every_case(cast):
    cases = [make_case(cast.organisation, cast.staff) for _ in range(3)]
    for n, case in enumerate(cases):
        party_add(
            case=case,
            by=cast.manager,
            role="victim",
            person=PersonFactory(organisation=cast.organisation, full_name=f"Victim Number{n}"),
        )
    expected = {case.pk: document(case) for case in cases}
    Case.objects.update(search_document="")
    assert case_search_refresh() == 3
    assert {case.pk: document(case) for case in cases} == expected

    Case.objects.update(search_document="")
    migration = importlib.import_module("cases.migrations.0018_case_search_document")
    migration.fill_search_documents(django_apps, SimpleNamespace(connection=connection))
    assert {case.pk: document(case) for case in cases} == expected
    assert "victim number2" in expected[cases[2].pk]
