from django import forms
from django.utils import timezone

from cases.forms.widgets import DateTimeEntryField, not_in_future


class PersonSearchForm(forms.Form):
    name = forms.CharField(
        label="Name of the person making the request",
        max_length=100,
        help_text="At least three letters of their name or known-as name.",
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if len(name) < 3:
            raise forms.ValidationError("Type at least three letters of the name.")
        return name


class _Received(forms.Form):
    received_at = DateTimeEntryField(label="When the request was received")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_received_at(self):
        return not_in_future(
            self.cleaned_data.get("received_at"), "A request cannot be received in the future."
        )


class SubjectAccessRequestForm(_Received):
    identity_check = forms.CharField(
        label="How you confirmed their identity",
        max_length=300,
        help_text="For example: photo ID seen at the office; called back on the number held.",
    )


class RectificationRequestForm(_Received):
    details = forms.CharField(
        label="What they say is wrong, and what it should say",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReleaseForm(forms.Form):
    reviewed = forms.BooleanField(
        label="I have read the whole bundle and other people's details are withheld",
        required=False,
    )
    release_note = forms.CharField(
        label="How it goes to the person",
        max_length=300,
        required=False,
        help_text="For example: handed over at the office; sent by recorded post.",
    )


class PrepareAgainForm(forms.Form):
    reason = forms.CharField(
        label="Why prepare it again",
        max_length=300,
        required=False,
        help_text="For example: a note marked disclosable; the address corrected.",
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("accept", "Accept: correct the record"), ("refuse", "Refuse")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason for the decision",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text="The person is told this reason; a refusal must say why.",
    )


class NoteDisclosureForm(forms.Form):
    reason = forms.CharField(
        label="Why it may be disclosed",
        max_length=300,
        required=False,
        help_text="For example: records only what we told them; names nobody else.",
    )
