"""Logging a report: the report itself, the victim or complainant, and the perpetrator."""

from django import forms
from django.utils import timezone

from accounts.models import Area, Role, User

from ..models import Case
from ..models.choices import (
    HateGround,
    IncidentAct,
    PartyRole,
    PerceivedBy,
    PerpetratorKind,
    PoliceReported,
    Tenure,
)
from .suggest import suggest_matches
from .widgets import DateEntryField, DateTimeEntryField, not_in_future


class OutOfScopeForm(forms.Form):
    """W02, C03: the questions that send a report to another procedure."""

    victim_is_staff = forms.BooleanField(
        required=False,
        label="The person harassed is a member of our staff",
        help_text="Harassment of staff is handled under the HR policies, not this procedure.",
    )
    about_staff_or_contractor = forms.BooleanField(
        required=False,
        label="The report is a complaint about a member of staff or a contractor",
        help_text="Complaints about staff or contractors go to the complaints procedure.",
    )


def officer_choices(organisation):
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role__in=[Role.OFFICER, Role.MANAGER],
        )
        .distinct()
        .order_by("full_name")
    )


# What ticking "fear of violence" does, said where it is ticked (intake and case edit).
FEAR_OF_VIOLENCE_HELP = (
    "The complainant fears violence, or violence has been threatened. This shortens the case"
    " officer contact (C19), interview (C20) and action plan (C21) deadlines to your policy's"
    " timescales for violence, and a Friday report prompts a weekend-support referral (C16)."
)


class ReportForm(forms.ModelForm):
    assignment = forms.ChoiceField(
        label="Assign the case",
        choices=[("area", "To the officer for the area"), ("hand", "To the officer I choose")],
        initial="area",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who takes the case"},
    )
    # The first incident, recorded in the same journey (C08, W04, W14).
    occurred_at = DateTimeEntryField(
        label="When it happened",
        error_messages={"required": "Enter when it happened"},
    )
    acts = forms.MultipleChoiceField(
        label="What happened (tick all that apply)",
        choices=IncidentAct.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what happened"},
    )
    grounds = forms.MultipleChoiceField(
        label="Hostility perceived because of (tick all that apply)",
        choices=HateGround.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # Asked only once a ground is ticked, and a crime reference only once the police were told
    # (forms.js; without script both show).
    perceived_by = forms.ChoiceField(
        label="Perceived by",
        choices=[("", "Select…"), *PerceivedBy.choices],
        required=False,
        widget=forms.Select(attrs={"data-show-if": "grounds=*"}),
    )
    police_reported = forms.ChoiceField(
        label="Told the police?",
        choices=PoliceReported.choices,
        initial=PoliceReported.UNKNOWN,
        error_messages={"required": "Select whether the police were told"},
    )
    crime_reference = forms.CharField(
        label="Crime reference",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"data-show-if": f"police_reported={PoliceReported.YES}"}),
    )

    field_order = [
        "received_at",
        "channel",
        "reporter_type",
        "category",
        "summary",
        "area",
        "location",
        "prior_action",
        "fear_of_violence",
        "occurred_at",
        "acts",
        "grounds",
        "perceived_by",
        "police_reported",
        "crime_reference",
        "assignment",
        "assigned_officer",
    ]

    class Meta:
        model = Case
        fields = [
            "received_at",
            "channel",
            "reporter_type",
            "category",
            "summary",
            "area",
            "location",
            "prior_action",
            "fear_of_violence",
            "assigned_officer",
        ]
        field_classes = {"received_at": DateTimeEntryField}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "prior_action": forms.Textarea(attrs={"rows": 3}),
            # Asked only when choosing the officer by hand (forms.js; without script it shows).
            "assigned_officer": forms.Select(attrs={"data-show-if": "assignment=hand"}),
        }
        labels = {"received_at": "When the report was received", "assigned_officer": "Officer"}
        help_texts = {"fear_of_violence": FEAR_OF_VIOLENCE_HELP}
        error_messages = {
            "received_at": {"required": "Enter when the report was received"},
            "channel": {"required": "Select how the report was received"},
            "reporter_type": {"required": "Select who made the report"},
            "category": {"required": "Select the category of the report"},
            "summary": {"required": "Enter what happened"},
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["area"].queryset = Area.objects.filter(organisation=organisation)
        self.fields["assigned_officer"].queryset = officer_choices(organisation)
        # Asked only when choosing by hand, and then needed: not marked "(optional)".
        self.fields["assigned_officer"].hide_optional = True
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_received_at(self):
        return not_in_future(
            self.cleaned_data.get("received_at"), "A report cannot be received in the future."
        )

    def clean_occurred_at(self):
        return not_in_future(
            self.cleaned_data.get("occurred_at"), "An incident cannot be in the future."
        )

    def clean(self):
        data = super().clean()
        if data.get("assignment") == "hand" and not data.get("assigned_officer"):
            self.add_error("assigned_officer", "Select the officer who takes the case")
        if data.get("assignment") == "area" and not data.get("area"):
            self.add_error("area", "Select the area, or choose the officer by hand")
        if data.get("grounds") and not data.get("perceived_by"):
            self.add_error("perceived_by", "Select who perceives the hostility")
        if data.get("crime_reference") and data.get("police_reported") != PoliceReported.YES:
            self.add_error("crime_reference", "A crime reference means it was reported.")
        occurred, received = data.get("occurred_at"), data.get("received_at")
        if occurred and received and occurred > received:
            self.add_error("occurred_at", "The incident cannot be after the report was received.")
        return data


class VictimForm(forms.Form):
    """The complainant or victim, kept short at intake; the full record is on their page."""

    role = forms.ChoiceField(
        label="Their role",
        choices=[(PartyRole.VICTIM, "Victim"), (PartyRole.COMPLAINANT, "Complainant")],
        initial=PartyRole.VICTIM,
        error_messages={"required": "Select whether they are the victim or the complainant"},
    )
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter the full name of the victim or complainant"},
    )
    date_of_birth = DateEntryField(label="Date of birth", required=False, autocomplete="bday")
    phone = forms.CharField(label="Phone", max_length=40, required=False)
    email = forms.EmailField(label="E-mail", required=False)
    address = forms.CharField(
        label="Address", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    tenure = forms.ChoiceField(
        label="Tenure",
        choices=Tenure.choices,
        initial=Tenure.TENANT,
        error_messages={"required": "Select their tenure"},
    )
    preferred_language = forms.CharField(
        label="Preferred language",
        initial="English",
        max_length=60,
        error_messages={"required": "Enter their preferred language"},
    )

    def __init__(self, *args, incident_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident_date = incident_date
        suggest_matches(self, "victim")

    def clean_date_of_birth(self):
        dob = self.cleaned_data.get("date_of_birth")
        if dob and dob > timezone.localdate():
            raise forms.ValidationError("A date of birth cannot be in the future.")
        if dob and self.incident_date and dob > self.incident_date:
            raise forms.ValidationError("That date of birth is after the incident.")
        return dob

    def person_fields(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "full_name",
                "date_of_birth",
                "phone",
                "email",
                "address",
                "postcode",
                "tenure",
                "preferred_language",
            )
        }


class PerpetratorForm(forms.Form):
    kind = forms.ChoiceField(
        label="The alleged perpetrator is",
        choices=PerpetratorKind.choices,
        initial=PerpetratorKind.UNKNOWN,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who the alleged perpetrator is"},
    )
    full_name = forms.CharField(label="Name", max_length=200, required=False)
    description = forms.CharField(
        label="Description (for an unknown person or a group)", max_length=255, required=False
    )
    address = forms.CharField(
        label="Address", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    tenure = forms.ChoiceField(
        label="Tenure",
        choices=Tenure.choices,
        initial=Tenure.UNKNOWN,
        error_messages={"required": "Select their tenure"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        suggest_matches(self, "perpetrator")

    def clean(self):
        data = super().clean()
        if data.get("kind") == PerpetratorKind.NAMED and not data.get("full_name"):
            self.add_error("full_name", "Enter the name, or choose unknown or group")
        return data
