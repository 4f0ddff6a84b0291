from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from cases.models import CaseParty
from cases.services.records import incident_record
from tests.cases.factories import PersonFactory, make_case
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db
URL = reverse("cases:list")


def refs(response):
    return {case.reference for case in response.context["page"]}


def test_officer_sees_own_and_area_cases_by_default_and_all_on_request(client, cast, officer_area):
    other_area = AreaFactory(organisation=cast.organisation, name="Oxhey")
    mine = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    in_area = make_case(
        cast.organisation, cast.staff, area=officer_area, assigned_officer=cast.manager
    )
    elsewhere = make_case(
        cast.organisation, cast.staff, area=other_area, assigned_officer=cast.manager
    )
    restricted = make_case(
        cast.organisation, cast.staff, assigned_officer=cast.manager, restricted=True
    )
    client.force_login(cast.officer)
    assert refs(client.get(URL)) == {mine.reference, in_area.reference}
    everything = refs(client.get(URL, {"scope": "all"}))
    assert everything == {mine.reference, in_area.reference, elsewhere.reference}
    assert restricted.reference not in everything


def test_manager_sees_the_organisations_cases_only(client, cast):
    ours = make_case(cast.organisation, cast.staff, restricted=True)
    make_case(cast.other_organisation, cast.outsider)
    client.force_login(cast.manager)
    assert refs(client.get(URL)) == {ours.reference}


def test_staff_see_the_cases_they_logged(client, cast):
    logged = make_case(cast.organisation, cast.staff)
    make_case(cast.organisation, cast.manager)
    client.force_login(cast.staff)
    assert refs(client.get(URL)) == {logged.reference}


def test_filters_by_status_risk_category_officer_area_and_hate_ground(client, cast, officer_area):
    hate = make_case(
        cast.organisation,
        cast.staff,
        category="hate_crime",
        area=officer_area,
        assigned_officer=cast.officer,
    )
    incident_record(
        case=hate,
        by=cast.officer,
        occurred_at=timezone.now() - timedelta(hours=5),
        description="Graffiti",
        acts=["graffiti"],
        grounds=["religion"],
        perceived_by="victim",
    )
    plain = make_case(cast.organisation, cast.staff, assigned_officer=cast.manager)
    client.force_login(cast.manager)
    assert refs(client.get(URL, {"category": "hate_crime"})) == {hate.reference}
    assert refs(client.get(URL, {"ground": "religion"})) == {hate.reference}
    assert refs(client.get(URL, {"assigned_officer": cast.manager.pk})) == {plain.reference}
    assert refs(client.get(URL, {"area": officer_area.pk})) == {hate.reference}
    assert refs(client.get(URL, {"risk_level": "high"})) == {hate.reference, plain.reference}
    assert refs(client.get(URL, {"status": "closed"})) == set()


def search(client, terms, **filters):
    """The search journey as a browser makes it: post the form, follow the redirect."""
    return client.post(URL, {"q": terms, **filters}, follow=True)


def test_search_by_reference_and_by_party_name(client, cast):
    found = make_case(cast.organisation, cast.staff)
    other = make_case(cast.organisation, cast.staff)
    person = PersonFactory(organisation=cast.organisation, full_name="Grace Okafor")
    CaseParty.objects.create(case=found, person=person, role="victim")
    client.force_login(cast.manager)
    assert refs(search(client, "okafor")) == {found.reference}
    assert refs(search(client, other.reference)) == {other.reference}


def test_search_names_never_appear_in_the_request_line_of_any_request_of_the_journey(client, cast):
    grace = PersonFactory(organisation=cast.organisation, full_name="Grace Okafor")
    for _ in range(30):
        case = make_case(cast.organisation, cast.staff)
        CaseParty.objects.create(case=case, person=grace, role="victim")
    closed = make_case(cast.organisation, cast.staff)
    CaseParty.objects.create(case=closed, person=grace, role="victim")
    closed.status = "closed"
    closed.save()
    make_case(cast.organisation, cast.staff)  # nobody named Okafor
    client.force_login(cast.manager)

    requested = [URL]
    response = search(client, "  Grace   Okafor ", status=case.status, sort="reference")
    requested += [url for url, _ in response.redirect_chain]
    assert response.status_code == 200
    assert len(response.redirect_chain) == 1
    page_one = list(response.context["page"])
    assert len(page_one) == 25 and closed not in page_one
    assert [c.reference for c in page_one] == sorted(c.reference for c in page_one)
    # The box still shows what was typed; the status filter is in the URL, as before.
    assert 'value="Grace Okafor"' in response.content.decode()
    assert f"status={case.status}" in requested[-1] and "sort=reference" in requested[-1]

    next_page = f"{URL}?{response.context['query_string']}&page=2"
    requested.append(next_page)
    page_two = client.get(next_page)
    assert len(page_two.context["page"]) == 5
    assert {c.pk for c in page_two.context["page"]}.isdisjoint(c.pk for c in page_one)

    for url in requested:
        assert "grace" not in url.lower() and "okafor" not in url.lower(), url


def test_search_terms_are_not_read_from_the_url(client, cast):
    """A name typed into the address bar is not searched for: no link carries one."""
    found = make_case(cast.organisation, cast.staff)
    make_case(cast.organisation, cast.staff)
    CaseParty.objects.create(
        case=found,
        person=PersonFactory(organisation=cast.organisation, full_name="Grace Okafor"),
        role="victim",
    )
    client.force_login(cast.manager)
    assert len(refs(client.get(URL, {"q": "okafor"}))) == 2


def test_search_key_of_another_session_finds_nothing_and_says_search_again(client, cast):
    found = make_case(cast.organisation, cast.staff)
    make_case(cast.organisation, cast.staff)
    CaseParty.objects.create(
        case=found,
        person=PersonFactory(organisation=cast.organisation, full_name="Grace Okafor"),
        role="victim",
    )
    client.force_login(cast.manager)
    landed = search(client, "okafor").redirect_chain[-1][0]
    client.logout()
    client.force_login(cast.manager)
    response = client.get(landed)
    assert "That search is no longer held" in response.content.decode()
    assert len(refs(response)) == 2


def test_search_form_needs_the_csrf_token(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.manager)
    assert client.post(URL, {"q": "okafor"}).status_code == 403


def test_search_results_cost_the_same_queries_as_the_plain_list(client, cast):
    for n in range(5):
        case = make_case(cast.organisation, cast.staff)
        person = PersonFactory(organisation=case.organisation, full_name=f"Victim {n}")
        CaseParty.objects.create(case=case, person=person, role="victim")
    client.force_login(cast.manager)
    landed = search(client, "Victim").redirect_chain[-1][0]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(landed)
    assert len(refs(response)) == 5
    # The terms come from the session, which is read anyway: the same 9 as the plain list.
    assert len(queries) == 9


def test_sorting_by_reference(client, cast):
    first = make_case(cast.organisation, cast.staff)
    second = make_case(
        cast.organisation, cast.staff, received_at=timezone.now() - timedelta(days=3)
    )
    client.force_login(cast.manager)
    rows = list(client.get(URL, {"sort": "reference"}).context["page"])
    assert [c.pk for c in rows] == [first.pk, second.pk]
    rows = list(client.get(URL).context["page"])
    assert [c.pk for c in rows] == [first.pk, second.pk]  # newest received first
    rows = list(client.get(URL, {"sort": "received"}).context["page"])
    assert [c.pk for c in rows] == [second.pk, first.pk]


def test_pagination(client, cast):
    for _ in range(30):
        make_case(cast.organisation, cast.staff)
    client.force_login(cast.manager)
    response = client.get(URL, {"page": 2})
    assert len(response.context["page"]) == 5


def _case_list_queries(client, user, count):
    for n in range(count):
        case = make_case(cast_org(user), user)
        person = PersonFactory(organisation=case.organisation, full_name=f"Victim {n}")
        CaseParty.objects.create(case=case, person=person, role="victim")
    client.force_login(user)
    client.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


def cast_org(user):
    return Membership.objects.filter(user=user).first().organisation


@pytest.mark.parametrize("count", [10, 200])
def test_case_list_query_count_is_pinned_for_10_and_200_cases(client, cast, count):
    # session, user, memberships (access), count for pagination, officer choices and areas
    # for the filter form (2), the page of cases with area and officer joined, the prefetch of
    # their victims with people, and the officers for the manager's bulk-reassign form. The
    # session is not written: the warming request wrote it under a minute ago.
    assert _case_list_queries(client, cast.manager, count) == 9


@pytest.mark.parametrize("count", [10, 200])
def test_officer_case_list_query_count_is_pinned_for_10_and_200_cases(client, cast, count):
    # As for a manager, less the bulk-reassign form: the officer's areas are a subquery of the
    # count and page queries, not a query of their own.
    assert _case_list_queries(client, cast.officer, count) == 8


def test_a_victim_who_is_also_the_complainant_is_named_once_in_the_list(client, cast):
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    amina = PersonFactory(organisation=cast.organisation, full_name="Amina Yusuf")
    CaseParty.objects.create(case=case, person=amina, role="complainant")
    CaseParty.objects.create(case=case, person=amina, role="victim")
    client.force_login(cast.officer)
    body = client.get(reverse("cases:list")).content.decode()
    assert body.count("Amina Yusuf") == 1
