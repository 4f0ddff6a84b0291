"""The triage queue: staff read online reports and open, add or reject each one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import permissions

from ..models import CaseAccess
from ..models.choices import HateGround, IncidentAct
from ..models.online import OnlineReport, OnlineReportAccess
from ..services import online as services
from ..views.access import case_object_view
from . import forms, selectors

PAGE_SIZE = 25


def _report_for(request, pk: int) -> OnlineReport:
    return selectors.online_report_get(user=request.user, access=request.access, pk=pk)


# Once a report is part of a case, reading it is reading the case: the case's log records
# it (a report not yet on a case has only its own log, OnlineReportAccess).
report_view = case_object_view(
    CaseAccess.Action.VIEWED_ONLINE_REPORT, load=_report_for, name="report"
)


@permissions.role_required(permissions.LOG_CASES)
def queue(request):
    status = request.GET.get("status", OnlineReport.Status.NEW)
    if status not in OnlineReport.Status.values and status != "all":
        status = OnlineReport.Status.NEW
    reports = selectors.online_reports_for(
        user=request.user, access=request.access, status=None if status == "all" else status
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    for report in page:
        report.reporter_label = forms.answer_labels(report.answers)["reporter_type"]
    waiting = [report for report in page if report.is_waiting]
    clock = selectors.triage_clock(organisation=request.access.organisation) if waiting else None
    now = timezone.now()
    for report in waiting:
        report.clock_due_at = clock.due_at(report)
        report.clock = clock.status(report, now=now)
    return render(
        request,
        "online/queue.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": OnlineReport.Status.choices,
            "clock": clock,
        },
    )


def _detail_context(request, report, **forms_given):
    suggested = services.suggested_category(report)
    viewer = {"user": request.user, "access": request.access}
    cases = selectors.open_cases_about(report=report, **viewer)
    if not cases.exists():
        cases = selectors.open_cases(report=report, **viewer)
    answers = report.answers
    clock = None
    if report.is_waiting:
        clock = selectors.triage_clock(organisation=report.organisation)
    return {
        "report": report,
        "answers": answers,
        "labels": forms.answer_labels(answers),
        "clock": clock,
        "clock_due_at": clock.due_at(report) if clock else None,
        "clock_status": clock.status(report, now=timezone.now()) if clock else None,
        "acts": [IncidentAct(a).label for a in answers.get("acts", []) if a in IncidentAct.values],
        "grounds": [
            HateGround(g).label for g in answers.get("grounds", []) if g in HateGround.values
        ],
        "accept_form": forms_given.get("accept")
        or forms.AcceptForm(organisation=report.organisation, suggested_category=suggested),
        "add_form": forms_given.get("add") or forms.AddToCaseForm(cases=cases),
        "reject_form": forms_given.get("reject") or forms.RejectForm(),
        "history": report.history.select_related("history_user").order_by("-history_date"),
    }


@permissions.role_required(permissions.LOG_CASES)
@report_view
def detail(request, report):
    OnlineReportAccess.objects.create(report=report, user=request.user)
    return render(request, "online/detail.html", _detail_context(request, report))


@permissions.role_required(permissions.LOG_CASES)
@case_object_view(CaseAccess.Action.DOWNLOADED_REPORT_UPLOAD, load=_report_for, name="report")
def upload(request, report):
    if not report.upload:
        raise Http404
    OnlineReportAccess.objects.create(report=report, user=request.user)
    return FileResponse(
        report.upload.open("rb"),
        as_attachment=True,
        filename=report.upload.name.rsplit("/", 1)[-1],
        content_type=report.upload_content_type or "application/octet-stream",
    )


def _invalid(request, report, status=400, **forms_given):
    return render(
        request,
        "online/detail.html",
        _detail_context(request, report, **forms_given),
        status=status,
    )


@require_POST
@permissions.role_required(permissions.LOG_CASES)
@report_view
def accept(request, report):
    form = forms.AcceptForm(
        request.POST,
        organisation=report.organisation,
        suggested_category=services.suggested_category(report),
    )
    if not form.is_valid():
        return _invalid(request, report, accept=form)
    try:
        case = services.online_report_accept(
            report=report,
            by=request.user,
            category=form.cleaned_data["category"],
            area=form.cleaned_data["area"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("online_reports:detail", report.pk)
    messages.success(request, f"Case {case.reference} opened from {report.reference}.")
    return redirect("online_reports:detail", report.pk)


@require_POST
@permissions.role_required(permissions.LOG_CASES)
@report_view
def add_to_case(request, report):
    form = forms.AddToCaseForm(
        request.POST,
        cases=selectors.open_cases(report=report, user=request.user, access=request.access),
    )
    if not form.is_valid():
        return _invalid(request, report, add=form)
    case = form.cleaned_data["case"]
    try:
        services.online_report_add_to_case(report=report, by=request.user, case=case)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("online_reports:detail", report.pk)
    messages.success(request, f"{report.reference} added to case {case.reference}.")
    return redirect("online_reports:detail", report.pk)


@require_POST
@permissions.role_required(permissions.LOG_CASES)
@report_view
def reject(request, report):
    form = forms.RejectForm(request.POST)
    if not form.is_valid():
        return _invalid(request, report, reject=form)
    try:
        services.online_report_reject(
            report=report,
            by=request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("online_reports:detail", report.pk)
    messages.success(request, f"{report.reference} rejected.")
    return redirect("online_reports:queue")
