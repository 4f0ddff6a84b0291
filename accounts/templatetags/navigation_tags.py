"""``{% main_navigation %}``: the layout's navigation entries, drawn once per set of roles."""

from django import template

from ..navigation import navigation_html

register = template.Library()


@register.simple_tag(takes_context=True)
def main_navigation(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    match = getattr(request, "resolver_match", None)
    return navigation_html(getattr(request, "access", None), match.view_name if match else None)
