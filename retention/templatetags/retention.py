"""``{% case_retention_panel case %}`` and ``{% person_retention_links person %}``: the legal
hold on the case page and the erasure request link on a person's page, for managers and
organisation admins."""

from django import template

from accounts import permissions

from ..selectors import hold_standing_for_case

register = template.Library()


@register.inclusion_tag("retention/_case_panel.html", takes_context=True)
def case_retention_panel(context, case):
    # Holds are managers' business: officers' case page (its query count is pinned) asks
    # nothing; a manager's asks one query.
    may_hold = context["request"].access.can(permissions.MANAGE)
    return {
        "case": case,
        "hold": hold_standing_for_case(case=case) if may_hold else None,
        "may_hold": may_hold,
    }


@register.inclusion_tag("retention/_person_links.html", takes_context=True)
def person_retention_links(context, person):
    return {
        "person": person,
        "may_erase": context["request"].access.can(permissions.MANAGE),
    }
