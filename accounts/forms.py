from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .policy import FASTER_TIMESCALES, faster_timescale_errors


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That e-mail address and password do not match an account.",
    }

    def clean_username(self):
        return self.cleaned_data["username"].lower()


class PolicySettingsForm(forms.ModelForm):
    """An organisation admin's policy settings; blank timescales mean "no such promise"."""

    class Meta:
        from .models import PolicySettings

        model = PolicySettings
        fields = [
            "preset",
            "first_contact_hours",
            "officer_contact_days",
            "violence_officer_contact_days",
            "interview_days",
            "violence_interview_days",
            "action_plan_days",
            "violence_action_plan_days",
            "first_plan_review_days",
            "plan_review_days",
            "updated_plan_issue_days",
            "welfare_call_days",
            "repair_hours",
            "case_review_months",
            "false_report_working_days",
            "appeal_window_days",
            "safeguarding_same_working_day",
            "weekend_referral_on_friday",
            "tenancy_action_requires_conviction",
            "reminder_lead_hours",
            "bank_holiday_region",
            "working_day_starts",
            "working_day_ends",
        ]
        widgets = {
            "working_day_starts": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "working_day_ends": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean(self):
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("working_day_starts"), cleaned.get("working_day_ends")
        if starts and ends and starts >= ends:
            self.add_error("working_day_ends", "The working day must end after it starts.")
        for name in ("first_contact_hours", "reminder_lead_hours", "welfare_call_days"):
            if cleaned.get(name) == 0:
                self.add_error(name, "Must be at least 1.")
        for name, message in faster_timescale_errors(cleaned).items():
            # Only where both numbers were valid: a refused one already has its message.
            if name in cleaned and FASTER_TIMESCALES[name] in cleaned:
                self.add_error(name, message)
        return cleaned
