from django import forms
from django.utils import timezone

from cases.forms.widgets import DateEntryField

from .models import ErasureRequest, PeriodUnit


class RetentionRuleForm(forms.Form):
    amount = forms.IntegerField(label="Keep for", min_value=1, max_value=36500)
    unit = forms.ChoiceField(label="Unit", choices=PeriodUnit.choices)
    reason = forms.CharField(
        label="Why this period",
        max_length=2000,
        error_messages={"required": "Enter why the records are kept this long"},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown with the schedule: the law, guidance or need behind it.",
    )


class HoldForm(forms.Form):
    reason = forms.CharField(
        label="Why the case must be kept",
        max_length=1000,
        error_messages={"required": "Enter why the case must be kept"},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example a claim against us, a police investigation or an Ombudsman "
        "complaint. Nothing of the case is anonymised or deleted while the hold stands.",
    )


class ReleaseForm(forms.Form):
    reason = forms.CharField(
        label="Why the hold can end",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ErasureRequestForm(forms.Form):
    received_on = DateEntryField(label="Request received on", initial=timezone.localdate)
    channel = forms.ChoiceField(label="How it was made", choices=ErasureRequest.Channel.choices)
    grounds = forms.CharField(
        label="What they ask and why",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ErasureDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            ("erase", "Agree: anonymise this person everywhere now"),
            ("refuse", "Refuse"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason for the decision",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For a refusal, the exemption relied on (UK GDPR Art. 17(3)), for example "
        "records needed for legal claims.",
    )
