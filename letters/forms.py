"""Forms for letters, templates, the false-report process and closure. No business rules
here: the services validate and the views put their errors beside the fields."""

from django import forms
from django.utils import timezone

from cases.forms.widgets import DateEntryField, DateTimeEntryField
from cases.models.choices import Channel, ReporterType

from .merge import MERGE_FIELDS
from .models import LETTER_RECIPIENT_ROLES, ClosureReason, Delivery, LetterKind

# Letters an officer issues by hand; the others come from their workflows (the action plan
# from the plan's "issue the updated plan", so the letter always says what the plan says).
MANUAL_KINDS = (LetterKind.ACKNOWLEDGEMENT,)


class LetterTemplateForm(forms.Form):
    subject = forms.CharField(max_length=200)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="Plain text; a blank line starts a new paragraph. Merge fields are written "
        "{{ field_name }}: " + ", ".join(MERGE_FIELDS) + ".",
    )
    change_note = forms.CharField(
        label="What changed", max_length=200, required=False, help_text="For the version history."
    )


class LetterIssueForm(forms.Form):
    kind = forms.ChoiceField(label="Letter", choices=[(k.value, k.label) for k in MANUAL_KINDS])
    recipient = forms.TypedChoiceField(
        coerce=int, label="To", error_messages={"required": "Select who the letter is to"}
    )
    delivery = forms.ChoiceField(choices=Delivery.choices, label="How it goes")
    next_contact_on = DateEntryField(
        label="Next in touch by",
        required=False,
        help_text="Acknowledgement (C17): when the officer will next be in touch. Left blank, "
        "the next welfare-call or officer-contact deadline is used.",
    )
    reason = forms.CharField(label="A line for the letter", required=False, max_length=200)

    def __init__(self, *args, parties, kind: str | None = None, kind_url: str = "", **kwargs):
        """``kind`` is the letter chosen so far: only the parties it may be addressed to are
        offered, none preselected unless exactly one fits. Changing the kind fetches the
        fitting list again (``kind_url``); ``letter_issue`` refuses anyone else regardless."""
        super().__init__(*args, **kwargs)
        if kind not in MANUAL_KINDS:
            kind = MANUAL_KINDS[0]
        fitting = [p for p in parties if p.person_id and p.role in LETTER_RECIPIENT_ROLES[kind]]
        choices = [(p.pk, f"{p.display_name} ({p.get_role_display().lower()})") for p in fitting]
        if len(fitting) == 1:
            self.fields["recipient"].initial = fitting[0].pk
        else:
            choices.insert(0, ("", "Choose who the letter is to"))
        self.fields["recipient"].choices = choices
        self.fields["kind"].initial = kind
        if kind_url:
            self.fields["kind"].widget.attrs.update(
                {
                    "hx-get": kind_url,
                    "hx-target": "#div_id_recipient",
                    "hx-select": "#div_id_recipient",
                    "hx-swap": "outerHTML",
                }
            )


class ConcernRaiseForm(forms.Form):
    reasons = forms.CharField(
        label="What the concern is",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Set out in the letter to the complainant (W20). Keep other people's names "
        "out of it.",
    )


class EvidenceLogForm(forms.Form):
    received_at = DateTimeEntryField(
        label="Received",
        initial=lambda: timezone.localtime().replace(second=0, microsecond=0),
    )
    notes = forms.CharField(label="What was received", widget=forms.Textarea(attrs={"rows": 4}))


class ConcernDecideForm(forms.Form):
    resolved = forms.TypedChoiceField(
        label="Outcome",
        coerce=lambda v: v == "yes",
        choices=[
            ("yes", "Resolved: the case goes on"),
            ("no", "Not resolved: send the no-further-support letter and move to closing"),
        ],
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="If not resolved, this is quoted in the letter to the complainant.",
    )


class CaseCloseForm(forms.Form):
    reason = forms.ChoiceField(label="Reason for closing", choices=ClosureReason.choices)
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Quoted in the closure letter to the complainant (W21).",
    )
    discussed_with_complainant = forms.BooleanField(
        label="Closure was discussed with the complainant (C26)", required=False
    )
    discussed_on = DateEntryField(label="Discussed on", required=False)
    discussion_notes = forms.CharField(
        label="Discussion notes",
        required=False,
        max_length=500,
        help_text="What they said, or why it could not be discussed.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AppealForm(forms.Form):
    grounds = forms.CharField(label="Grounds for appeal", widget=forms.Textarea(attrs={"rows": 4}))


class SatisfactionForm(forms.Form):
    score = forms.TypedChoiceField(
        label="How satisfied were you with how we handled your case?",
        coerce=int,
        choices=[
            (5, "Very satisfied"),
            (4, "Satisfied"),
            (3, "Neither"),
            (2, "Dissatisfied"),
            (1, "Very dissatisfied"),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Anything you would like to tell us",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class FollowUpCaseForm(forms.Form):
    received_at = DateTimeEntryField(
        label="Report received",
        initial=lambda: timezone.localtime().replace(second=0, microsecond=0),
    )
    channel = forms.ChoiceField(choices=Channel.choices)
    reporter_type = forms.ChoiceField(label="Reported by", choices=ReporterType.choices)
    summary = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 5}))
