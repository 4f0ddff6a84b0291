"""Template helpers for deadline lists."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()

# The case page's URL name (cases app). Until it is installed, lists show the reference
# without a link rather than failing.
CASE_URL_NAME = "cases:detail"


@register.filter
def case_url(case) -> str:
    try:
        return reverse(CASE_URL_NAME, args=[case.pk])
    except NoReverseMatch:
        return ""


@register.simple_tag
def deadline_badge(deadline) -> str:
    return {
        "open": "text-bg-primary",
        "met": "text-bg-success",
        "overdue": "text-bg-danger",
        "waived": "text-bg-secondary",
    }.get(deadline.state, "text-bg-light")
