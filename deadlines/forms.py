from django import forms


class DeadlineWaiveForm(forms.Form):
    reason = forms.CharField(
        label="Why it no longer applies",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": "Say why this deadline no longer applies."},
    )
    stop_recurring = forms.BooleanField(
        label="Stop this recurring promise (do not start the next one)", required=False
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why this deadline no longer applies.")
        return reason
