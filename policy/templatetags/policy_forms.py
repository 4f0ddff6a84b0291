"""One way to draw a designer form field: a visible label, "(optional)" on optional fields,
help and errors tied to the input by aria-describedby, Bootstrap's classes."""

from django import forms, template

register = template.Library()


@register.inclusion_tag("policy/_field.html")
def policy_field(field, compact=False):
    widget = field.field.widget
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_error")
    attrs = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if isinstance(widget, forms.CheckboxSelectMultiple):
        kind = "ticks"
    elif isinstance(widget, forms.CheckboxInput):
        kind, attrs["class"] = "tick", "form-check-input"
    elif isinstance(widget, forms.Select):
        kind, attrs["class"] = "select", "form-select"
    else:
        kind = "input"
        attrs["class"] = " ".join(c for c in ("form-control", widget.attrs.get("class", "")) if c)
    if field.errors and kind != "ticks":
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
    return {
        "field": field,
        "kind": kind,
        "input": field.as_widget(attrs=attrs) if kind != "ticks" else "",
        "describedby": attrs.get("aria-describedby", ""),
        "compact": compact,
    }
