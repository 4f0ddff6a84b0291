"""Haven's one date-and-time format (issue 17, point 13): ``Mon 2 Nov 2026, 13:08`` in UK
time, ``2 Nov 2026`` for a day, from one filter, and no template using another."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError

from policy.formats import uk_date, uk_datetime, uk_iso
from policy.templatetags.uk_time import uk_time


@pytest.mark.parametrize(
    ("moment", "written"),
    [
        # 00:59 GMT, a minute before the clocks go on; then 02:00 BST
        (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "Sun 29 Mar 2026, 00:59"),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "Sun 29 Mar 2026, 02:00"),
        # 01:30 BST, then 01:30 GMT again an hour later
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "Sun 25 Oct 2026, 01:30"),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "Sun 25 Oct 2026, 01:30"),
        # the issue's own example: single-digit day, minutes padded
        (datetime(2026, 11, 2, 13, 8, 59, tzinfo=UTC), "Mon 2 Nov 2026, 13:08"),
        (datetime(2027, 1, 4, 9, 5, tzinfo=UTC), "Mon 4 Jan 2027, 09:05"),
    ],
)
def test_a_moment_is_written_in_uk_time_either_side_of_the_clocks_changing(moment, written):
    assert uk_datetime(moment) == written
    assert uk_time(moment) == written


def test_a_day_is_written_without_a_time_and_a_late_summer_evening_is_the_next_uk_day():
    assert uk_date(date(2026, 11, 2)) == "2 Nov 2026"
    assert uk_time(date(2026, 11, 2)) == "2 Nov 2026"
    # 23:30 UTC on 30 June is 00:30 on 1 July in London
    assert uk_time(datetime(2026, 6, 30, 23, 30, tzinfo=UTC), "date") == "1 Jul 2026"
    assert uk_iso(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "2026-07-01T00:30:00+01:00"


def test_empty_values_write_nothing_and_another_format_is_refused():
    assert uk_time(None) == ""
    assert uk_time("") == ""
    with pytest.raises(TemplateSyntaxError):
        uk_time(datetime(2026, 6, 1, tzinfo=UTC), "j M Y")


def test_the_filter_is_on_every_template_without_loading_it():
    rendered = Template("{{ when|uk_time }} / {{ when|uk_time:'date' }}").render(
        Context({"when": datetime(2026, 11, 2, 13, 8, tzinfo=UTC)})
    )
    assert rendered == "Mon 2 Nov 2026, 13:08 / 2 Nov 2026"


# Django's own filters, or a strftime with day or month names, would bring back a second format.
OTHER_FORMATS = re.compile(r"\|\s*(date|time|naturaltime|naturalday)\b|\{%\s*now\b")


SKIPPED = {".venv", ".tools", ".git", "node_modules", "var", "tests", "migrations"}


def _sources(suffixes):
    """Haven's own files with these suffixes (not the virtualenv, tests or migrations)."""
    for top in Path(settings.BASE_DIR).iterdir():
        if top.is_dir() and top.name not in SKIPPED:
            for path in top.rglob("*"):
                if path.suffix in suffixes and not SKIPPED & set(path.parts):
                    yield path


def _templates():
    return (path for path in _sources({".html", ".txt"}) if "templates" in path.parts)


def test_no_template_writes_a_date_any_other_way():
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{n}: {line.strip()}"
        for path in _templates()
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if OTHER_FORMATS.search(line)
    ]
    assert list(_templates()), "the check found no templates to read"
    assert offenders == []


PYTHON_FORMATS = re.compile(r"%-?d %b|%a %-?d|%A %-?d|%-?d %B")


def test_no_python_builds_a_date_for_people_any_other_way():
    base = Path(settings.BASE_DIR)
    offenders = [
        f"{path.relative_to(base)}:{n}: {line.strip()}"
        for path in _sources({".py"})
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if PYTHON_FORMATS.search(line)
    ]
    assert offenders == []
