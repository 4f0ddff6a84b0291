"""The member page's "Two-factor sign-in" panel (``accounts/member_detail.html``), asked of
this app by name so ``accounts`` imports nothing above it."""

from django import template

from ..forms import ResetForm
from ..services.devices import authenticator_of, backup_codes_left
from ..services.reset import second_factor_events

register = template.Library()


@register.inclusion_tag("twofactor/_member_panel.html", takes_context=True)
def second_factor_panel(context, member):
    return {
        "member": member,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "is_self": context.get("is_self"),
        "authenticator": authenticator_of(member),
        "backup_codes_left": backup_codes_left(user=member),
        "events": second_factor_events(user=member),
        "reset_form": ResetForm(),
    }
