"""A form page on a case whose valid input goes to one service, shared by the case-work
views of support, repairs and enforcement."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from cases.views.common import errors_to_form


def case_form_page(
    request, *, case, form, title: str, save: Callable[[dict], str], intro: str = ""
):
    """GET shows the form; a valid POST calls ``save(cleaned_data)``, whose return is the
    success message; a service's ValidationError goes beside the fields, input kept."""
    if request.method == "POST" and form.is_valid():
        try:
            message = save(form.cleaned_data)
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, message)
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/record_form.html",
        {"case": case, "form": form, "title": title, "intro": intro},
    )
