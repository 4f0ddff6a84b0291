"""Team deadlines' rows and My work's case links are drawn in Python
(``deadlines/templatetags/deadline_tags.py``): the same HTML the templates wrote, every value
escaped as they escaped it, the URLs reversed once per process."""

import re

import pytest
import time_machine
from django.conf import settings
from django.middleware.csrf import _unmask_cipher_token
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.urls import get_script_prefix, reverse, set_script_prefix

from accounts.permissions import access_for
from deadlines.selectors import Horizon, bucket, deadlines_for_team
from deadlines.templatetags.deadline_tags import _pattern, deadline_case_link, team_deadline_rows
from policy.settings import Preset
from tests.deadline_helpers import apply_preset, london, open_case

pytestmark = pytest.mark.django_db
NOW = london(2026, 11, 10, 8, 0)  # Tuesday
RECEIVED = london(2026, 11, 9, 9, 0)

# The row as templates/deadlines/team_deadlines.html drew it before it moved to Python.
TEMPLATE_ROW = """{% load deadline_tags %}
    <tr data-rule="{{ deadline.rule }}">
      <td><span class="badge {% if deadline.bucket == 'Overdue' %}text-bg-danger{% else %}text-bg-secondary{% endif %}">{{ deadline.bucket }}</span></td>
      <td class="text-nowrap">{% include "deadlines/_deadline_link.html" %}</td>
      <td>{{ deadline.case.assigned_officer|default:"Not assigned" }}</td>
      <td>{{ deadline.get_rule_display }}<details class="small text-body-secondary"><summary>Why is this due?</summary>{% if deadline.promise %}<div>{{ deadline.promise }}</div>{% endif %}<div>{{ deadline.clause }}</div></details></td>
      <td><time datetime="{{ deadline.due_at|date:'c' }}">{{ deadline.due_at|date:"D j M Y, H:i" }}</time></td>
      {% if may_waive %}<td>
        <details>
          <summary>Waive…</summary>
          <form method="post" action="{% url 'deadlines:waive' deadline.pk %}" class="mt-2">
            {% csrf_token %}
            <label class="form-label small" for="reason-{{ deadline.pk }}">Why it no longer applies</label>
            <textarea class="form-control form-control-sm" name="reason" id="reason-{{ deadline.pk }}" rows="2" required></textarea>
            <div class="form-check mt-1">
              <input class="form-check-input" type="checkbox" name="stop_recurring" id="stop-{{ deadline.pk }}">
              <label class="form-check-label small" for="stop-{{ deadline.pk }}">Stop this recurring promise</label>
            </div>
            <button type="submit" class="btn btn-sm btn-outline-danger mt-1">Waive</button>
          </form>
        </details>
      </td>{% endif %}
    </tr>"""  # noqa: E501 - the template as it was


def squeezed(html: str) -> str:
    """The markup without the whitespace between tags, which the browser ignores, and with
    each CSRF token (masked afresh every time one is asked for) replaced by a mark."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


@pytest.fixture
def team_deadlines(cast):
    apply_preset(cast.organisation, Preset.CIRCLE_ANGLIA_2009)
    with time_machine.travel(NOW, tick=False):
        # What people type is escaped: a reference cannot be typed, an officer's name can.
        cast.officer.full_name = 'Olivia <b>"Officer"</b>'
        cast.officer.save()
        open_case(cast, received_at=RECEIVED)
        open_case(cast, received_at=RECEIVED, assigned_officer=None)
        horizon = Horizon.at()
        access = access_for(cast.manager, cast.organisation.pk)
        deadlines = list(deadlines_for_team(user=cast.manager, access=access, horizon=horizon))
        for deadline in deadlines:
            deadline.bucket = bucket(deadline, horizon)
        yield deadlines


@pytest.mark.parametrize("may_waive", [True, False])
def test_team_rows_are_the_html_the_template_wrote(cast, team_deadlines, may_waive):
    assert len(team_deadlines) >= 2
    assert {d.case.assigned_officer_id for d in team_deadlines} == {cast.officer.pk, None}
    request = RequestFactory().get(reverse("deadlines:team"))
    drawn = team_deadline_rows({"request": request}, team_deadlines, may_waive)
    expected = "".join(
        Template(TEMPLATE_ROW).render(
            RequestContext(request, {"deadline": deadline, "may_waive": may_waive})
        )
        for deadline in team_deadlines
    )
    assert squeezed(drawn) == squeezed(expected)
    assert "&lt;b&gt;&quot;Officer&quot;&lt;/b&gt;" in drawn and "<b>" not in drawn
    assert "Not assigned" in drawn
    assert ("csrfmiddlewaretoken" in drawn) is may_waive


def test_team_page_waiver_forms_post_to_each_deadline_with_the_pages_token(
    client, cast, team_deadlines
):
    client.force_login(cast.manager)
    with time_machine.travel(NOW, tick=False):
        body = client.get(reverse("deadlines:team")).content.decode()
    for deadline in team_deadlines:
        assert f'action="{reverse("deadlines:waive", args=[deadline.pk])}"' in body
        assert f'id="reason-{deadline.pk}"' in body
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    # Every form on the page (the rows' and the sign-out) carries a token of the session's
    # one secret; the rows share one masking of it.
    assert len(tokens) == len(team_deadlines) + 1
    secret = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}


def test_my_work_case_link_is_the_included_templates(cast, team_deadlines):
    included = Template('{% include "deadlines/_deadline_link.html" %}')
    for deadline in team_deadlines:
        drawn = deadline_case_link(deadline)
        assert drawn == included.render(Context({"deadline": deadline})).strip()


def test_the_reversed_pattern_follows_the_url_prefix(cast, team_deadlines):
    deadline = team_deadlines[0]
    before = get_script_prefix()
    try:
        set_script_prefix("/haven/")
        assert f'href="/haven/cases/{deadline.case_id}/"' in deadline_case_link(deadline)
    finally:
        set_script_prefix(before)
    assert f'href="/cases/{deadline.case_id}/"' in deadline_case_link(deadline)
    assert _pattern.cache_info().currsize >= 2
