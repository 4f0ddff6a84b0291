"""Forms for support (W12), police (W14), safeguarding (W15), welfare calls (W13) and the
action plan (C12, C21, C22)."""

from django import forms
from django.utils import timezone

from cases.forms.widgets import DateEntryField, DateTimeEntryField
from cases.models import Incident
from cases.models.choices import PartyRole
from letters.models import Delivery

from .models import (
    ActionKind,
    ActionStatus,
    Agency,
    ReviewOutcome,
    SafeguardingKind,
    SupportStatus,
)


def _now():
    return timezone.localtime().replace(second=0, microsecond=0)


def _people(case, roles=(PartyRole.VICTIM, PartyRole.COMPLAINANT, PartyRole.WITNESS)):
    return case.parties.filter(role__in=roles, person__isnull=False).select_related("person")


class AgencyForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Agency
        fields = ["name", "kind", "description", "phone", "email", "website", "active"]


class SupportOfferForm(forms.Form):
    party = forms.ModelChoiceField(label="Offered to", queryset=None)
    agency = forms.ModelChoiceField(queryset=None)
    offered_at = DateTimeEntryField(label="When", initial=_now)
    consent = forms.BooleanField(
        label="They consent to a referral",
        required=False,
        help_text="A referral passes their details to the agency.",
    )
    refer = forms.BooleanField(label="Referral made now", required=False)
    outcome = forms.CharField(
        label="Notes", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = _people(case)
        self.fields["agency"].queryset = Agency.objects.filter(
            organisation=case.organisation, active=True
        )


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=SupportStatus.choices)
    consent = forms.BooleanField(label="They consent to a referral", required=False)
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class PoliceForm(forms.ModelForm):
    # The incident's version when the form was made: a save after someone else's is refused.
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Incident
        fields = ["police_reported", "police_advice", "crime_reference", "police_officer"]
        labels = {"police_advice": "Advice given (W14)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


class SafeguardingForm(forms.Form):
    party = forms.ModelChoiceField(label="Who is at risk", queryset=None)
    kind = forms.ChoiceField(choices=SafeguardingKind.choices, widget=forms.RadioSelect)
    local_authority = forms.CharField(max_length=150)
    referred_at = DateTimeEntryField(label="Referred", initial=_now)
    authority_reference = forms.CharField(label="Their reference", max_length=60, required=False)
    concern = forms.CharField(
        label="The concern referred", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = case.parties.filter(person__isnull=False).select_related(
            "person"
        )


class WelfareCallForm(forms.Form):
    party = forms.ModelChoiceField(label="Called", queryset=None)
    occurred_at = DateTimeEntryField(label="When", initial=_now)
    reached = forms.BooleanField(
        label="Spoke with them",
        required=False,
        initial=True,
        help_text="Untick for no answer: the welfare call is still due.",
    )
    wellbeing = forms.CharField(
        label="How they are", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    support_in_place = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    police_progress = forms.CharField(
        label="Progress of any police case",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = _people(case, (PartyRole.VICTIM, PartyRole.COMPLAINANT))


class PlanActionForm(forms.Form):
    kind = forms.ChoiceField(choices=ActionKind.choices, widget=forms.RadioSelect, initial="action")
    description = forms.CharField(label="What will be done", max_length=300)
    owner = forms.CharField(label="Who will do it", max_length=150)
    protects = forms.ModelChoiceField(
        label="Whose safety it protects (safety measures)", queryset=None, required=False
    )
    due_date = DateEntryField()

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protects"].queryset = _people(case)


class PlanActionUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)
    owner = forms.CharField(label="Who will do it", max_length=150)
    due_date = DateEntryField()


class PlanAgreeForm(forms.Form):
    agreed_at = DateTimeEntryField(label="Agreed with the complainant", initial=_now)


class PlanReviewForm(forms.Form):
    reviewed_at = DateTimeEntryField(label="Reviewed", initial=_now)
    outcome = forms.ChoiceField(choices=ReviewOutcome.choices)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class PlanIssueForm(forms.Form):
    """C22: the updated plan goes to the complainant (or the victim) as a letter."""

    recipient = forms.ModelChoiceField(label="To", queryset=None, empty_label=None)
    delivery = forms.ChoiceField(
        label="How it goes",
        required=False,
        choices=[("", "E-mail if we have their address, otherwise post"), *Delivery.choices],
    )
    reason = forms.CharField(label="A line for the letter", required=False, max_length=200)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        people = _people(case, roles=(PartyRole.COMPLAINANT, PartyRole.VICTIM)).order_by("role")
        self.fields["recipient"].queryset = people
        self.fields["recipient"].label_from_instance = lambda p: (
            f"{p.display_name} ({p.get_role_display().lower()})"
        )
