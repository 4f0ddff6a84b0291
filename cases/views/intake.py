"""Logging a report (W07, W09, W11, C13), with the out-of-scope questions (W02, C03)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts import permissions

from ..forms import OutOfScopeForm, PerpetratorForm, ReportForm, VictimForm
from ..models.choices import PartyRole, PerpetratorKind
from ..services.intake import case_open
from ..services.parties import party_add, person_create
from ..services.records import incident_record
from .common import MatchChoice, errors_to_form, match_choice


def _forms(request, organisation):
    data = request.POST if request.method == "POST" else None
    report = ReportForm(data, organisation=organisation)
    incident_date = None
    if data is not None and report.is_valid():
        incident_date = timezone.localtime(report.cleaned_data["occurred_at"]).date()
    return {
        "scope_form": OutOfScopeForm(data, prefix="scope"),
        "report_form": report,
        "victim_form": VictimForm(data, prefix="victim", incident_date=incident_date),
        "perpetrator_form": PerpetratorForm(data, prefix="perpetrator"),
    }


@permissions.role_required(permissions.LOG_CASES)
def case_log(request):
    organisation = request.access.organisation
    forms = _forms(request, organisation)
    context = {**forms, "victim_matches": [], "perpetrator_matches": []}
    if request.method != "POST":
        return render(request, "cases/case_log.html", context)

    scope = forms["scope_form"]
    if scope.is_valid() and (
        scope.cleaned_data["victim_is_staff"] or scope.cleaned_data["about_staff_or_contractor"]
    ):
        # W02, C03: explain the procedure that applies; no case is opened.
        return render(request, "cases/out_of_scope.html", {"answers": scope.cleaned_data})

    report, victim, perpetrator = (
        forms["report_form"],
        forms["victim_form"],
        forms["perpetrator_form"],
    )
    # Every part checked (no short cut), so the error summary lists all the problems at once.
    valid = [form.is_valid() for form in (report, victim, perpetrator)]
    if not all(valid):
        return render(request, "cases/case_log.html", context, status=400)

    # Suggest people already on file who may be the same person, until the user chooses
    # one of them (or a new person); a choice that was not offered is refused.
    victim_answer = match_choice(
        request,
        key="victim-match",
        full_name=victim.cleaned_data["full_name"],
        date_of_birth=victim.cleaned_data["date_of_birth"],
        postcode=victim.cleaned_data["postcode"],
    )
    named = perpetrator.cleaned_data["kind"] == PerpetratorKind.NAMED
    perpetrator_answer = (
        match_choice(
            request,
            key="perpetrator-match",
            full_name=perpetrator.cleaned_data["full_name"],
            postcode=perpetrator.cleaned_data["postcode"],
        )
        if named
        else MatchChoice(new=True)
    )
    context.update(
        victim_matches=victim_answer.matches,
        victim_match_error=victim_answer.error,
        perpetrator_matches=perpetrator_answer.matches,
        perpetrator_match_error=perpetrator_answer.error,
    )
    if victim_answer.unanswered or perpetrator_answer.unanswered:
        refused = victim_answer.error or perpetrator_answer.error
        return render(request, "cases/case_log.html", context, status=400 if refused else 200)
    victim_choice, perpetrator_choice = victim_answer.person, perpetrator_answer.person

    data = report.cleaned_data
    try:
        with transaction.atomic():
            case = case_open(
                organisation=organisation,
                logged_by=request.user,
                received_at=data["received_at"],
                channel=data["channel"],
                reporter_type=data["reporter_type"],
                category=data["category"],
                summary=data["summary"],
                prior_action=data["prior_action"],
                location=data["location"],
                area=data["area"],
                assigned_officer=(
                    data["assigned_officer"] if data["assignment"] == "hand" else None
                ),
                fear_of_violence=data["fear_of_violence"],
            )
            victim_person = (
                victim_choice
                if victim_choice is not None
                else person_create(
                    organisation=organisation, by=request.user, **victim.person_fields()
                )
            )
            parties = [
                party_add(
                    case=case,
                    by=request.user,
                    role=victim.cleaned_data["role"],
                    person=victim_person,
                )
            ]
            if victim.cleaned_data["role"] == PartyRole.COMPLAINANT:
                parties.append(
                    party_add(
                        case=case, by=request.user, role=PartyRole.VICTIM, person=victim_person
                    )
                )
            parties.append(_add_perpetrator(request, case, perpetrator, perpetrator_choice))
            incident_record(
                case=case,
                by=request.user,
                occurred_at=data["occurred_at"],
                description=data["summary"],
                location=data["location"],
                acts=data["acts"],
                grounds=data["grounds"],
                perceived_by=data["perceived_by"],
                parties=parties,
                police_reported=data["police_reported"],
                crime_reference=data["crime_reference"],
            )
    except ValidationError as error:
        errors_to_form(error, report, victim, perpetrator)
        return render(request, "cases/case_log.html", context, status=400)

    officer = case.assigned_officer.full_name if case.assigned_officer else "no officer yet"
    messages.success(
        request, f"Case {case.reference} logged as High Risk and assigned to {officer}."
    )
    return redirect("cases:detail", pk=case.pk)


def _add_perpetrator(request, case, form, choice):
    data = form.cleaned_data
    kind = data["kind"]
    person = None
    if kind == PerpetratorKind.NAMED:
        person = (
            choice
            if choice is not None
            else person_create(
                organisation=case.organisation,
                by=request.user,
                full_name=data["full_name"],
                address=data["address"],
                postcode=data["postcode"],
                tenure=data["tenure"],
            )
        )
    return party_add(
        case=case,
        by=request.user,
        role=PartyRole.PERPETRATOR,
        person=person,
        perpetrator_kind=kind,
        description=data["description"],
    )
