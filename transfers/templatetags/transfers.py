"""``{% case_transfer_panel case %}``: the case page's transfers panel in one tag."""

from django import template

from accounts import permissions
from cases.disclosure import strike

from ..selectors import panel_withheld_strings, referrals_for_case

register = template.Library()


@register.inclusion_tag("transfers/_case_panel.html", takes_context=True)
def case_transfer_panel(context, case):
    access = context["request"].access
    # The case page says when it already knows the case has no referrals (no query then).
    known_none = context.get("no_transfer_referrals", False)
    return {
        "case": case,
        "transfer_referrals": [] if known_none else referrals_for_case(case=case),
        "may_refer": access.can(permissions.WORK_CASES),
    }


@register.filter
def panel_safe(text: str, referral) -> str:
    """Free text on a request as the panel may read it (C11): the names and addresses of
    the case's people who may not be disclosed to the panel are struck out; the household
    the request is about stays named."""
    if not text:
        return text
    if not hasattr(referral, "_panel_withheld"):
        referral._panel_withheld = panel_withheld_strings(referral=referral)
    return strike(text, referral._panel_withheld)
