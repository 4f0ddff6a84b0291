"""The error summary every form page shows after a failed submit (GOV.UK's pattern, issue 17).

Drawn once, by the base template: it finds the bound forms and formsets in the page's context
that have errors, so a form page needs nothing of its own to get the summary, the "Error: "
prefix on its title, and links that take the keyboard to each field in trouble.
"""

from django import forms, template
from django.forms.formsets import BaseFormSet
from django.utils.functional import LazyObject

register = template.Library()


def failed_forms(context) -> list:
    """Bound forms in the page's context that did not validate, in the order the view gave them."""
    found, seen = [], set()
    for value in context.flatten().values():
        # A lazy value (the user, the CSRF token) is not a form: looking would evaluate it.
        if isinstance(value, LazyObject) or not isinstance(value, (forms.BaseForm, BaseFormSet)):
            continue
        if id(value) in seen or not value.is_bound:
            continue
        seen.add(id(value))
        if _validated_with_errors(value):
            found.append(value)
    return found


def _validated_with_errors(form) -> bool:
    # Only a form the view has already validated: validating here could run queries (and
    # report problems) for a bound form the page never meant to check.
    if form._errors is None:
        return False
    if isinstance(form, BaseFormSet):
        return bool(form.total_error_count())
    return bool(form._errors)


def field_target(bound_field) -> str:
    """The id a summary link moves focus to: the input, or a group's first option or box."""
    if bound_field.is_hidden or not bound_field.auto_id:
        return ""
    if bound_field.id_for_label:
        return bound_field.id_for_label
    if isinstance(bound_field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        # The first option drawn: Django's empty "---------" radio is not (bootstrap5/field.html).
        for option in bound_field.subwidgets:
            if option.data["value"] not in ("", None):
                return option.id_for_label
    # A day/month/year date has no single input: its day box.
    return f"{bound_field.auto_id}_0"


def error_links(form) -> list[tuple[str, str]]:
    """(target id, message) for each problem, the form-wide ones first, then field by field."""
    if isinstance(form, BaseFormSet):
        links = [("", str(message)) for message in form.non_form_errors()]
        for member in form.forms:
            links += error_links(member)
        return links
    links = [("", str(message)) for message in form.non_field_errors()]
    for name in form.fields:
        if name not in form.errors:
            continue
        target = field_target(form[name])
        links += [(target, str(message)) for message in form.errors[name]]
    return links


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    return "Error: " if failed_forms(context) else ""


@register.inclusion_tag("includes/error_summary.html", takes_context=True)
def error_summary(context) -> dict:
    links = []
    for form in failed_forms(context):
        links += error_links(form)
    return {"error_links": links}
