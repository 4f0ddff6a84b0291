"""A person's record (W22, W02, C10, C11) and their role in a case (C18)."""

from django import forms
from django.utils import timezone

from ..models import Person
from ..models.choices import RESIDENT_TENURES, PartyRole, PerpetratorKind, Tenure
from ..selectors import people_visible_to
from ..services.parties import NOT_OFFERED
from .suggest import suggest_matches
from .widgets import DateEntryField

PERSON_FIELDS = [
    "full_name",
    "known_as",
    "date_of_birth",
    "phone",
    "safe_phone",
    "email",
    "address",
    "postcode",
    "preferred_language",
    "interpreter_needed",
    "preferred_format",
    "tenure",
    "tenancy_reference",
    "tenancy_type",
    "tenancy_holder",
    "adult_at_risk",
    "vulnerability_notes",
    "gender",
    "gender_same_as_birth",
    "ethnicity",
    "religion",
    "sexual_orientation",
    "disability",
    "marital_status",
    "pregnant_or_maternity",
    "disclosure_consent",
]


class PersonForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        field_classes = {"date_of_birth": DateEntryField}
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "vulnerability_notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "disclosure_consent": (
                "Tick only with the person's written permission to tell the other side who "
                "they are (C11). Who recorded it and when is kept."
            ),
            "tenancy_holder": (
                "For a household member or visitor: whose tenancy they belong to (C10)."
            ),
        }

    def __init__(self, *args, user, access, **kwargs):
        super().__init__(*args, **kwargs)
        # Only people this user may see are offered (or accepted: a posted id that was not
        # offered fails with the message below, beside the field).
        visible = people_visible_to(user=user, access=access)
        holders = visible.filter(tenure__in=RESIDENT_TENURES)
        holder_field = self.fields["tenancy_holder"]
        holder_field.error_messages["invalid_choice"] = NOT_OFFERED
        if self.instance.pk:
            holders = holders.exclude(pk=self.instance.pk)
            self.fields["version"].initial = self.instance.version
            current = self.instance.tenancy_holder_id
            if current and not visible.filter(pk=current).exists():
                # A holder this user may not see is neither shown nor changed by them.
                del self.fields["tenancy_holder"]
        if "tenancy_holder" in self.fields:
            holder_field.queryset = holders
        if not self.instance.pk:
            suggest_matches(self, "person")
        for name in (
            "gender",
            "gender_same_as_birth",
            "ethnicity",
            "religion",
            "sexual_orientation",
            "disability",
            "marital_status",
            "pregnant_or_maternity",
        ):
            self.fields[name].required = False

    def clean_date_of_birth(self):
        dob = self.cleaned_data.get("date_of_birth")
        if dob and dob > timezone.localdate():
            raise forms.ValidationError("A date of birth cannot be in the future.")
        return dob

    def clean(self):
        cleaned = super().clean()
        tenancy_type, tenure = cleaned.get("tenancy_type"), cleaned.get("tenure")
        if tenancy_type and tenure not in (Tenure.TENANT, Tenure.JV_TENANT):
            self.add_error(
                "tenancy_type",
                "Only a tenant's tenancy has a type: choose the tenure 'Tenant' or "
                "'Joint-venture tenant', or leave the type as 'Not recorded'.",
            )
        return cleaned

    def person_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS if name in self.fields}


class PartyForm(forms.Form):
    role = forms.ChoiceField(label="Role in this case", choices=PartyRole.choices)
    perpetrator_kind = forms.ChoiceField(
        label="For a perpetrator: who they are",
        choices=PerpetratorKind.choices,
        initial=PerpetratorKind.NAMED,
        required=False,
    )
    description = forms.CharField(
        label="Description (unknown person or group)", max_length=255, required=False
    )

    def needs_person(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (
            data.get("role") == PartyRole.PERPETRATOR
            and data.get("perpetrator_kind") in (PerpetratorKind.UNKNOWN, PerpetratorKind.GROUP)
        )
