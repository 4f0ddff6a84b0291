"""W06: only managers and organisation admins see dashboards; a group's manager sees its
partners; nobody sees an organisation they do not manage."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import OrganisationFactory, member

from .builders import london, make_case

pytestmark = pytest.mark.django_db

EXPECTED = {
    "staff": 403,
    "officer": 403,
    "panel": 403,
    "manager": 200,
    "admin": 200,
    "outsider": 200,  # a manager elsewhere: sees their own organisation's dashboard
}


@pytest.mark.parametrize("url_name", ["dashboards:dashboard", "dashboards:equality"])
def test_w06_dashboard_permission_matrix(client, cast, url_name):
    for role, user in cast.by_role().items():
        client.force_login(user)
        response = client.get(reverse(url_name))
        assert response.status_code == EXPECTED[role], role


def test_w06_csv_permission_matrix(client, cast):
    url = reverse("dashboards:csv", kwargs={"slug": "channels"})
    for role, user in cast.by_role().items():
        client.force_login(user)
        assert client.get(url).status_code == EXPECTED[role], role


def test_another_organisations_manager_sees_only_their_own_figures(client, cast, area):
    make_case(cast.organisation, by=cast.staff, received_at=london(2026, 1, 5, 9), area=area)
    client.force_login(cast.outsider)

    response = client.get(reverse("dashboards:dashboard"))

    assert response.context["organisation"] == cast.other_organisation
    assert b"Central" not in response.content  # WCH's area, with its one case
    assert b"Watford Community Housing" not in response.content


def test_a_partner_dashboard_is_404_for_a_manager_who_does_not_manage_it(client, cast):
    client.force_login(cast.outsider)
    for name, kwargs in (
        ("dashboards:partner", {"pk": cast.organisation.pk}),
        ("dashboards:partner_csv", {"pk": cast.organisation.pk, "slug": "channels"}),
    ):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
    # And a manager without partners has no group page.
    assert client.get(reverse("dashboards:group")).status_code == 404


def test_group_manager_sees_partners_side_by_side_and_each_partners_dashboard(client, cast):
    group = cast.organisation
    partner = OrganisationFactory(name="Partner Homes", code="PTN", group=group, homes_owned=500)
    partner_staff = member(partner, Role.STAFF)
    make_case(partner, by=partner_staff, received_at=london(2026, 1, 5, 9))
    client.force_login(cast.manager)

    side = client.get(
        reverse("dashboards:group"), {"date_from": "2026-01-01", "date_to": "2026-01-31"}
    )
    page = client.get(reverse("dashboards:partner", kwargs={"pk": partner.pk}))
    csv = client.get(
        reverse("dashboards:group_csv"), {"date_from": "2026-01-01", "date_to": "2026-01-31"}
    )

    assert side.status_code == 200
    rows = {row[0]: row[1:] for row in side.context["table"].rows}
    assert rows["Partner Homes"][0] == 1 and rows["Watford Community Housing"][0] == 0
    assert page.status_code == 200 and page.context["organisation"] == partner
    assert "Partner Homes,1," in csv.content.decode()


def test_partner_manager_cannot_see_the_group_or_its_other_partners(client, cast):
    group = cast.organisation
    partner = OrganisationFactory(name="Partner Homes", code="PTN", group=group)
    sibling = OrganisationFactory(name="Sibling Homes", code="SIB", group=group)
    partner_manager = member(partner, Role.MANAGER)
    client.force_login(partner_manager)

    for pk in (group.pk, sibling.pk):
        assert client.get(reverse("dashboards:partner", kwargs={"pk": pk})).status_code == 404
    assert client.get(reverse("dashboards:group")).status_code == 404


def test_dashboards_need_sign_in(client):
    response = client.get(reverse("dashboards:dashboard"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_bad_period_is_refused_beside_the_field_with_the_input_kept(client, cast):
    client.force_login(cast.manager)

    response = client.get(
        reverse("dashboards:dashboard"), {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "The start of the period must be on or before its end." in html
    assert 'value="2026-05-01"' in html and 'aria-invalid="true"' in html
    assert 'id="dashboard-charts"' not in html


def test_area_of_another_organisation_is_not_a_valid_filter(client, cast):
    from tests.factories import AreaFactory

    elsewhere = AreaFactory(organisation=cast.other_organisation, name="Elsewhere")
    client.force_login(cast.manager)

    response = client.get(reverse("dashboards:dashboard"), {"area": elsewhere.pk})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_dashboard_is_in_the_navigation_for_managers_only(client, cast):
    client.force_login(cast.manager)
    assert reverse("dashboards:dashboard") in client.get(reverse("home")).content.decode()
    client.force_login(cast.officer)
    assert reverse("dashboards:dashboard") not in client.get(reverse("home")).content.decode()


def test_group_view_filters_by_period_only(client, cast):
    OrganisationFactory(name="Partner Homes", code="PTN", group=cast.organisation)
    client.force_login(cast.manager)

    form = client.get(reverse("dashboards:group")).context["form"]

    assert set(form.fields) == {"date_from", "date_to", "reporting_year"}


def test_filters_default_to_the_last_365_days_and_show_them(client, cast):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(cast.manager)
    today = timezone.localdate()

    response = client.get(reverse("dashboards:dashboard"))
    only_end = client.get(reverse("dashboards:dashboard"), {"date_to": "2026-01-31"})

    filters = response.context["filters"]
    assert (filters.date_from, filters.date_to) == (today - timedelta(days=364), today)
    assert f'value="{today.isoformat()}"' in response.content.decode()
    assert only_end.context["filters"].date_from.isoformat() == "2025-02-01"
