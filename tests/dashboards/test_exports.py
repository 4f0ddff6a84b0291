"""CSV exports: every table downloadable, formula cells neutralised, suppression kept."""

import csv
import io

import pytest
from django.urls import reverse

from cases.models.choices import PartyRole
from dashboards.exports import neutralise
from dashboards.sections import SELECTORS
from tests.factories import AreaFactory

from .builders import add_party, london, make_case

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": "2026-01-01", "date_to": "2026-06-14"}


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+2", "'=1+2"),
        ("+44 20", "'+44 20"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tfoo", "'\tfoo"),
        ("\rfoo", "'\rfoo"),
        ("Brook Court", "Brook Court"),
        (12, 12),
        (-3, -3),
    ],
)
def test_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas(value, expected):
    assert neutralise(value) == expected


def test_csv_export_neutralises_formula_text_from_the_data(client, cast):
    area = AreaFactory(organisation=cast.organisation, name='=HYPERLINK("http://x.example","y")')
    make_case(
        cast.organisation,
        by=cast.staff,
        received_at=london(2026, 2, 1, 9),
        area=area,
        location="@SUM(1+1)",
    )
    client.force_login(cast.manager)

    response = client.get(reverse("dashboards:csv", kwargs={"slug": "hotspot-areas"}), PERIOD)

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    assert rows[1] == ["Area", "Cases received", "Incidents"]
    assert rows[2][0] == '\'=HYPERLINK("http://x.example","y")'
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_csv_keeps_small_number_suppression(client, cast):
    for _ in range(6):
        case = make_case(cast.organisation, by=cast.staff, received_at=london(2026, 2, 1, 9))
        add_party(case, PartyRole.COMPLAINANT, gender="woman")
    add_party(case, PartyRole.PERPETRATOR, gender="man")
    client.force_login(cast.manager)

    response = client.get(reverse("dashboards:csv", kwargs={"slug": "equality-gender"}), PERIOD)

    rows = {row[0]: row[1:] for row in _rows(response)[2:]}
    assert rows["Woman"] == ["6", "fewer than 5", "fewer than 5"]
    assert rows["Man"] == ["fewer than 5", "fewer than 5", "fewer than 5"]


def test_every_dashboard_table_exports(client, cast):
    make_case(cast.organisation, by=cast.staff, received_at=london(2026, 2, 1, 9))
    client.force_login(cast.manager)
    for slug in SELECTORS:
        response = client.get(reverse("dashboards:csv", kwargs={"slug": slug}), PERIOD)
        assert response.status_code == 200, slug
        assert _rows(response)[0][0] == "Watford Community Housing"
    missing = client.get(reverse("dashboards:csv", kwargs={"slug": "no-such-table"}), PERIOD)
    assert missing.status_code == 404


def test_dashboard_links_each_table_to_its_csv_with_the_same_filters(client, cast):
    client.force_login(cast.manager)
    html = "".join(
        client.get(reverse(name), PERIOD).content.decode()
        for name in ("dashboards:dashboard", "dashboards:equality")
    )
    for slug in SELECTORS:
        assert f"/dashboards/export/{slug}.csv?date_from=2026-01-01&amp;date_to=2026-06-14" in html
