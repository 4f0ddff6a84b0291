from django import forms
from django.utils import timezone

from cases.forms.widgets import DateTimeEntryField

from .models import DamageKind, RepairStatus


def _now():
    return timezone.localtime().replace(second=0, microsecond=0)


class RepairForm(forms.Form):
    kind = forms.ChoiceField(label="Damage", choices=DamageKind.choices)
    description = forms.CharField(max_length=300)
    location = forms.CharField(max_length=200, required=False)
    offensive = forms.BooleanField(
        label="Offensive or discriminatory graffiti",
        required=False,
        help_text="To be removed within 24 hours where the policy says so (C19).",
    )
    emergency = forms.BooleanField(label="Emergency repair", required=False)
    reported_at = DateTimeEntryField(label="Reported to the Customer Service Centre", initial=_now)
    repair_reference = forms.CharField(label="Repair reference", max_length=40, required=False)


class RepairUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=RepairStatus.choices)
    repair_reference = forms.CharField(label="Repair reference", max_length=40, required=False)
    completed_at = DateTimeEntryField(label="Done (when status is done)", required=False)
    repair_cost = forms.DecimalField(min_value=0, max_digits=9, decimal_places=2, initial=0)
    cleanup_cost = forms.DecimalField(
        label="Clean-up cost", min_value=0, max_digits=9, decimal_places=2, initial=0
    )
