"""A letter template that is not valid is refused when saved, with the problem named beside
the field and the admin's text kept, so no letter of that kind breaks later."""

import pytest
from django.urls import reverse

from letters.defaults import DEFAULT_TEMPLATES
from letters.models import LetterKind, LetterTemplate
from letters.rendering import render_text, template_errors
from letters.services.templates import letter_templates_ensure_defaults

pytestmark = pytest.mark.django_db

# (what the admin typed, a fragment the message beside the field must contain)
BAD_TEMPLATES = [
    ("Dear {{{ recipient_name }},\n\nThank you.", "{{{ recipient_name }}"),
    ("Dear {{ recipient_name }}},\n\nThank you.", "}"),
    ("Dear {{ nonsense }},\n\nThank you.", "{{ nonsense }}"),
    ("Dear {{ recipient_name,\n\nThank you.", "{{ recipient_name"),
    ("Dear recipient_name }},\n\nThank you.", "}}"),
    ("Dear {% tag %} friend", "{% tag %}"),
    ("Dear {# a note #} friend", "{# a note #}"),
    ("Dear {{ recipient_name|upper }}", "{{ recipient_name|upper }}"),
    ("Dear {{ }}", "{{ }}"),
    ("Dear { recipient_name }", "{ recipient_name }"),
]


@pytest.mark.parametrize(("text", "named"), BAD_TEMPLATES)
def test_invalid_template_is_refused_on_save_naming_the_problem_with_input_kept(
    client, cast, text, named
):
    letter_templates_ensure_defaults(organisation=cast.organisation)
    before = LetterTemplate.objects.filter(organisation=cast.organisation).count()
    client.force_login(cast.admin)
    url = reverse("letters:template_edit", args=[LetterKind.ACKNOWLEDGEMENT])
    response = client.post(url, {"subject": "Your report", "body": text, "action": "save"})
    assert response.status_code == 200
    errors = response.context["form"].errors["body"]
    assert any(named in error for error in errors), errors
    assert response.context["form"]["body"].value() == text
    assert LetterTemplate.objects.filter(organisation=cast.organisation).count() == before


@pytest.mark.parametrize(("text", "named"), BAD_TEMPLATES)
def test_invalid_subject_is_refused_beside_the_subject(client, cast, text, named):
    client.force_login(cast.admin)
    url = reverse("letters:template_edit", args=[LetterKind.CLOSURE])
    subject = text.split("\n")[0]
    response = client.post(url, {"subject": subject, "body": "Dear friend", "action": "save"})
    assert response.status_code == 200
    assert any(named in error for error in response.context["form"].errors["subject"])


@pytest.mark.parametrize(("text", "named"), BAD_TEMPLATES)
def test_invalid_template_is_refused_by_preview_too(client, cast, text, named):
    client.force_login(cast.admin)
    url = reverse("letters:template_edit", args=[LetterKind.CLOSURE])
    response = client.post(url, {"subject": "S", "body": text, "action": "preview"})
    assert response.status_code == 200
    assert any(named in error for error in response.context["form"].errors["body"])


@pytest.mark.parametrize("kind", list(LetterKind))
def test_every_default_template_passes_the_check_and_renders(kind):
    subject, body = DEFAULT_TEMPLATES[kind]
    assert template_errors(subject) == [] and template_errors(body) == []
    assert "{" not in render_text(body, {}, paragraphs=True)


def test_a_valid_template_with_every_merge_field_renders_each_value():
    from letters.merge import MERGE_FIELDS

    text = " ".join(f"{{{{ {name} }}}}" for name in MERGE_FIELDS) + " {{recipient_name}}"
    assert template_errors(text) == []
    values = {name: f"<{name}>" for name in MERGE_FIELDS}
    out = render_text(text, values)
    for name in MERGE_FIELDS:
        assert f"&lt;{name}&gt;" in out
