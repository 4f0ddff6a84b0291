"""Adding to a case file: people, incidents, contacts, notes and evidence."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import permissions
from policy.formats import uk_date

from ..forms import (
    CaseReviewForm,
    ContactForm,
    EvidenceForm,
    IncidentEditForm,
    IncidentForm,
    IncidentPartiesForm,
    NoteForm,
    PartyForm,
    PersonForm,
)
from ..models import CaseAccess, Evidence, Incident
from ..services.evidence import evidence_attach
from ..services.notes import note_add
from ..services.parties import party_add, person_create
from ..services.records import (
    INCIDENT_FIELDS,
    StaleIncidentError,
    contact_log,
    incident_parties_set,
    incident_record,
    incident_update,
)
from ..services.reviews import case_review_record
from .access import case_view
from .common import errors_to_form, match_choice, stale_refused


def _page(request, case, template, status=200, **context):
    return render(request, f"cases/{template}", {"case": case, **context}, status=status)


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_CASE_FORM)
def party_add_view(request, case):
    data = request.POST if request.method == "POST" else None
    party_form = PartyForm(data, prefix="party")
    person_form = PersonForm(data, prefix="person", user=request.user, access=request.access)
    context = {"party_form": party_form, "person_form": person_form, "matches": []}
    if request.method != "POST" or not party_form.is_valid():
        return _page(request, case, "party_form.html", **context)
    needs_person = party_form.needs_person()
    if needs_person and not person_form.is_valid():
        return _page(request, case, "party_form.html", **context)

    person = None
    if needs_person:
        answer = match_choice(
            request,
            key="person-match",
            full_name=person_form.cleaned_data["full_name"],
            date_of_birth=person_form.cleaned_data["date_of_birth"],
            postcode=person_form.cleaned_data["postcode"],
        )
        if answer.unanswered:
            context.update(matches=answer.matches, match_error=answer.error)
            status = 400 if answer.error else 200
            return _page(request, case, "party_form.html", status=status, **context)
        person = answer.person
    try:
        with transaction.atomic():
            if needs_person and person is None:
                person = person_create(
                    organisation=case.organisation, by=request.user, **person_form.person_fields()
                )
            party = party_add(
                case=case,
                by=request.user,
                role=party_form.cleaned_data["role"],
                person=person,
                perpetrator_kind=party_form.cleaned_data["perpetrator_kind"],
                description=party_form.cleaned_data["description"],
            )
    except ValidationError as error:
        errors_to_form(error, party_form, person_form)
        return _page(request, case, "party_form.html", **context)
    messages.success(request, f"{party} added to the case.")
    return redirect("cases:detail", pk=case.pk)


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_CASE_FORM)
def incident_add(request, case):
    form = IncidentForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident_record(
                case=case,
                by=request.user,
                occurred_at=data["occurred_at"],
                description=data["description"],
                location=data["location"],
                acts=data["acts"],
                grounds=data["grounds"],
                perceived_by=data["perceived_by"],
                parties=list(data["parties"]),
                police_reported=data["police_reported"],
                police_advice=data["police_advice"],
                crime_reference=data["crime_reference"],
                police_officer=data["police_officer"],
            )
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, "Incident recorded.")
            return redirect("cases:detail", pk=case.pk)
    return _page(request, case, "record_form.html", form=form, title="Record an incident")


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_CASE_FORM, object_kwarg="incident_pk")
def incident_parties(request, case, incident_pk: int):
    """Change who was involved in an incident, e.g. once the perpetrator has been named."""
    incident = get_object_or_404(Incident, pk=incident_pk, case=case)
    form = IncidentPartiesForm(
        request.POST or None, case=case, initial={"parties": list(incident.parties.all())}
    )
    if request.method == "POST" and form.is_valid():
        try:
            incident_parties_set(
                incident=incident, by=request.user, parties=list(form.cleaned_data["parties"])
            )
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, "Who was involved has been updated.")
            return redirect("cases:detail", pk=case.pk)
    title = f"Who was involved in the incident of {uk_date(incident.occurred_at)}"
    return _page(request, case, "record_form.html", form=form, title=title)


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_CASE_FORM, object_kwarg="incident_pk")
def incident_edit(request, case, incident_pk: int):
    """Correct a recorded incident: when and where, the acts (C08), the grounds and who
    perceived the hostility (W04), police reporting (W14). A stale save is refused."""
    incident = get_object_or_404(Incident, pk=incident_pk, case=case)
    form = IncidentEditForm(request.POST or None, instance=incident, case=case)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                incident_update(
                    incident=incident,
                    by=request.user,
                    reason=data["reason"],
                    expected_version=data["version"],
                    acts=data["acts"],
                    grounds=data["grounds"],
                    **{name: data[name] for name in INCIDENT_FIELDS},
                )
            except StaleIncidentError:
                stale_refused(form, "incident", Incident.objects.get(pk=incident.pk).version)
            except ValidationError as error:
                errors_to_form(error, form)
            else:
                messages.success(request, "Incident corrected.")
                return redirect("cases:detail", pk=case.pk)
        # The form wrote the input onto its instance: show what is recorded beside it.
        incident = get_object_or_404(Incident, pk=incident_pk, case=case)
    title = f"Edit the incident of {uk_date(incident.occurred_at)}"
    return render(
        request,
        "cases/incident_edit.html",
        {"case": case, "form": form, "title": title, "current": incident},
    )


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_CASE_FORM)
def contact_add(request, case):
    form = ContactForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact_log(
                case=case,
                by=request.user,
                occurred_at=data["occurred_at"],
                method=data["method"],
                direction=data["direction"],
                purpose=data["purpose"],
                party=data["party"],
                reached=data["reached"],
                notes=data["notes"],
            )
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, "Contact recorded.")
            return redirect("cases:detail", pk=case.pk)
    return _page(request, case, "record_form.html", form=form, title="Record a contact")


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_CASE_FORM)
def case_review_add(request, case):
    """C26: record the review of an open case; it meets the review deadline."""
    form = CaseReviewForm(request.POST or None, initial={"reviewed_at": timezone.now()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case_review_record(
                case=case,
                by=request.user,
                reviewed_at=data["reviewed_at"],
                outcome=data["outcome"],
                summary=data["summary"],
            )
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, "Case review recorded.")
            return redirect("cases:detail", pk=case.pk)
    return _page(
        request,
        case,
        "record_form.html",
        form=form,
        title="Record the case review (C26)",
        intro="Review every open case after three months: what has been done, whether the "
        "action plan is working, and whether the case can be closed.",
    )


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_CASE_FORM)
def note_add_view(request, case):
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            note_add(
                case=case,
                by=request.user,
                text=form.cleaned_data["text"],
                disclosable=form.cleaned_data["disclosable"],
            )
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, "Note added.")
            return redirect("cases:detail", pk=case.pk)
    return _page(request, case, "record_form.html", form=form, title="Add a note")


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_CASE_FORM)
def evidence_add(request, case):
    form = EvidenceForm(request.POST or None, request.FILES or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evidence_attach(
                case=case,
                by=request.user,
                upload=data["file"],
                kind=data["kind"],
                description=data["description"],
                incident=data["incident"],
            )
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, "Evidence attached.")
            return redirect("cases:detail", pk=case.pk)
    return _page(
        request, case, "record_form.html", form=form, title="Attach evidence", multipart=True
    )


@permissions.role_required(permissions.WORK_CASES | permissions.MANAGE)
@case_view(CaseAccess.Action.DOWNLOADED_EVIDENCE, object_kwarg="evidence_pk")
def evidence_download(request, case, evidence_pk: int):
    evidence = get_object_or_404(Evidence, case=case, pk=evidence_pk)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=f"{case.reference}-evidence-{evidence.pk}{_extension(evidence.content_type)}",
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _extension(mime: str) -> str:
    import mimetypes

    return mimetypes.guess_extension(mime) or ""


@require_POST
@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_CASE_FORM, object_kwarg="party_pk")
def party_remove_view(request, case, party_pk: int):
    from ..services.parties import party_remove

    party = get_object_or_404(case.parties, pk=party_pk)
    try:
        party_remove(party=party, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Removed from the case.")
    return redirect("cases:detail", pk=case.pk)
