"""Support, police, safeguarding and welfare calls on a case (W12, W13, W14, W15)."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from accounts import permissions
from cases.models import CaseAccess, Incident
from cases.services.records import StaleIncidentError
from cases.views.access import case_view
from cases.views.common import stale_refused

from ..forms import (
    PoliceForm,
    ReferralUpdateForm,
    SafeguardingForm,
    SupportOfferForm,
    WelfareCallForm,
)
from ..selectors import referral_get
from ..services.police import incident_police_update
from ..services.referrals import support_offer, support_referral_update
from ..services.safeguarding import safeguarding_referral_make, welfare_call_log
from .common import case_form_page


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_SUPPORT)
def support_offer_view(request, case):
    form = SupportOfferForm(request.POST or None, case=case)

    def save(data):
        referral = support_offer(case=case, by=request.user, **data)
        return f"{referral.agency}: {referral.get_status_display().lower()}."

    return case_form_page(request, case=case, form=form, title="Offer support (W12)", save=save)


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_SUPPORT, object_kwarg="referral_pk")
def support_referral_update_view(request, case, referral_pk: int):
    referral = referral_get(case=case, pk=referral_pk)
    form = ReferralUpdateForm(
        request.POST or None,
        initial={
            "status": referral.status,
            "consent": referral.consent,
            "outcome": referral.outcome,
        },
    )

    def save(data):
        support_referral_update(referral=referral, by=request.user, **data)
        return "Support updated."

    return case_form_page(
        request, case=case, form=form, title=f"Support from {referral.agency}", save=save
    )


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_SUPPORT, object_kwarg="incident_pk")
def police_update_view(request, case, incident_pk: int):
    incident = get_object_or_404(Incident, case=case, pk=incident_pk)
    form = PoliceForm(request.POST or None, instance=Incident.objects.get(pk=incident.pk))

    def save(data):
        version = data.pop("version")
        try:
            incident_police_update(
                incident=incident, by=request.user, expected_version=version, **data
            )
        except StaleIncidentError:
            now = Incident.objects.get(pk=incident.pk)
            stale_refused(
                form,
                "incident",
                now.version,
                "Someone else changed this incident after you opened this page, so nothing "
                "was saved. Now recorded: reported to the police: "
                f"{now.get_police_reported_display()}; crime reference: "
                f"{now.crime_reference or 'none'}. Your answers are below: check and save "
                "again.",
            )
            raise ValidationError([]) from None  # the message is on the form already
        return "Police details saved."

    return case_form_page(
        request,
        case=case,
        form=form,
        title=f"Police: {incident}",
        save=save,
        intro="If it has not been reported, encourage the victim to: 999 in an emergency, "
        "101 otherwise, or online (W14).",
    )


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_SUPPORT)
def safeguarding_referral_view(request, case):
    form = SafeguardingForm(request.POST or None, case=case)

    def save(data):
        safeguarding_referral_make(case=case, by=request.user, **data)
        return "Safeguarding referral recorded."

    return case_form_page(
        request, case=case, form=form, title="Safeguarding referral (W15)", save=save
    )


@permissions.role_required(permissions.WORK_CASES)
@case_view(CaseAccess.Action.OPENED_SUPPORT)
def welfare_call_view(request, case):
    form = WelfareCallForm(request.POST or None, case=case)

    def save(data):
        welfare_call_log(case=case, by=request.user, **data)
        return "Welfare call logged."

    return case_form_page(
        request, case=case, form=form, title="Log a welfare call (W13)", save=save
    )
