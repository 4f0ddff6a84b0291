from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from cases.models import Case
from cases.selectors import case_officer_groups, cases_sorted_by_officer
from cases.services.parties import party_add
from cases.services.records import incident_record
from tests.cases.factories import PersonFactory, make_case
from tests.factories import AreaFactory, member

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
    party_add(by=cast.manager, case=found, person=person, role="victim")
    client.force_login(cast.manager)
    assert refs(search(client, "okafor")) == {found.reference}
    assert refs(search(client, other.reference)) == {other.reference}


def test_search_names_never_appear_in_the_request_line_of_any_request_of_the_journey(client, cast):
    grace = PersonFactory(organisation=cast.organisation, full_name="Grace Okafor")
    for _ in range(30):
        case = make_case(cast.organisation, cast.staff)
        party_add(by=cast.manager, case=case, person=grace, role="victim")
    closed = make_case(cast.organisation, cast.staff)
    party_add(by=cast.manager, case=closed, person=grace, role="victim")
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
    party_add(
        by=cast.manager,
        case=found,
        person=PersonFactory(organisation=cast.organisation, full_name="Grace Okafor"),
        role="victim",
    )
    client.force_login(cast.manager)
    assert len(refs(client.get(URL, {"q": "okafor"}))) == 2


def test_search_key_of_another_session_finds_nothing_and_says_search_again(client, cast):
    found = make_case(cast.organisation, cast.staff)
    make_case(cast.organisation, cast.staff)
    party_add(
        by=cast.manager,
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
        party_add(by=cast.manager, case=case, person=person, role="victim")
    client.force_login(cast.manager)
    landed = search(client, "Victim").redirect_chain[-1][0]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(landed)
    assert len(refs(response)) == 5
    # The terms come from the session, which is read anyway: the same 8 as the plain list.
    assert len(queries) == 8


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


def cast_org(user):
    return Membership.objects.filter(user=user).first().organisation


def _list_queries(client, url, data=None, *, terms=None):
    if terms:
        url = search(client, terms).redirect_chain[-1][0]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200
    assert len(response.context["page"]) == min(25, response.context["page"].paginator.count)
    return len(queries)


# Every variant of the list reads: the session, the user, their memberships (access), the
# capped count, the officers (filter bar and, for a manager, the reassign form: one list),
# the areas for the filter bar, the page of cases with area and officer joined, the prefetch
# of their victims with their people. The session is not written: the warming request wrote
# it under a minute ago. Filtering by an officer checks that officer is offered (one
# more). Searching reads the terms from the session, which is read anyway.
PLAIN = 8


@pytest.mark.parametrize("role", ["officer", "manager"])
@pytest.mark.parametrize("count", [10, 200])
def test_case_list_query_count_is_pinned_for_10_and_200_cases(client, cast, role, count):
    user = getattr(cast, role)
    for n in range(count):
        case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
        person = PersonFactory(organisation=cast.organisation, full_name=f"Victim {n} Jones")
        party_add(case=case, by=cast.manager, person=person, role="victim")
    client.force_login(user)
    client.get(URL)  # warm the session
    assert _list_queries(client, URL) == PLAIN
    assert _list_queries(client, URL, {"status": "open", "risk_level": "high"}) == PLAIN
    filtered = {"status": "open", "assigned_officer": cast.officer.pk}
    assert _list_queries(client, URL, filtered) == PLAIN + 1
    assert _list_queries(client, URL, {"sort": "officer", "page": 2}) == PLAIN
    assert _list_queries(client, URL, {"sort": "-risk"}) == PLAIN
    assert _list_queries(client, URL, terms="jones") == PLAIN
    assert _list_queries(client, URL, terms="jo") == PLAIN


def test_sorting_by_officer_pages_through_every_case_once(client, cast):
    """150 cases of three officers: ties are broken by the primary key, so six pages of 25
    show each case exactly once, in both directions."""
    officers = [cast.officer, cast.manager, member(cast.organisation, Role.OFFICER)]
    received = timezone.now() - timedelta(days=1)
    for n in range(150):
        make_case(
            cast.organisation,
            cast.staff,
            assigned_officer=officers[n % 3],
            received_at=received - timedelta(hours=n % 4),  # ties in "received" too
        )
    client.force_login(cast.manager)
    for sort in ("officer", "-officer", "status", "risk", "reference", "received"):
        seen = []
        for number in range(1, 7):
            page = client.get(URL, {"sort": sort, "page": number}).context["page"]
            assert page.paginator.object_list.query.order_by[-1] in ("pk", "-pk"), sort
            seen += [case.pk for case in page]
        assert len(seen) == 150 and len(set(seen)) == 150, sort


def test_the_count_stops_past_the_page_asked_for_and_says_more_than(client, cast, monkeypatch):
    from cases.views import browse

    monkeypatch.setattr(browse, "COUNT_AHEAD", 30)
    for _ in range(60):
        make_case(cast.organisation, cast.staff)
    client.force_login(cast.manager)
    first = client.get(URL)
    assert first.context["page"].paginator.count == 31  # counted 30 past the start, and one
    assert "Page 1 of more than 1" in first.content.decode()
    second = client.get(URL, {"page": 2})
    assert len(second.context["page"]) == 25 and second.context["page"].has_next()
    assert "Page 2 of more than 2" in second.content.decode()
    last = client.get(URL, {"page": 3})  # 50 + 30 is past the end: an exact count
    assert len(last.context["page"]) == 10 and not last.context["page"].has_next()
    assert "Page 3 of 3" in last.content.decode()


def test_a_victim_who_is_also_the_complainant_is_named_once_in_the_list(client, cast):
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    amina = PersonFactory(organisation=cast.organisation, full_name="Amina Yusuf")
    party_add(by=cast.manager, case=case, person=amina, role="complainant")
    party_add(by=cast.manager, case=case, person=amina, role="victim")
    client.force_login(cast.officer)
    body = client.get(reverse("cases:list")).content.decode()
    assert body.count("Amina Yusuf") == 1


# --- Sorting by officer from each officer's count --------------------------------------


def _by_officer(cases, *, descending=False):
    """The order the list promises, as the database sorts it: the officer's name (a missing
    officer where the database puts a missing name), then the primary key."""
    name = "assigned_officer__full_name"
    ordering = (f"-{name}", "-pk") if descending else (name, "pk")
    return list(cases.order_by(*ordering).values_list("pk", flat=True))


@pytest.fixture
def officers_of_uneven_size(cast):
    """30 cases of Anna, 26 of two officers both named Ben Bright (their cases interleave by
    key), 7 unassigned, and Carl, an officer holding none: 63 cases, pages of 25, 25, 13."""
    anna = member(cast.organisation, Role.OFFICER, full_name="Anna Able")
    ben = member(cast.organisation, Role.OFFICER, full_name="Ben Bright")
    other_ben = member(cast.organisation, Role.OFFICER, full_name="Ben Bright")
    member(cast.organisation, Role.OFFICER, full_name="Carl Empty")
    holders = [anna] * 30 + [ben, other_ben] * 13
    cases = [
        make_case(cast.organisation, cast.staff, assigned_officer=officer) for officer in holders
    ]
    unassigned = [make_case(cast.organisation, cast.staff, assigned_officer=anna) for _ in range(7)]
    Case.objects.filter(pk__in=[case.pk for case in unassigned]).update(assigned_officer=None)
    return cases + unassigned


@pytest.mark.parametrize("sort", ["officer", "-officer"])
def test_sorted_by_officer_every_page_is_name_then_key_across_officers_and_unassigned(
    client, cast, officers_of_uneven_size, sort
):
    client.force_login(cast.manager)
    expected = _by_officer(
        Case.objects.filter(organisation=cast.organisation), descending=sort[0] == "-"
    )
    pages = [client.get(URL, {"sort": sort, "page": n}).context["page"] for n in (1, 2, 3)]
    assert (
        [[case.pk for case in page] for page in pages]
        == [
            expected[:25],
            expected[25:50],  # spans officers: Anna's last five and the first Ben Brights
            expected[50:],  # the last page: 13 cases
        ]
    )
    assert pages[2].paginator.count == 63 and not pages[2].has_next()
    # The seven unassigned cases are together, at the end the database puts them at.
    unassigned = set(Case.objects.filter(assigned_officer=None).values_list("pk", flat=True))
    positions = [n for n, pk in enumerate(expected) if pk in unassigned]
    assert positions in (list(range(7)), list(range(56, 63)))


def test_sorted_by_officer_skips_an_officer_whose_cases_the_filter_or_visibility_removes(
    client, cast, officers_of_uneven_size
):
    """Olivia (an officer) may not open the Ben Brights' restricted cases; the status filter
    then removes Anna's closed ones: the page runs on from whoever is left."""
    bens = Case.objects.filter(assigned_officer__full_name="Ben Bright")
    bens.update(restricted=True)
    mine = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    Case.objects.filter(pk=mine.pk).update(restricted=True)
    annas = list(Case.objects.filter(assigned_officer__full_name="Anna Able").order_by("pk"))
    Case.objects.filter(pk__in=[case.pk for case in annas[:20]]).update(status="closed")
    client.force_login(cast.officer)
    visible = Case.objects.filter(organisation=cast.organisation).exclude(pk__in=bens.values("pk"))
    for data, cases in (
        ({"scope": "all"}, visible),
        ({"scope": "all", "status": "open"}, visible.filter(status="open")),
    ):
        for sort in ("officer", "-officer"):
            expected = _by_officer(cases, descending=sort[0] == "-")
            seen = []
            for number in (1, 2, 3):
                page = client.get(URL, {**data, "sort": sort, "page": number}).context["page"]
                seen += [case.pk for case in page]
                if not page.has_next():
                    break
            assert seen == expected, (data, sort)
    assert mine.pk in expected


@pytest.mark.parametrize("descending", [False, True])
def test_every_slice_of_the_officer_order_matches_the_databases_sort(
    cast, officers_of_uneven_size, descending
):
    """Pages of four at every offset: a page inside one officer, across the two Ben
    Brights, from an officer into the unassigned cases, and past the end."""
    cases = Case.objects.filter(organisation=cast.organisation)
    expected = _by_officer(cases, descending=descending)
    groups = case_officer_groups(cases=cases, descending=descending)
    assert sum(held for _, held in groups) == 63
    assert sorted(len(ids) for ids, _ in groups) == [1, 1, 2]  # Carl holds none: no group
    for offset in range(0, 66):
        page = cases_sorted_by_officer(
            cases=cases, groups=groups, descending=descending, offset=offset, limit=4
        )
        assert [case.pk for case in page] == expected[offset : offset + 4], offset


def test_sorting_by_officer_never_sorts_the_cases_by_a_joined_name(
    client, cast, officers_of_uneven_size
):
    """The cost that made the sort slow at volume: every visible case joined to its officer
    and sorted by name. The officers are put in order after counting, and the page is read
    by key between the officers it spans."""
    client.force_login(cast.manager)
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"sort": "officer", "page": 2})
    of_cases = [q["sql"] for q in queries if 'FROM "cases_case"' in q["sql"]]
    assert len(of_cases) == 2  # each officer's count, then the page (no other count)
    assert not [sql for sql in of_cases if 'ORDER BY "accounts_user"."full_name"' in sql]
    assert of_cases[0].count("GROUP BY") == 1 and "LIMIT" not in of_cases[0]
    assert of_cases[1].startswith('SELECT "cases_case"."id"') and "LIMIT 25" in of_cases[1]
