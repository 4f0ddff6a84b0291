"""C26: the complainant's feedback link. No sign-in; the URL carries only a random token and
the page shows nothing about the case."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from ..forms import SatisfactionForm
from ..models import SatisfactionMethod
from ..services.closure import closure_for_feedback_token, closure_satisfaction_record


@never_cache
def feedback(request, token: str):
    closure = closure_for_feedback_token(token)
    if closure is None:
        return render(request, "letters/feedback_done.html", {"expired": True}, status=404)
    form = SatisfactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        closure_satisfaction_record(
            closure=closure,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
            method=SatisfactionMethod.LINK,
        )
        return render(request, "letters/feedback_done.html", {"expired": False})
    return render(
        request,
        "letters/feedback.html",
        {"form": form, "organisation_name": closure.case.organisation.name},
    )
