"""The public report form, one question per step (W07, C13), and the triage forms.

Every field has a label, a hint where it helps and a maximum length: the form is open to
anyone on the internet.
"""

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.forms.widgets import DateEntry, DateEntryField
from system.antivirus import upload_check

from ..models import Case
from ..models.choices import Category, HateGround, IncidentAct, PreferredFormat, ReporterType
from ..models.online import OnlineReport
from ..services.online import CASE_NOT_OFFERED

TEXT_MAX = 200
LONG_TEXT_MAX = 5000

YES_NO = [("yes", "Yes"), ("no", "No")]

WHO_CHOICES = [
    (ReporterType.VICTIM.value, "It happened to me"),
    (ReporterType.WITNESS.value, "I saw or heard it happen to someone else"),
    (ReporterType.ON_BEHALF.value, "I am reporting for someone else"),
]

# The hate grounds (W04, C06) in plain words.
GROUND_CHOICES = [
    (HateGround.DISABILITY.value, "A disability"),
    (HateGround.RACE.value, "Race or ethnic background"),
    (HateGround.COLOUR.value, "Skin colour"),
    (HateGround.NATIONALITY.value, "Where someone is from, or their nationality"),
    (HateGround.RELIGION.value, "Religion or beliefs"),
    (HateGround.SEXUAL_ORIENTATION.value, "Being gay, lesbian, bisexual or straight"),
    (HateGround.TRANSGENDER.value, "Being trans or non-binary"),
    (HateGround.GENDER.value, "Being a woman or a man"),
    (HateGround.AGE.value, "Age"),
    (HateGround.ILLNESS.value, "An illness"),
]

ACT_CHOICES = [
    (IncidentAct.VERBAL_ABUSE.value, "Shouting, swearing or insults"),
    (IncidentAct.THREATS.value, "Threats to hurt someone"),
    (IncidentAct.ASSAULT.value, "Someone was hit or hurt"),
    (IncidentAct.CRIMINAL_DAMAGE.value, "Damage to a home, car or belongings"),
    (IncidentAct.GRAFFITI.value, "Graffiti, notes or letters"),
    (IncidentAct.ONLINE_ABUSE.value, "Messages online or on a phone"),
    (IncidentAct.INTIMIDATION.value, "Bullying or being followed"),
    (IncidentAct.OTHER.value, "Something else"),
]

VICTIM_KNOWS = [("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")]

TIME_OF_DAY = [
    ("", "Not sure"),
    ("morning", "Morning"),
    ("afternoon", "Afternoon"),
    ("evening", "Evening"),
    ("night", "Night"),
]


class StepForm(forms.Form):
    """A step of the public form. ``title`` is the page's question (its h1)."""

    title = ""
    intro = ""

    # Widgets drawn as a fieldset: the fieldset, not each input, carries hint and error.
    CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple, DateEntry)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, (*self.CHOICE_WIDGETS, forms.CheckboxInput)):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"
            if field.help_text and not isinstance(widget, self.CHOICE_WIDGETS):
                widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def full_clean(self):
        super().full_clean()
        # Mark the fields in error so assistive technology reads the message with the field.
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            if isinstance(widget, self.CHOICE_WIDGETS):
                continue  # the fieldset carries the description
            described = [f"id_{name}-error"]
            if self.fields[name].help_text:
                described.insert(0, f"id_{name}-hint")
            widget.attrs["aria-describedby"] = " ".join(described)
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["class"] += " is-invalid"

    def error_links(self) -> list[tuple[str, str]]:
        """The error summary: each message with the id of the field it belongs to."""
        links = []
        for name, errors in self.errors.items():
            if name not in self.fields:
                links += [("", message) for message in errors]
                continue
            target = f"id_{name}"
            if isinstance(self.fields[name].widget, self.CHOICE_WIDGETS):
                target += "_0"
            links += [(target, message) for message in errors]
        return links

    def answers(self) -> dict:
        """What this step adds to the report, as JSON-safe values."""
        out = {}
        for name, value in self.cleaned_data.items():
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            out[name] = value
        return out


class DangerForm(StepForm):
    title = "Are you in danger now?"
    danger = forms.ChoiceField(
        label="Are you in danger now?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="For example, is someone threatening you or trying to get into your home?",
        error_messages={"required": "Select yes if you are in danger now"},
    )


class SafetyForm(StepForm):
    title = "Call 999 now"


class WhoForm(StepForm):
    title = "Who are you?"
    reporter_type = forms.ChoiceField(
        label="Who are you?",
        choices=WHO_CHOICES,
        widget=forms.RadioSelect,
        help_text="You can report something that happened to you or to someone else.",
        error_messages={"required": "Select who you are"},
    )


class WhatForm(StepForm):
    title = "What happened?"
    description = forms.CharField(
        label="Tell us what happened",
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Write it in your own words. Include what was said or done.",
        error_messages={"required": "Tell us what happened"},
    )
    acts = forms.MultipleChoiceField(
        label="What did they do? (optional)",
        choices=ACT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )


class WhenWhereForm(StepForm):
    title = "When and where did it happen?"
    occurred_on = DateEntryField(
        label="Date it happened (optional)",
        required=False,
        help_text="For example, 27 3 2026. Leave it empty if you are not sure.",
    )
    time_of_day = forms.ChoiceField(
        label="Time of day (optional)", choices=TIME_OF_DAY, required=False
    )
    when_text = forms.CharField(
        label="If it has happened more than once, tell us when (optional)",
        max_length=TEXT_MAX,
        required=False,
        help_text="For example, every weekend since January.",
    )
    location = forms.CharField(
        label="Where did it happen?",
        max_length=TEXT_MAX,
        help_text="For example, the stairwell of Oak House, or outside 12 Mill Road.",
        error_messages={"required": "Tell us where it happened"},
    )

    def clean_occurred_on(self):
        day = self.cleaned_data.get("occurred_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return day


class WhyForm(StepForm):
    title = "Do you think it happened because of who you are?"
    intro = "Or because of who they think you are. This helps us tell if it was a hate incident."
    grounds = forms.MultipleChoiceField(
        label="Do you think it was because of any of these? (optional)",
        choices=GROUND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Leave them all empty if none apply or you are not sure.",
    )


class PerpetratorForm(StepForm):
    title = "Who did it?"
    known = forms.ChoiceField(
        label="Do you know who did it?",
        choices=[("yes", "Yes"), ("no", "No, or I am not sure")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you know who did it"},
    )
    perpetrator_name = forms.CharField(
        label="Their name, if you know it (optional)", max_length=TEXT_MAX, required=False
    )
    perpetrator_description = forms.CharField(
        label="Anything that helps us know who they are (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, where they live, what they look like, or a group of people.",
    )


class VictimForm(StepForm):
    title = "Who did it happen to?"
    victim_name = forms.CharField(
        label="Their name (optional)", max_length=TEXT_MAX, required=False
    )
    victim_knows = forms.ChoiceField(
        label="Do they know you are telling us?",
        choices=VICTIM_KNOWS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether they know you are telling us"},
    )


class ContactChoiceForm(StepForm):
    title = "Can we contact you?"
    intro = (
        "We can do more if we can talk to you. If you stay anonymous we will still look into "
        "what you tell us, but we cannot tell you what we did."
    )
    contact_choice = forms.ChoiceField(
        label="Can we contact you?",
        choices=[
            ("contact", "Yes, you can contact me"),
            ("anonymous", "No, I want to stay anonymous"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether we can contact you"},
    )


class DetailsForm(StepForm):
    title = "Your details"
    intro = "Give us at least one safe way to reach you."
    full_name = forms.CharField(
        label="Your name", max_length=TEXT_MAX, error_messages={"required": "Enter your name"}
    )
    phone = forms.CharField(
        label="A safe phone number (optional)",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text="Only give a number that the person who did this cannot see or answer.",
    )
    email = forms.EmailField(
        label="A safe e-mail address (optional)",
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="We will send your reference here. The e-mail will not say what you told us.",
        error_messages={"invalid": "Enter an e-mail address like name@example.com"},
    )
    address = forms.CharField(
        label="A safe address (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    postcode = forms.CharField(label="Postcode (optional)", max_length=10, required=False)

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(f) for f in ("phone", "email", "address")):
            self.add_error("phone", "Give a safe phone number, e-mail address or address")
        return data


class SafeContactForm(StepForm):
    title = "How and when to contact you safely"
    safe_times = forms.CharField(
        label="When is it safe to contact you? (optional)",
        max_length=TEXT_MAX,
        required=False,
        help_text="For example, weekdays between 9am and 3pm.",
    )
    leave_message = forms.ChoiceField(
        label="Can we leave a message?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="For example, a voicemail or a note. Say no if someone else might see it.",
        error_messages={"required": "Select yes if we can leave a message"},
    )
    preferred_language = forms.CharField(
        label="Which language would you like us to use?",
        max_length=60,
        initial="English",
        error_messages={"required": "Tell us which language to use"},
    )
    interpreter = forms.BooleanField(label="I would like an interpreter", required=False)
    preferred_format = forms.ChoiceField(
        label="Do you need letters in another format?",
        choices=PreferredFormat.choices,
        initial=PreferredFormat.STANDARD,
    )


class SendForm(StepForm):
    title = "Send your report"
    upload = forms.FileField(
        label="Add a photo or document (optional)",
        required=False,
        help_text="A JPEG, PNG or PDF file, up to 10 MB.",
    )
    # Spam trap: hidden from people by the stylesheet, filled in by bots.
    website = forms.CharField(label="Leave this empty", max_length=200, required=False)
    # One-time key from the session: a second Send with it gets the first report's reference.
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    ALLOWED_TYPES = {"image/jpeg", "image/png", "application/pdf"}

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return upload
        if upload.size > settings.HAVEN_REPORT_UPLOAD_MAX_BYTES:
            limit = settings.HAVEN_REPORT_UPLOAD_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"The file must be smaller than {limit} MB")
        head = upload.read(2048)
        upload.seek(0)
        kind = filetype.guess(head)
        if kind is None or kind.mime not in self.ALLOWED_TYPES:
            raise forms.ValidationError("The file must be a JPEG, PNG or PDF")
        try:
            upload_check(upload, field="upload")
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["upload"]) from error
        upload.content_type = kind.mime
        return upload

    def answers(self) -> dict:
        return {}


# --- Triage (staff) ------------------------------------------------------------------------


class AcceptForm(forms.Form):
    category = forms.ChoiceField(label="Category", choices=Category.choices)
    area = forms.ModelChoiceField(label="Area", queryset=None, required=False)

    def __init__(self, *args, organisation, suggested_category: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = organisation.areas.order_by("name")
        self.fields["category"].initial = suggested_category


class AddToCaseForm(forms.Form):
    """Only the open cases the triaging user may open are offered or accepted."""

    case = forms.ModelChoiceField(
        label="Open case about the same people",
        queryset=Case.objects.none(),
        help_text="The report becomes a new incident in that case; no new case is counted.",
    )

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["case"].error_messages["invalid_choice"] = CASE_NOT_OFFERED


class RejectForm(forms.Form):
    # Radio buttons with none chosen: a select would offer its first reason as if decided.
    reason = forms.ChoiceField(
        label="Why are you rejecting it?",
        choices=OnlineReport.RejectReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you are rejecting the report"},
    )
    note = forms.CharField(
        label="Note",
        max_length=500,
        required=False,
        help_text="For a duplicate, the other report's reference.",
    )


def _label(choices, value, default: str) -> str:
    return dict(choices).get(value, default) if value else default


def answer_labels(answers: dict) -> dict[str, str]:
    """The report's coded answers as the words the resident chose from, for the triage
    page: never a stored value ("on_behalf", "large_print") or "None"."""
    return {
        "reporter_type": _label(ReporterType.choices, answers.get("reporter_type"), "Not said"),
        "time_of_day": _label(TIME_OF_DAY, answers.get("time_of_day"), ""),
        "victim_knows": _label(VICTIM_KNOWS, answers.get("victim_knows"), "Not said"),
        "preferred_format": _label(
            PreferredFormat.choices, answers.get("preferred_format"), "Not said"
        ),
    }
