"""``uk_time``: a date-and-time in UK time for long lists (the case page's timeline and
deadlines), formatted from a small set of Django ``date`` format characters.

Django's ``date`` filter looks up translated names and format settings for every value;
on a case page of hundreds of entries that was a sizeable part of the request. This filter
compiles each format once and writes English names directly, with the same output as
``date`` for the characters it knows (tested side by side); any other format falls back to
``date``.
"""

from datetime import datetime
from functools import lru_cache

from django import template
from django.template.defaultfilters import date as django_date
from django.utils import timezone

from ..calendar import LONDON

register = template.Library()

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_PARTS = {
    "D": lambda t: DAYS[t.weekday()],
    "j": lambda t: str(t.day),
    "d": lambda t: f"{t.day:02d}",
    "M": lambda t: MONTHS[t.month - 1],
    "Y": lambda t: str(t.year),
    "H": lambda t: f"{t.hour:02d}",
    "i": lambda t: f"{t.minute:02d}",
    "c": lambda t: t.isoformat(),
}
_LITERAL = frozenset(" ,:-/()")


@lru_cache(maxsize=64)
def _compiled(fmt: str):
    """The format as a list of parts (functions of the time, or literal text), or None when
    it uses a character this filter does not handle."""
    parts: list = []
    for char in fmt:
        if char in _PARTS:
            parts.append(_PARTS[char])
        elif char in _LITERAL:
            parts.append(char)
        else:
            return None
    return parts


@register.filter(expects_localtime=False, is_safe=False)
def uk_time(value, fmt: str = "j M Y H:i") -> str:
    if not isinstance(value, datetime):
        return django_date(value, fmt) if value not in (None, "") else ""
    parts = _compiled(fmt)
    if parts is None or timezone.get_current_timezone_name() != "Europe/London":
        return django_date(timezone.localtime(value) if timezone.is_aware(value) else value, fmt)
    local = value.astimezone(LONDON) if timezone.is_aware(value) else value
    return "".join(part if isinstance(part, str) else part(local) for part in parts)
