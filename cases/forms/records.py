"""Incidents (C08, W04, C06), contacts, notes and evidence on a case."""

from django import forms
from django.conf import settings

from ..models import CaseReview, Contact, Evidence, Incident
from ..models.choices import HateGround, IncidentAct
from .widgets import DateTimeEntryField, not_in_future


class IncidentForm(forms.ModelForm):
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

    class Meta:
        model = Incident
        fields = [
            "occurred_at",
            "location",
            "description",
            "acts",
            "grounds",
            "perceived_by",
            "parties",
            "police_reported",
            "police_advice",
            "crime_reference",
            "police_officer",
        ]
        field_classes = {"occurred_at": DateTimeEntryField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "parties": forms.CheckboxSelectMultiple,
            # Follow-up questions (forms.js): who perceives the hostility once a ground is
            # ticked, the crime reference and officer once the police were told.
            "perceived_by": forms.Select(attrs={"data-show-if": "grounds=*"}),
            "crime_reference": forms.TextInput(attrs={"data-show-if": "police_reported=yes"}),
            "police_officer": forms.TextInput(attrs={"data-show-if": "police_reported=yes"}),
        }
        labels = {"parties": "Who was involved"}
        error_messages = {
            "occurred_at": {"required": "Enter when it happened"},
            "description": {"required": "Enter what happened"},
            "police_reported": {"required": "Select whether the police were told"},
        }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        if "parties" in self.fields:
            self.fields["parties"].queryset = case.parties.select_related("person")
            self.fields["parties"].label_from_instance = str

    def clean_occurred_at(self):
        return not_in_future(
            self.cleaned_data.get("occurred_at"), "An incident cannot be in the future."
        )


class IncidentEditForm(IncidentForm):
    """Correcting a recorded incident: everything but who was involved (which has its own
    page), with the version it was read at and the officer's reason."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why are you changing this incident?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta(IncidentForm.Meta):
        fields = [name for name in IncidentForm.Meta.fields if name != "parties"]

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if not self.is_bound:
            self.initial.update(
                version=self.instance.version,
                acts=[entry.act for entry in self.instance.acts.all()],
                grounds=[entry.ground for entry in self.instance.grounds.all()],
            )


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["party", "occurred_at", "method", "direction", "purpose", "reached", "notes"]
        field_classes = {"occurred_at": DateTimeEntryField}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"party": "With", "occurred_at": "When"}
        error_messages = {
            "occurred_at": {"required": "Enter when the contact was"},
            "method": {"required": "Select how the contact was made"},
            "direction": {"required": "Select who made the contact"},
            "purpose": {"required": "Select what the contact was for"},
        }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = case.parties.select_related("person")
        self.fields["party"].label_from_instance = str

    def clean_occurred_at(self):
        return not_in_future(
            self.cleaned_data.get("occurred_at"), "A contact cannot be in the future."
        )


class CaseReviewForm(forms.ModelForm):
    """C26's review. The service holds the rules (open case, not in the future)."""

    class Meta:
        model = CaseReview
        fields = ["reviewed_at", "outcome", "summary"]
        field_classes = {"reviewed_at": DateTimeEntryField}
        error_messages = {
            "reviewed_at": {"required": "Enter when the review was"},
            "outcome": {"required": "Select what the review decided"},
            "summary": {"required": "Enter a summary of the review"},
        }
        widgets = {
            "outcome": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"outcome": "What the review decided"}
        help_texts = {
            "summary": "Progress against the action plan, the complainant's view, "
            "what happens next."
        }


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the note"},
    )
    disclosable = forms.BooleanField(
        label="May be disclosed to the people it is about",
        required=False,
        help_text="Left unticked, the note stays out of subject access exports.",
    )


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ["kind", "description", "incident", "file"]
        labels = {"incident": "About the incident"}
        error_messages = {
            "kind": {"required": "Select the kind of evidence"},
            "description": {"required": "Describe the evidence"},
            "file": {"required": "Choose the file"},
        }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = case.incidents.all()

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        limit = settings.HAVEN_EVIDENCE_MAX_BYTES
        if upload is not None and upload.size > limit:
            raise forms.ValidationError(
                f"The file is larger than the limit of {limit // (1024 * 1024)} MB."
            )
        return upload


class IncidentPartiesForm(forms.Form):
    parties = forms.ModelMultipleChoiceField(
        label="Who was involved",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick everyone in this case who was involved in this incident.",
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = case.parties.select_related("person")
        self.fields["parties"].label_from_instance = str
