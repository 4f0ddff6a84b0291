"""``uk_time``: the one template filter for dates and times (issue 17, point 13).

``{{ moment|uk_time }}`` writes ``Mon 2 Nov 2026, 13:08`` in UK time; ``{{ day|uk_time }}``
and ``{{ moment|uk_time:"date" }}`` write ``2 Nov 2026``; ``{{ moment|uk_time:"c" }}`` is the
ISO form for a ``<time datetime>`` attribute. There are no other formats: a test reads every
template and fails on Django's ``date`` or ``time`` filter, so pages stay consistent.
"""

from django import template

from ..formats import uk_date, uk_datetime, uk_iso

register = template.Library()

_STYLES = {None: uk_datetime, "": uk_datetime, "date": uk_date, "c": uk_iso}


@register.filter(expects_localtime=False, is_safe=False)
def uk_time(value, style: str | None = None) -> str:
    try:
        write = _STYLES[style]
    except KeyError:
        raise template.TemplateSyntaxError(
            f'uk_time takes no argument, "date" or "c", not {style!r}'
        ) from None
    return write(value)
