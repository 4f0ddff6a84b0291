"""htmx attributes that ask for people who may be the same person as the one being typed."""

from django.urls import reverse

LOOKUP_FIELDS = ("full_name", "date_of_birth", "postcode")


def suggest_matches(form, prefix: str) -> None:
    for name in LOOKUP_FIELDS:
        if name in form.fields:
            form.fields[name].widget.attrs.update(
                {
                    "hx-post": reverse("cases:person_matches"),
                    "hx-trigger": "change",
                    "hx-target": f"#{prefix}-matches",
                    "hx-include": "closest form",
                    "hx-vals": f'{{"prefix": "{prefix}"}}',
                }
            )
