"""Changes to the case itself: details, category (C07), officer, access. All carry a version."""

from django import forms

from accounts.models import Area, User

from ..models import Case
from ..models.choices import Category
from .intake import FEAR_OF_VIOLENCE_HELP, officer_choices

# A reason is kept whole in the case's history (a TextField); the limit only stops a paste
# of a whole document, and the form says so beside the field with the text kept.
REASON_MAX_CHARS = 1000


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CaseEditForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Reason for the change", max_length=REASON_MAX_CHARS, required=False
    )

    class Meta:
        model = Case
        fields = [
            "status",
            "risk_level",
            "area",
            "location",
            "summary",
            "prior_action",
            "fear_of_violence",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "prior_action": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"fear_of_violence": FEAR_OF_VIOLENCE_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(organisation=self.instance.organisation)
        self.fields["status"].choices = [
            c for c in self.fields["status"].choices if c[0] != "closed"
        ]
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version


class RecategoriseForm(VersionedForm):
    category = forms.ChoiceField(label="New category", choices=Category.choices)
    reason = forms.CharField(
        label="Why the category is changing",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX_CHARS,
    )


class ContactFrequencyForm(VersionedForm):
    """W13 / C22. The service holds the range and the rules; the field only reads a number."""

    days = forms.IntegerField(
        label="Welfare calls every (days)",
        required=False,
        help_text="As agreed with the complainant. Leave blank to follow the policy.",
    )
    reason = forms.CharField(
        label="What was agreed, with whom and when", widget=forms.Textarea(attrs={"rows": 2})
    )


class ReassignForm(VersionedForm):
    officer = forms.ModelChoiceField(label="New officer", queryset=User.objects.none())
    reason = forms.CharField(
        label="Why", widget=forms.Textarea(attrs={"rows": 2}), max_length=REASON_MAX_CHARS
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officer_choices(organisation)


class RestrictForm(VersionedForm):
    restricted = forms.BooleanField(label="Restrict this case", required=False)
    named_staff = forms.ModelMultipleChoiceField(
        label="Staff who may open it",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label="Why", widget=forms.Textarea(attrs={"rows": 2}), max_length=REASON_MAX_CHARS
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named_staff"].queryset = (
            User.objects.filter(is_active=True, memberships__organisation=organisation)
            .distinct()
            .order_by("full_name")
        )


class BulkReassignForm(forms.Form):
    cases = forms.ModelMultipleChoiceField(queryset=Case.objects.none())
    officer = forms.ModelChoiceField(
        label="Reassign the ticked cases to", queryset=User.objects.none()
    )
    reason = forms.CharField(label="Why", max_length=REASON_MAX_CHARS)

    def __init__(self, *args, organisation, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        self.fields["officer"].queryset = officer_choices(organisation)
