import pytest
from django.urls import reverse

from tests.cases.factories import PersonFactory

pytestmark = pytest.mark.django_db
URL = reverse("cases:person_matches")


def test_people_who_may_be_the_same_person_are_suggested_by_name_dob_or_postcode(client, cast):
    same_name = PersonFactory(organisation=cast.organisation, full_name="Amina Yusuf")
    same_dob = PersonFactory(
        organisation=cast.organisation, full_name="Amina Y. Yusuf", date_of_birth="1984-05-02"
    )
    same_postcode = PersonFactory(
        organisation=cast.organisation, full_name="Mrs Yusuf", postcode="WD17 1AA"
    )
    PersonFactory(organisation=cast.organisation, full_name="Someone Else", postcode="WD17 1AA")
    PersonFactory(organisation=cast.other_organisation, full_name="Amina Yusuf")
    client.force_login(cast.staff)
    response = client.post(
        URL,
        {
            "prefix": "victim",
            "victim-full_name": "Amina Yusuf",
            "victim-date_of_birth": "1984-05-02",
            "victim-postcode": "WD17 1AA",
        },
    )
    assert response.status_code == 200
    assert set(response.context["matches"]) == {same_name, same_dob, same_postcode}
    assert b'name="victim-match"' in response.content


def test_no_suggestions_for_an_unknown_form_or_a_blank_name(client, cast):
    PersonFactory(organisation=cast.organisation, full_name="Amina Yusuf")
    client.force_login(cast.staff)
    assert client.post(URL, {"prefix": "x", "x-full_name": "Amina Yusuf"}).context["matches"] == []
    assert client.post(URL, {"prefix": "victim"}).context["matches"] == []


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", 200),
        ("officer", 200),
        ("manager", 200),
        ("panel", 403),
        ("admin", 200),
        ("outsider", 200),
    ],
)
def test_permission_matrix_person_matches(client, cast, role, expected):
    PersonFactory(organisation=cast.organisation, full_name="Amina Yusuf")
    client.force_login(cast.by_role()[role])
    assert client.get(URL).status_code == 405
    response = client.post(URL, {"prefix": "victim", "victim-full_name": "Amina Yusuf"})
    assert response.status_code == expected
    if role == "outsider":
        assert response.context["matches"] == []  # never another organisation's people


def test_signed_out_visitor_gets_no_suggestions(client, cast):
    response = client.post(URL, {"prefix": "victim", "victim-full_name": "Amina Yusuf"})
    assert response.status_code == 302


def test_c11_people_in_a_restricted_case_are_not_suggested_to_staff_outside_it(client, cast):
    from cases.services.parties import party_add
    from tests.cases.factories import make_case

    hidden = PersonFactory(organisation=cast.organisation, full_name="Amina Yusuf")
    restricted = make_case(cast.organisation, cast.manager, restricted=True)
    party_add(case=restricted, by=cast.manager, role="victim", person=hidden)
    form = {"prefix": "victim", "victim-full_name": "Amina Yusuf"}
    for outside in (cast.staff, cast.officer):
        client.force_login(outside)
        assert client.post(URL, form).context["matches"] == []
    client.force_login(cast.manager)
    assert client.post(URL, form).context["matches"] == [hidden]
    restricted.named_staff.add(cast.staff)
    client.force_login(cast.staff)
    assert client.post(URL, form).context["matches"] == [hidden]
