"""The case list's rows are drawn in Python (``cases/views/list_rows.py``) from the columns
the list shows: the same HTML the template wrote, every value escaped as it escaped it."""

import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case, Contact
from cases.services.parties import party_add
from cases.views.common import choice_label
from tests.cases.factories import PersonFactory, make_case

pytestmark = pytest.mark.django_db
URL = reverse("cases:list")

# The row as templates/cases/case_list.html drew it before it moved to Python.
TEMPLATE_ROW = """
  <tr data-testid="case-row">
    {% if may_reassign %}<td><input class="form-check-input" type="checkbox" name="cases" value="{{ case.pk }}" form="bulk-reassign" id="select-{{ case.pk }}" aria-label="Select {{ case.reference }}"></td>{% endif %}
    <td><a href="{{ case.detail_url }}">{{ case.reference }}</a>{% if case.restricted %} <span class="badge text-bg-dark">Restricted</span>{% endif %}{% if case.course_of_conduct %} <span class="badge text-bg-warning">Course of conduct</span>{% endif %}</td>
    <td>{{ case.received_at|uk_time }}</td>
    <td>{{ case.get_category_display }}</td>
    <td>{% for name in case.victim_names %}{{ name }}{% if not forloop.last %}, {% endif %}{% empty %}<span class="text-muted">None yet</span>{% endfor %}</td>
    <td>{{ case.get_status_display }}</td>
    <td><span class="badge risk-{{ case.risk_level }}">{{ case.get_risk_level_display }} Risk</span></td>
    <td>{{ case.area|default:"" }}</td>
    <td>{{ case.assigned_officer.full_name|default:"Unassigned" }}</td>
  </tr>"""  # noqa: E501 - the template as it was


def squeezed(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


@pytest.fixture
def listed(cast, area):
    """Cases covering every branch of a row: restricted, a course of conduct, an area, no
    officer, victims whose names need escaping, no victims at all."""
    busy = make_case(
        cast.organisation,
        cast.staff,
        assigned_officer=cast.manager,
        area=area,
        restricted=True,
    )
    Case.objects.filter(pk=busy.pk).update(course_of_conduct=True)
    for name in ('Ann <script>x()</script> "Jones"', "Bo & Co"):
        person = PersonFactory(organisation=cast.organisation, full_name=name)
        party_add(case=busy, by=cast.manager, role="victim", person=person)
    make_case(cast.organisation, cast.staff)
    return cast


@pytest.mark.parametrize("who", ["manager", "officer"])
def test_list_rows_are_the_html_the_template_wrote(client, listed, who):
    client.force_login(getattr(listed, who))
    response = client.get(URL, {"scope": "all"})
    page = response.context["page"]
    may_reassign = response.context["may_reassign"]
    assert may_reassign is (who == "manager")
    row = Template(TEMPLATE_ROW)
    expected = "".join(
        row.render(Context({"case": case, "may_reassign": may_reassign})) for case in page
    )
    assert len(page) >= 1
    assert squeezed(response.context["case_rows"]) == squeezed(expected)


def test_list_rows_escape_names_and_mark_missing_values(client, listed):
    client.force_login(listed.manager)
    body = client.get(URL).content.decode()
    assert "Ann &lt;script&gt;x()&lt;/script&gt; &quot;Jones&quot;, Bo &amp; Co" in body
    assert "<script>x()" not in body
    assert '<span class="text-muted">None yet</span>' in body
    assert "<td>Unassigned</td>" in body
    assert '<span class="badge text-bg-dark">Restricted</span>' in body
    assert '<span class="badge text-bg-warning">Course of conduct</span>' in body


def test_the_list_reads_only_the_columns_it_shows(client, listed):
    # Neither the report, the search document nor a victim's personal details are read to
    # draw a row of names.
    client.force_login(listed.manager)
    with CaptureQueriesContext(connection) as captured:
        client.get(URL)
    statements = " ".join(q["sql"] for q in captured.captured_queries)
    assert '"cases_case"."reference"' in statements and '"cases_person"."full_name"' in statements
    for column in ("summary", "search_document", "prior_action", "date_of_birth", "phone"):
        assert f'."{column}"' not in statements, column


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Case, "category"),
        (Case, "status"),
        (Case, "risk_level"),
        (Contact, "method"),
        (Contact, "direction"),
        (Contact, "purpose"),
    ],
)
def test_choice_labels_are_what_djangos_display_gives(model, field):
    # The rows read each label from a lookup built once (cases/views/common.py).
    values = [value for value, _ in model._meta.get_field(field).flatchoices]
    for value in [*values, "not-a-choice", ""]:
        instance = model(**{field: value})
        assert choice_label(instance, field) == getattr(instance, f"get_{field}_display")()
