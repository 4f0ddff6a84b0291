"""The case page's fast date filter writes exactly what Django's ``date`` filter writes."""

from datetime import UTC, datetime

import pytest
from django.template.defaultfilters import date as django_date
from django.utils import timezone

from policy.templatetags.uk_time import uk_time

FORMATS = ["j M Y H:i", "D j M Y, H:i", "D j M, H:i", "c", "d/m/Y"]
MOMENTS = [
    datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),  # 00:59 GMT, a minute before the clocks go on
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # 02:00 BST
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 01:30 BST
    datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # 01:30 GMT again
    datetime(2026, 12, 31, 23, 59, 30, 123456, tzinfo=UTC),  # New Year's Eve, with microseconds
    datetime(2027, 1, 4, 9, 5, tzinfo=UTC),  # a Monday, single-digit day and minutes
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("moment", MOMENTS)
def test_uk_time_matches_djangos_date_filter_either_side_of_the_clocks_changing(moment, fmt):
    assert uk_time(moment, fmt) == django_date(timezone.localtime(moment), fmt)


def test_uk_time_falls_back_to_django_for_other_formats_and_empty_values():
    moment = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    assert uk_time(moment, "l jS F") == django_date(timezone.localtime(moment), "l jS F")
    assert uk_time(None) == ""
