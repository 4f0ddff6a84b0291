"""Letters on a case: issuing one by hand, downloading, marking posted, trying again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import permissions
from cases.models import CaseAccess
from cases.views.access import case_view

from ..forms import LetterIssueForm
from ..models import LetterStatus
from ..selectors import letter_get_for_case
from ..services.delivery import letter_mark_posted, letter_retry
from ..services.issue import letter_issue_by_officer
from .common import errors_to_form


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_LETTER_FORM)
def letter_issue_view(request, case):
    parties = list(case.parties.select_related("person"))
    form = LetterIssueForm(
        request.POST or None,
        parties=parties,
        kind=request.POST.get("kind") or request.GET.get("kind"),
        kind_url=request.path,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recipient = next(p for p in parties if p.pk == data["recipient"])
        try:
            letter = letter_issue_by_officer(
                case=case,
                kind=data["kind"],
                recipient=recipient,
                by=request.user,
                delivery=data["delivery"],
                reason=data["reason"],
                next_contact_on=data["next_contact_on"],
            )
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, f"{letter.get_kind_display()} queued for the worker.")
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "letters/form.html",
        {"case": case, "form": form, "title": "Send a letter", "submit": "Send the letter"},
    )


@permissions.role_required(permissions.LOG_CASES)
@case_view(CaseAccess.Action.DOWNLOADED_LETTER, object_kwarg="letter_pk")
def letter_download(request, case, letter_pk: int):
    """Only someone who may open the case may read its letters; every download is logged."""
    letter = letter_get_for_case(case=case, pk=letter_pk)
    if not letter.pdf or letter.status not in (LetterStatus.RENDERED, LetterStatus.SENT):
        raise Http404("The letter has not been rendered yet.")
    if not letter.pdf.storage.exists(letter.pdf.name):
        # Removed under the retention schedule or on an erasure request; the row stays.
        raise Http404("The letter's PDF is no longer kept.")
    return FileResponse(
        letter.pdf.open("rb"),
        as_attachment=True,
        filename=f"{case.reference}-{letter.kind}-{letter.pk}.pdf",
        content_type="application/pdf",
    )


@require_POST
@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_LETTER_FORM, object_kwarg="letter_pk")
def letter_posted(request, case, letter_pk: int):
    letter = letter_get_for_case(case=case, pk=letter_pk)
    try:
        letter_mark_posted(letter=letter, by=request.user)
        messages.success(request, "Marked as posted.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("cases:detail", pk=case.pk)


@require_POST
@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_LETTER_FORM, object_kwarg="letter_pk")
def letter_retry_view(request, case, letter_pk: int):
    letter = letter_get_for_case(case=case, pk=letter_pk)
    try:
        letter_retry(letter=letter, by=request.user)
        messages.success(request, "The letter is queued again.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("cases:detail", pk=case.pk)
