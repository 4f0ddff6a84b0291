"""Dates in a bundle are ISO strings (the JSON file's form): shown in UK time."""

from datetime import date, datetime

from django import template
from django.utils import timezone

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
        return f"{parsed:%-d %b %Y}"
    return f"{timezone.localtime(parsed):%-d %b %Y %H:%M}"


@register.filter
def sar_date(value: str | None) -> str:
    if not value:
        return ""
    try:
        return f"{date.fromisoformat(value[:10]):%-d %b %Y}"
    except (TypeError, ValueError):
        return str(value)


@register.filter
def yes_no(value) -> str:
    return "Yes" if value else "No"
