"""Issue 17 point 6: dates in day, month and year boxes, checked on the server part by part."""

import datetime
import zoneinfo

import pytest
from django import forms
from django.template import Context, Template

from accounts.templatetags.form_errors import error_links
from cases.forms.records import CaseReviewForm
from cases.forms.widgets import DateEntryField, DateTimeEntryField

LONDON = zoneinfo.ZoneInfo("Europe/London")
SKIPPED = "The clocks changed at 01:30 on 29 Mar 2026: enter a time an hour earlier or later"


class BirthForm(forms.Form):
    date_of_birth = DateEntryField(label="Date of birth", required=False)


class WhenForm(forms.Form):
    occurred_at = DateTimeEntryField(label="When it happened")


def parts(prefix: str, *values: str) -> dict:
    names = ("day", "month", "year", "time")
    return {f"{prefix}_{name}": value for name, value in zip(names, values, strict=False)}


def errors(form) -> list[str]:
    return [message for messages in form.errors.values() for message in messages]


def test_a_date_is_read_from_its_three_boxes():
    form = BirthForm(parts("date_of_birth", "2", "5", "1984"))
    assert form.is_valid()
    assert form.cleaned_data["date_of_birth"] == datetime.date(1984, 5, 2)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("2", "", "1984", "Date of birth must include a month"),
        ("", "", "1984", "Date of birth must include a day and month"),
        ("2", "5", "", "Date of birth must include a year"),
        ("2", "5", "84", "The year must include 4 numbers"),
        ("31", "2", "1984", "Date of birth must be a real date"),
        ("2nd", "May", "1984", "Date of birth must be a real date, in numbers"),
    ],
)
def test_a_date_with_a_part_missing_or_wrong_says_which(day, month, year, message):
    form = BirthForm(parts("date_of_birth", day, month, year))
    assert errors(form) == [message]


def test_an_optional_date_left_empty_is_none():
    form = BirthForm(parts("date_of_birth", "", "", ""))
    assert form.is_valid() and form.cleaned_data["date_of_birth"] is None


def test_a_whole_iso_date_under_the_field_name_is_still_accepted():
    form = BirthForm({"date_of_birth": "1984-05-02"})
    assert form.is_valid() and form.cleaned_data["date_of_birth"] == datetime.date(1984, 5, 2)


def test_a_date_and_time_is_uk_time_from_four_boxes(settings):
    form = WhenForm(parts("occurred_at", "2", "11", "2026", "13:08"))
    assert form.is_valid()
    assert form.cleaned_data["occurred_at"] == datetime.datetime(2026, 11, 2, 13, 8, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("time", "message"),
    [
        ("", "When it happened must include a time"),
        ("1pm", "Enter the time in hours and minutes, for example 14:30"),
        ("24:00", "Enter the time in hours and minutes, for example 14:30"),
    ],
)
def test_a_time_missing_or_wrong_says_how_to_write_it(time, message):
    form = WhenForm(parts("occurred_at", "2", "11", "2026", time))
    assert errors(form) == [message]


def test_a_time_the_clocks_skip_or_repeat_is_refused_in_words():
    # 29 March 2026: the clocks go from 01:00 to 02:00 in the UK.
    form = WhenForm(parts("occurred_at", "29", "3", "2026", "01:30"))
    assert not form.is_valid()
    assert errors(form) == [SKIPPED]
    # 25 October 2026: 01:30 happens twice as the clocks go back.
    form = WhenForm(parts("occurred_at", "25", "10", "2026", "01:30"))
    assert errors(form) == [SKIPPED.replace("29 Mar", "25 Oct")]


def test_an_empty_required_date_and_time_says_what_to_enter():
    form = WhenForm(parts("occurred_at", "", "", "", ""))
    assert errors(form) == ["Enter when it happened"]


def test_input_is_drawn_back_into_its_boxes_and_the_time_entry_has_four_stops():
    form = WhenForm(parts("occurred_at", "3", "", "2026", "14:30"))
    form.is_valid()
    html = str(form["occurred_at"])
    assert html.count("<input") == 4
    assert 'id="id_occurred_at_0"' in html and 'value="3"' in html
    assert 'value="2026"' in html and 'value="14:30"' in html
    assert '<label class="form-label small mb-0" for="id_occurred_at_1">Month</label>' in html


def test_no_radio_or_choice_shows_django_dashes_and_a_group_links_to_its_first_option():
    form = CaseReviewForm(data={})
    assert not form.is_valid()
    html = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))
    assert "---------" not in html
    assert 'id="id_outcome_0"' not in html  # Django's empty radio is not drawn
    links = {message: target for target, message in error_links(form)}
    assert links["Select what the review decided"] == "id_outcome_1"
    assert links["Enter when the review was"] == "id_reviewed_at_0"
