from django import forms
from django.utils import timezone

from cases.forms.widgets import DateEntryField
from cases.models.choices import PartyRole

from .models import ActionStatus, Remedy


def _perpetrators(case):
    return case.parties.filter(role=PartyRole.PERPETRATOR).select_related("person")


class ConvictionForm(forms.Form):
    party = forms.ModelChoiceField(label="Perpetrator", queryset=None)
    offence = forms.CharField(max_length=200)
    court = forms.CharField(max_length=150, required=False)
    convicted_on = DateEntryField()

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = _perpetrators(case).filter(person__isnull=False)


class EnforcementActionForm(forms.Form):
    party = forms.ModelChoiceField(label="Perpetrator", queryset=None)
    remedy = forms.ChoiceField(choices=Remedy.choices)
    status = forms.ChoiceField(choices=ActionStatus.choices, initial=ActionStatus.APPLIED)
    action_date = DateEntryField(
        label="Date of the warning or application", initial=timezone.localdate
    )
    confirmation = forms.CharField(
        label="What confirms the behaviour",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Needed for a written warning: a witness, the police, evidence (C24).",
    )
    with_notice = forms.NullBooleanField(
        label="Injunction applied for with notice",
        required=False,
        widget=forms.NullBooleanSelect(),
        help_text="Injunctions only; 'Unknown' otherwise.",
    )
    power_of_arrest = forms.BooleanField(label="Power of arrest attached", required=False)
    legal_costs = forms.DecimalField(
        label="External legal costs (£)", min_value=0, max_digits=9, decimal_places=2, initial=0
    )
    other_costs = forms.DecimalField(
        label="Other external costs (£)", min_value=0, max_digits=9, decimal_places=2, initial=0
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = _perpetrators(case)


class EnforcementUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)
    legal_costs = forms.DecimalField(
        label="External legal costs (£)", min_value=0, max_digits=9, decimal_places=2
    )
    other_costs = forms.DecimalField(
        label="Other external costs (£)", min_value=0, max_digits=9, decimal_places=2
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
