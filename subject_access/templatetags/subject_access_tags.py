"""Dates in a bundle are ISO strings (the JSON file's form): shown in UK time."""

from datetime import date, datetime

from django import template

from policy.formats import uk_date, uk_datetime

register = template.Library()


@register.filter
def sar_time(value: str | None) -> str:
    if not value:
        return ""
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    if parsed.tzinfo is None:
        return uk_date(parsed.date())
    return uk_datetime(parsed)


@register.filter
def sar_date(value: str | None) -> str:
    if not value:
        return ""
    try:
        return uk_date(date.fromisoformat(value[:10]))
    except (TypeError, ValueError):
        return str(value)


@register.filter
def yes_no(value) -> str:
    return "Yes" if value else "No"
