"""Organisation admins edit their letter templates; every save is a new version."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from accounts import permissions

from ..forms import LetterTemplateForm
from ..merge import MERGE_FIELDS, sample_values
from ..models import LetterKind
from ..rendering import html_to_pdf, letter_html, render_text
from ..selectors import letter_template_versions, letter_templates_current
from ..services.templates import (
    letter_template_current,
    letter_template_save,
    letter_templates_ensure_defaults,
)
from .common import errors_to_form


@permissions.role_required(permissions.ADMINISTER)
def template_list(request):
    organisation = request.access.organisation
    letter_templates_ensure_defaults(organisation=organisation)
    return render(
        request,
        "letters/template_list.html",
        {"templates": letter_templates_current(organisation=organisation)},
    )


@permissions.role_required(permissions.ADMINISTER)
def template_edit(request, kind: str):
    if kind not in LetterKind.values:
        raise Http404("No such letter.")
    organisation = request.access.organisation
    current = letter_template_current(organisation=organisation, kind=kind)
    initial = {"subject": current.subject, "body": current.body}
    form = LetterTemplateForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = request.POST.get("action", "save")
        try:
            if action in ("preview", "pdf"):
                values = sample_values(organisation)
                from ..rendering import template_errors

                problems = {f: template_errors(data[f]) for f in ("subject", "body")}
                if any(problems.values()):
                    raise ValidationError({f: p for f, p in problems.items() if p})
                if action == "pdf":
                    html = letter_html(
                        subject=data["subject"], body=data["body"], values=values, large_print=False
                    )
                    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
                    response["Content-Disposition"] = 'inline; filename="preview.pdf"'
                    return response
                preview = {
                    "subject": render_text(data["subject"], values),
                    "body": render_text(data["body"], values, paragraphs=True),
                }
            else:
                saved = letter_template_save(
                    organisation=organisation,
                    kind=kind,
                    by=request.user,
                    subject=data["subject"],
                    body=data["body"],
                    change_note=data["change_note"],
                )
                messages.success(request, f"Saved as version {saved.version}.")
                return redirect("letters:template_edit", kind=kind)
        except ValidationError as error:
            errors_to_form(error, form)
    return render(
        request,
        "letters/template_edit.html",
        {
            "form": form,
            "kind": LetterKind(kind),
            "current": current,
            "preview": preview,
            "merge_fields": MERGE_FIELDS,
            "versions": letter_template_versions(organisation=organisation, kind=kind)[:20],
        },
    )
