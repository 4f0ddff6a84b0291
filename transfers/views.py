"""Transfer referrals (officers, managers) and the Housing Panel (panel members)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import permissions
from accounts.models import Role
from cases.models import CaseAccess
from cases.views.access import case_object_view, case_view
from policy.formats import uk_datetime

from . import selectors
from .choices import PROGRESS_STEPS, ReferralStatus
from .forms import ProgressForm, ReferralForm, VoteForm
from .services.decisions import panel_decision_record, panel_vote_cast, tally_of
from .services.meetings import panel_meeting_close, panel_meeting_schedule
from .services.minutes import meeting_minutes_pdf
from .services.referrals import transfer_progress_record, transfer_referral_create

PAGE_SIZE = 25
MINUTES_ROLES = permissions.SIT_ON_PANEL | {Role.MANAGER}


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.error_dict.items():
            target = field if field in form.fields else None
            for problem in problems:
                form.add_error(target, problem)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _referral_for(request, pk: int):
    return selectors.referral_get_for_user(user=request.user, access=request.access, pk=pk)


def _panel_referral_for(request, pk: int):
    return selectors.panel_referral_get(access=request.access, pk=pk)


# A referral and the panel's summary of it show the case's people: each opening is logged
# against the referral's case (the panel's own access is scoped by panel_referral_get).
referral_view = case_object_view(
    CaseAccess.Action.VIEWED_REFERRAL, load=_referral_for, name="referral"
)
panel_request_view = case_object_view(
    CaseAccess.Action.VIEWED_PANEL_REQUEST, load=_panel_referral_for, name="referral"
)


# --- Referrals: officers and managers -------------------------------------------------------


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_REFERRAL_FORM, kwarg="case_pk")
def referral_create(request, case):
    form = ReferralForm(request.POST or None, case=case, user=request.user, access=request.access)
    if request.method == "POST" and form.is_valid():
        try:
            referral = transfer_referral_create(case=case, by=request.user, **form.service_kwargs())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            meeting = referral.meeting
            if meeting is not None:
                messages.success(
                    request,
                    f"Referred to the Housing Panel meeting of {uk_datetime(meeting.meets_at)}.",
                )
            return redirect("transfers:referral_detail", pk=referral.pk)
    return render(request, "transfers/referral_form.html", {"case": case, "form": form})


@permissions.role_required(permissions.WORK_CASES)
def referral_list(request):
    page = Paginator(
        selectors.referral_list(user=request.user, access=request.access), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "transfers/referral_list.html", {"page": page})


@permissions.role_required(permissions.WORK_CASES)
@referral_view
def referral_detail(request, referral):
    return render(request, "transfers/referral_detail.html", _detail_context(referral))


def _detail_context(referral, progress_form=None) -> dict:
    next_step = None
    if referral.status in PROGRESS_STEPS[:-1]:
        next_step = PROGRESS_STEPS[PROGRESS_STEPS.index(referral.status) + 1]
    if progress_form is None and next_step is not None:
        progress_form = ProgressForm(
            next_step=next_step, initial={"step": next_step, "version": referral.version}
        )
    return {
        "referral": referral,
        "decisions": referral.decisions.select_related("meeting").prefetch_related("voters"),
        "progress_form": progress_form,
        "next_step": next_step,
        "steps": [ReferralStatus(s) for s in PROGRESS_STEPS],
    }


@require_POST
@permissions.role_required(permissions.WORK_CASES)
@referral_view
def referral_progress(request, referral):
    pk = referral.pk
    if referral.status not in PROGRESS_STEPS[:-1]:
        messages.error(request, "Only an approved transfer in progress can move on.")
        return redirect("transfers:referral_detail", pk=pk)
    next_step = PROGRESS_STEPS[PROGRESS_STEPS.index(referral.status) + 1]
    form = ProgressForm(request.POST, next_step=next_step)
    if form.is_valid():
        try:
            transfer_progress_record(
                referral=referral,
                by=request.user,
                step=form.cleaned_data["step"],
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Progress recorded.")
            return redirect("transfers:referral_detail", pk=pk)
    return render(
        request,
        "transfers/referral_detail.html",
        _detail_context(referral, progress_form=form),
        status=400,
    )


# --- The Housing Panel ----------------------------------------------------------------------


@permissions.role_required(MINUTES_ROLES)
def panel_home(request):
    """The next meeting and past meetings (panel members; managers for the minutes)."""
    next_meeting = selectors.next_meeting_to_sit(organisation=request.access.organisation)
    page = Paginator(
        selectors.meetings_for_panel(access=request.access).order_by("-meets_at"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    members = selectors.panel_members(organisation=request.access.organisation)
    return render(
        request,
        "transfers/panel_home.html",
        {
            "awaiting_vote": list(
                selectors.requests_awaiting_vote(user=request.user, access=request.access)
            ),
            "next_meeting": next_meeting,
            "open_meeting": panel_meeting_schedule(organisation=request.access.organisation),
            "page": page,
            "members": members,
            "is_panel": request.access.can(permissions.SIT_ON_PANEL),
        },
    )


@permissions.role_required(permissions.SIT_ON_PANEL)
def meeting_agenda(request, pk: int):
    meeting = selectors.meeting_get_for_panel(access=request.access, pk=pk)
    page = Paginator(selectors.agenda_for(meeting=meeting), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = []
    for referral in page:
        votes = referral.meeting_votes  # type: ignore[attr-defined]  # prefetched
        items.append(
            {
                "referral": referral,
                "tally": tally_of(votes),
                "my_vote": next((v for v in votes if v.member_id == request.user.pk), None),
                "decision": next(iter(referral.meeting_decisions), None),  # type: ignore[attr-defined]
            }
        )
    return render(
        request,
        "transfers/meeting_agenda.html",
        {"meeting": meeting, "page": page, "items": items},
    )


@permissions.role_required(permissions.SIT_ON_PANEL)
@panel_request_view
def panel_request(request, referral):
    """A request as the panel sees it (W05): the summary, and this member's vote."""
    mine = next(
        (
            v
            for v in referral.votes.all()
            if v.member_id == request.user.pk and v.meeting_id == referral.meeting_id
        ),
        None,
    )
    form = VoteForm(
        request.POST or None,
        initial={"vote": mine.vote, "comment": mine.comment} if mine else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            panel_vote_cast(referral=referral, member=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Your vote is recorded.")
            return redirect("transfers:panel_request", pk=referral.pk)
    return render(request, "transfers/panel_request.html", _panel_context(referral, form))


def _panel_context(referral, form, decide_error: str = "") -> dict:
    current = [v for v in referral.votes.all() if v.meeting_id == referral.meeting_id]
    tally = tally_of(current)
    return {
        "referral": referral,
        "form": form,
        "votes": current,
        "tally": tally,
        "decide_error": decide_error,
        "decisions": referral.decisions.all(),
        "household": referral.household.all(),
    }


@require_POST
@permissions.role_required(permissions.SIT_ON_PANEL)
@panel_request_view
def panel_decide(request, referral):
    pk = referral.pk
    try:
        decision = panel_decision_record(referral=referral, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("transfers:panel_request", pk=pk)
    letter = (
        "the decision letter to the household is queued"
        if decision.letter_id
        else "no decision letter: the household has no address or e-mail on the case, so "
        "the officer has been asked to tell them"
    )
    messages.success(request, f"Decision recorded: {decision.get_outcome_display()}; {letter}.")
    return redirect("transfers:meeting_agenda", pk=decision.meeting_id)


@require_POST
@permissions.role_required(permissions.SIT_ON_PANEL)
def meeting_close(request, pk: int):
    meeting = selectors.meeting_get_for_panel(access=request.access, pk=pk)
    try:
        rolled = panel_meeting_close(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Meeting closed. {len(rolled)} request(s) without a decision moved to the next "
            "meeting.",
        )
    return redirect("transfers:meeting_agenda", pk=pk)


@permissions.role_required(MINUTES_ROLES)
def meeting_minutes(request, pk: int):
    meeting = selectors.meeting_get_for_panel(access=request.access, pk=pk)
    if not meeting.decisions.exists() and not meeting.is_closed:
        raise Http404("No minutes yet: the meeting has made no decisions.")
    pdf = meeting_minutes_pdf(meeting=meeting)
    response = HttpResponse(pdf, content_type="application/pdf")
    local = timezone.localtime(meeting.meets_at)
    response["Content-Disposition"] = (
        f'attachment; filename="housing-panel-minutes-{local:%Y-%m-%d}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response
