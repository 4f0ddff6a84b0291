"""Issue 17 points 1-5: the GOV.UK error pattern on staff forms, checked in the HTML."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from risk.services import question_set_ensure_default
from tests.casework.helpers import case_with_people

pytestmark = pytest.mark.django_db
LOG = reverse("cases:log")


class Elements(HTMLParser):
    """Every element's attributes, and the text of the error summary's links in order."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.summary_links: list[tuple[str, str]] = []
        self._in_summary = False
        self._href = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if "data-error-summary" in attrs:
            self._in_summary = True
        if self._in_summary and tag == "a":
            self._href = attrs["href"]

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None

    def handle_data(self, data):
        if self._href and data.strip():
            self.summary_links.append((self._href, data.strip()))

    def ids(self) -> set[str]:
        return {attrs["id"] for _, attrs in self.elements if attrs.get("id")}

    def by_id(self, id_: str) -> tuple[str, dict]:
        return next((tag, attrs) for tag, attrs in self.elements if attrs.get("id") == id_)


def parse(response) -> Elements:
    elements = Elements()
    elements.feed(response.content.decode())
    return elements


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)[1].strip()


def test_an_empty_log_a_report_lists_each_problem_linked_to_its_field_with_error_title(
    client, cast, officer_area
):
    client.force_login(cast.staff)
    response = client.post(LOG, {})
    assert response.status_code == 400  # the page answers a refused report with 400
    assert title(response) == "Error: Log a report · Haven"
    page = parse(response)
    links = dict(page.summary_links)
    assert links["#id_channel"] == "Select how the report was received"
    assert links["#id_reporter_type"] == "Select who made the report"
    assert links["#id_category"] == "Select the category of the report"
    assert links["#id_summary"] == "Enter what happened"
    # A day/month/year entry and a group link to their first box.
    assert links["#id_received_at_0"] == "Enter when the report was received"
    assert links["#id_occurred_at_0"] == "Enter when it happened"
    assert links["#id_acts_0"] == "Select what happened"
    assert links["#id_victim-full_name"] == "Enter the full name of the victim or complainant"
    assert "This field is required." not in response.content.decode()
    # In the order of the page: the report before its victim.
    targets = [href for href, _ in page.summary_links]
    assert targets.index("#id_channel") < targets.index("#id_acts_0")
    assert targets.index("#id_acts_0") < targets.index("#id_victim-full_name")
    # Every link leads somewhere on the page.
    assert {href[1:] for href in targets} <= page.ids()


def test_a_page_without_errors_has_no_summary_and_no_error_prefix(client, cast, officer_area):
    client.force_login(cast.staff)
    response = client.get(LOG)
    assert title(response) == "Log a report · Haven"
    assert b"data-error-summary" not in response.content


def test_a_group_in_error_is_a_fieldset_described_by_its_message_under_the_legend(
    client, cast, officer_area
):
    client.force_login(cast.staff)
    html = client.post(LOG, {}).content.decode()
    fieldset = re.search(
        r'<div id="div_id_acts"[^>]*>\s*<fieldset([^>]*)>(.*?)</fieldset>', html, re.S
    )
    assert fieldset, "the acts are not a fieldset"
    assert 'aria-describedby="id_acts_error"' in fieldset[1]
    inside = fieldset[2]
    # The message comes under the legend, before the first option, and no option turns red.
    message_at = inside.index('id="id_acts_error"')
    assert inside.index("</legend>") < message_at < inside.index("id_acts_0")
    assert "is-invalid" not in inside
    assert "Select what happened" in inside


def test_a_text_field_in_error_is_described_by_its_message(client, cast, officer_area):
    client.force_login(cast.staff)
    page = parse(client.post(LOG, {}))
    _, summary = page.by_id("id_summary")
    assert summary["aria-describedby"] == "id_summary_error"
    assert summary["aria-invalid"] == "true"
    assert "id_summary_error" in page.ids()


def test_input_is_kept_after_a_failed_submit(client, cast, officer_area):
    client.force_login(cast.staff)
    response = client.post(
        LOG,
        {
            "summary": "Shouting at the door",
            "occurred_at_day": "3",
            "occurred_at_month": "",
            "occurred_at_year": "2026",
            "occurred_at_time": "14:30",
        },
    )
    page = parse(response)
    assert page.by_id("id_occurred_at_0")[1]["value"] == "3"
    assert page.by_id("id_occurred_at_2")[1]["value"] == "2026"
    assert page.by_id("id_occurred_at_3")[1]["value"] == "14:30"
    assert dict(page.summary_links)["#id_occurred_at_0"] == "When it happened must include a month"
    assert "Shouting at the door" in response.content.decode()


def test_optional_fields_say_optional_and_no_choice_is_dashes(client, cast, officer_area):
    client.force_login(cast.staff)
    html = client.get(LOG).content.decode()
    assert "---------" not in html
    assert "asteriskField" not in html
    location = re.search(r'<label for="id_location"[^>]*>(.*?)</label>', html, re.S)[1]
    assert "(optional)" in location
    summary = re.search(r'<label for="id_summary"[^>]*>(.*?)</label>', html, re.S)[1]
    assert "(optional)" not in summary


def test_follow_up_questions_name_the_answer_they_follow(client, cast, officer_area):
    client.force_login(cast.staff)
    page = parse(client.get(LOG))
    assert page.by_id("id_assigned_officer")[1]["data-show-if"] == "assignment=hand"
    assert page.by_id("id_crime_reference")[1]["data-show-if"] == "police_reported=yes"
    assert page.by_id("id_perceived_by")[1]["data-show-if"] == "grounds=*"
    # The officer asked for by hand is needed then: not marked optional.
    html = client.get(LOG).content.decode()
    officer = re.search(r'<label for="id_assigned_officer"[^>]*>(.*?)</label>', html, re.S)[1]
    assert officer.strip() == "Officer"


def test_w10_risk_assessment_names_each_unanswered_question(client, cast):
    case, _ = case_with_people(cast)
    question_set = question_set_ensure_default(organisation=cast.organisation)
    client.force_login(cast.officer)
    # A browser always sends the CSRF token: an empty submit is not an empty POST.
    response = client.post(reverse("risk:assessment_new", args=[case.pk]), {"notes": ""})
    assert title(response).startswith("Error: ")
    messages = [message for _, message in parse(response).summary_links]
    first = question_set.questions.order_by("position").first()
    assert messages[0] == "Select how the assessment was done"
    assert f"Answer question {first.position}: {first.text}"[:40] in "\n".join(messages)
    assert "This field is required." not in response.content.decode()


def test_policy_settings_fields_are_described_only_by_ids_on_the_page(client, cast):
    client.force_login(cast.admin)
    response = client.post(reverse("policy:settings"), {"reminder_lead_hours": "-3"})
    page = parse(response)
    ids = page.ids()
    described = [
        (attrs.get("id"), id_)
        for _, attrs in page.elements
        for id_ in attrs.get("aria-describedby", "").split()
    ]
    assert described, "nothing on the page is described"
    assert [pair for pair in described if pair[1] not in ids] == []
    assert "id_reminder_lead_hours_error" in ids
    assert title(response).startswith("Error: ")
