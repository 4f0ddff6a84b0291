"""Haven's one way of writing a date or a time for people to read (issue 17, point 13).

A moment is written in UK time as ``Mon 2 Nov 2026, 13:08``; a day as ``2 Nov 2026``. Pages
use the ``uk_time`` template filter, which calls these; Python that builds a sentence for a
page, an e-mail or a history entry calls them directly. Names are written in English here
rather than looked up through Django's translation machinery, which on a case page of hundreds
of entries was a sizeable part of the request. Formal letters keep their own long form
(``Monday 2 November 2026``, ``letters.merge.long_date``): a printed letter is not a page.
"""

from datetime import date, datetime

from .calendar import LONDON

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _in_london(value: datetime) -> datetime:
    # A naive value is taken to be UK wall-clock time already (as Django's USE_TZ=False would).
    return value.astimezone(LONDON) if value.tzinfo is not None else value


def uk_datetime(value: datetime | None) -> str:
    """``Mon 2 Nov 2026, 13:08`` in UK time; a plain date is written as ``uk_date`` writes it."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime):
        return uk_date(value)
    t = _in_london(value)
    return (
        f"{DAYS[t.weekday()]} {t.day} {MONTHS[t.month - 1]} {t.year}, {t.hour:02d}:{t.minute:02d}"
    )


def uk_date(value: date | datetime | None) -> str:
    """``2 Nov 2026``: the day, in UK time when given a moment (23:30 UTC in summer is the
    next day in London)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = _in_london(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def uk_iso(value: date | datetime | None) -> str:
    """The machine-readable form for a ``<time datetime="...">`` attribute, in UK time."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = _in_london(value)
    return value.isoformat()
