"""``{% case_transfer_panel case %}``: the case page's transfers panel in one tag."""

from django import template

from accounts import permissions

from ..selectors import referrals_for_case

register = template.Library()


@register.inclusion_tag("transfers/_case_panel.html", takes_context=True)
def case_transfer_panel(context, case):
    access = context["request"].access
    return {
        "case": case,
        "transfer_referrals": referrals_for_case(case=case),
        "may_refer": access.can(permissions.WORK_CASES),
    }
