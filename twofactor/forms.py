from django import forms

from .services.reset import REASON_MAX


class CodeForm(forms.Form):
    """The sign-in's second step: a code from the authenticator app, or a backup code."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows, or one of your backup codes.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "spellcheck": "false",
                "autocapitalize": "off",
            }
        ),
        error_messages={"required": "Enter the code from your authenticator app."},
    )

    def __init__(self, *args, remember_days: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if remember_days:
            self.fields["remember"] = forms.BooleanField(
                label=f"Remember this device for {remember_days} days",
                required=False,
                help_text="Only on a computer nobody else uses. Changing your password makes "
                "it ask again.",
            )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label="Code from your app",
        max_length=10,
        help_text="Enter the 6-digit code the app shows now, to prove it is set up.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter the 6-digit code your app shows."},
    )


class ResetForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded with the reset, e.g. “Lost phone; identity checked in person”.",
        error_messages={
            "required": "Give a reason for resetting their two-factor sign-in.",
            "max_length": f"Keep the reason to {REASON_MAX} characters or fewer.",
        },
    )
