"""Subject access and rectification requests: managers and organisation admins only.

Every page is scoped to the user's organisation (another organisation's request is a 404).
The pages that show a bundle's contents, and its downloads, record a ``CaseAccess`` row on
each case the bundle covers; downloads are also kept as ``SubjectAccessDownload`` rows.
"""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import permissions
from cases.forms import PersonForm
from cases.models import CaseAccess, CaseParty, Note
from cases.selectors import people_visible_to
from cases.services.notes import note_disclosure_set
from cases.services.parties import StalePersonError
from cases.views.access import person_view
from cases.views.common import errors_to_form, stale_refused

from .forms import (
    DecisionForm,
    NoteDisclosureForm,
    PersonSearchForm,
    PrepareAgainForm,
    RectificationRequestForm,
    ReleaseForm,
    SubjectAccessRequestForm,
)
from .models import SubjectAccessDownload, SubjectAccessStatus
from .selectors import (
    rectification_request_get,
    rectification_requests_for,
    rectification_requests_open,
    subject_access_request_get,
    subject_access_requests_for,
    subject_access_requests_open,
)
from .services.rectification import rectification_decide, rectification_request_record
from .services.requests import (
    subject_access_download_record,
    subject_access_prepare_again,
    subject_access_release,
    subject_access_request_record,
)

RECENT = 20
SEARCH_LIMIT = 20


@permissions.role_required(permissions.MANAGE)
def requests_list(request):
    """Open requests with their due dates, the latest answered, and finding the person.
    The name is posted, never put in the URL."""
    access = request.access
    form = PersonSearchForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        found = list(
            people_visible_to(user=request.user, access=access)
            .filter(Q(full_name__icontains=name) | Q(known_as__icontains=name))
            .order_by("full_name")[:SEARCH_LIMIT]
        )
    return render(
        request,
        "subject_access/requests.html",
        {
            "form": form,
            "found": found,
            "now": timezone.now(),
            "open_requests": list(subject_access_requests_open(access=access)),
            "open_rectifications": list(rectification_requests_open(access=access)),
            "released": list(
                subject_access_requests_for(access=access)
                .filter(status=SubjectAccessStatus.RELEASED)
                .order_by("-released_at")[:RECENT]
            ),
            "decided": list(
                rectification_requests_for(access=access)
                .exclude(decided_at=None)
                .order_by("-decided_at")[:RECENT]
            ),
        },
    )


@permissions.role_required(permissions.MANAGE)
@person_view(CaseAccess.Action.VIEWED_PERSON)
def request_create(request, person, roles):
    form = SubjectAccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sar = subject_access_request_record(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(
                request,
                f"Subject access request {sar.reference} recorded: the bundle is being prepared.",
            )
            return redirect("subject_access:detail", pk=sar.pk)
    return render(
        request,
        "subject_access/request_form.html",
        {"form": form, "person": person, "title": "Record a subject access request"},
    )


@permissions.role_required(permissions.MANAGE)
@person_view(CaseAccess.Action.VIEWED_PERSON)
def rectification_create(request, person, roles):
    form = RectificationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rr = rectification_request_record(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, f"Rectification request {rr.reference} recorded.")
            return redirect("subject_access:rectification", pk=rr.pk)
    return render(
        request,
        "subject_access/request_form.html",
        {"form": form, "person": person, "title": "Record a rectification request"},
    )


def _log_reading(sar, user) -> None:
    """Reading a bundle is reading each of its cases: each case's log says so."""
    case_ids = (
        CaseParty.objects.filter(person_id=sar.person_id)
        .values_list("case_id", flat=True)
        .distinct()
    )
    CaseAccess.objects.bulk_create(
        CaseAccess(
            case_id=case_id,
            user=user,
            action=CaseAccess.Action.READ_SUBJECT_ACCESS,
            object_id=sar.person_id,
        )
        for case_id in case_ids
    )


def _bundle(sar) -> dict | None:
    if sar.status not in (SubjectAccessStatus.READY, SubjectAccessStatus.RELEASED) or not sar.data:
        return None
    with sar.data.open("rb") as handle:
        return json.loads(handle.read())


def _notes_not_disclosed(sar) -> list[Note]:
    """The staff notes left out of the bundle, for the reviewing manager to read and mark
    any that should go in."""
    if sar.status != SubjectAccessStatus.READY:
        return []
    return list(
        Note.objects.filter(
            case__in=CaseParty.objects.filter(person_id=sar.person_id).values("case_id"),
            disclosable=False,
        )
        .select_related("case", "author")
        .order_by("case_id", "created_at")
    )


def _detail(request, sar, *, release_form=None, again_form=None, note_form=None, status=200):
    bundle = _bundle(sar)
    if bundle is not None and request.method == "GET":
        _log_reading(sar, request.user)
    return render(
        request,
        "subject_access/request_detail.html",
        {
            "sar": sar,
            "bundle": bundle,
            "now": timezone.now(),
            "release_form": release_form or ReleaseForm(),
            "again_form": again_form or PrepareAgainForm(),
            "note_form": note_form or NoteDisclosureForm(),
            "withheld_notes": _notes_not_disclosed(sar),
            "downloads": sar.downloads.select_related("user")[:50],
            "history": sar.history.select_related("history_user").order_by("-history_id")[:50],
        },
        status=status,
    )


@permissions.role_required(permissions.MANAGE)
def request_detail(request, pk):
    sar = subject_access_request_get(access=request.access, pk=pk)
    return _detail(request, sar)


@require_POST
@permissions.role_required(permissions.MANAGE)
def request_release(request, pk):
    sar = subject_access_request_get(access=request.access, pk=pk)
    form = ReleaseForm(request.POST)
    if form.is_valid():
        try:
            subject_access_release(request=sar, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, f"{sar.reference} released to the person.")
            return redirect("subject_access:detail", pk=sar.pk)
    return _detail(request, sar, release_form=form, status=400)


@require_POST
@permissions.role_required(permissions.MANAGE)
def request_prepare_again(request, pk):
    sar = subject_access_request_get(access=request.access, pk=pk)
    form = PrepareAgainForm(request.POST)
    if form.is_valid():
        try:
            subject_access_prepare_again(
                request=sar, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, f"{sar.reference} is being prepared again.")
            return redirect("subject_access:detail", pk=sar.pk)
    return _detail(request, sar, again_form=form, status=400)


@require_POST
@permissions.role_required(permissions.MANAGE)
def request_note_disclose(request, pk, note_pk):
    """Mark a note the bundle left out as disclosable; the manager then prepares it again."""
    sar = subject_access_request_get(access=request.access, pk=pk)
    note = next((n for n in _notes_not_disclosed(sar) if n.pk == note_pk), None)
    if note is None:
        raise Http404("No such note.")
    form = NoteDisclosureForm(request.POST)
    if form.is_valid():
        try:
            note_disclosure_set(
                note=note, by=request.user, disclosable=True, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(
                request, "Note marked disclosable. Prepare the bundle again to include it."
            )
            return redirect("subject_access:detail", pk=sar.pk)
    return _detail(request, sar, note_form=form, status=400)


FILES = {
    SubjectAccessDownload.File.PDF: ("pdf", "application/pdf"),
    SubjectAccessDownload.File.JSON: ("data", "application/json"),
}


@permissions.role_required(permissions.MANAGE)
def request_download(request, pk, file):
    sar = subject_access_request_get(access=request.access, pk=pk)
    if file not in FILES or _bundle_missing(sar):
        raise Http404("No such file.")
    field, content_type = FILES[file]
    with transaction.atomic():
        subject_access_download_record(request=sar, by=request.user, file=file)
        _log_reading(sar, request.user)
    response = FileResponse(
        getattr(sar, field).open("rb"),
        as_attachment=True,
        filename=f"{sar.reference}.{file}",
        content_type=content_type,
    )
    return response


def _bundle_missing(sar) -> bool:
    return sar.status not in (SubjectAccessStatus.READY, SubjectAccessStatus.RELEASED)


def _log_person_view(person, user, action: str) -> None:
    """The rectification page shows the person's record: each of their cases logs it, as
    the person page does."""
    case_ids = (
        CaseParty.objects.filter(person_id=person.pk).values_list("case_id", flat=True).distinct()
    )
    CaseAccess.objects.bulk_create(
        CaseAccess(case_id=case_id, user=user, action=action, object_id=person.pk)
        for case_id in case_ids
    )


@permissions.role_required(permissions.MANAGE)
def rectification_detail(request, pk):
    rr = rectification_request_get(access=request.access, pk=pk)
    person = rr.person
    _log_person_view(
        person,
        request.user,
        CaseAccess.Action.OPENED_PERSON_FORM
        if request.method == "GET"
        else CaseAccess.Action.SUBMITTED,
    )
    decision = DecisionForm(request.POST or None)
    person_form = PersonForm(
        request.POST or None,
        instance=person,
        user=request.user,
        access=request.access,
        prefix="person",
    )
    if request.method == "POST" and rr.is_open:
        accept = request.POST.get("decision") == "accept"
        valid = decision.is_valid() and (not accept or person_form.is_valid())
        if valid:
            try:
                rectification_decide(
                    request=rr,
                    by=request.user,
                    accept=accept,
                    reason=decision.cleaned_data["reason"],
                    changes=person_form.person_fields() if accept else None,
                    expected_version=(person_form.cleaned_data.get("version") or 0)
                    if accept
                    else None,
                )
            except StalePersonError:
                stale_refused(person_form, "person", person.version)
            except ValidationError as error:
                errors_to_form(error, decision, person_form)
            else:
                messages.success(request, f"{rr.reference} decided.")
                return redirect("subject_access:rectification", pk=rr.pk)
        if accept:
            # ModelForm validation wrote to the instance; show the record as it is.
            rr.person.refresh_from_db()
    return render(
        request,
        "subject_access/rectification_detail.html",
        {
            "rr": rr,
            "decision": decision,
            "person_form": person_form,
            "now": timezone.now(),
            "history": rr.history.select_related("history_user").order_by("-history_id")[:50],
        },
        status=400 if request.method == "POST" else 200,
    )
