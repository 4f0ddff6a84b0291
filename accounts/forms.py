from django import forms
from django.contrib.auth.forms import AuthenticationForm


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


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


# --- Members (organisation admins) ------------------------------------------------------


class MemberFilterForm(forms.Form):
    """The members list's search and role filter (managers and organisation admins)."""

    q = forms.CharField(label="Name or e-mail", required=False, max_length=150)

    def __init__(self, *args, **kwargs):
        from .models import Role

        super().__init__(*args, **kwargs)
        self.fields["role"] = forms.ChoiceField(
            label="Role", required=False, choices=[("", "Any role"), *Role.choices]
        )


def _member_role_fields(form: forms.Form, organisation) -> None:
    from .models import Area, Role

    form.fields["roles"] = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Housing officers and managers can have cases assigned; organisation "
        "admins manage members and settings.",
        error_messages={"required": "Choose at least one role."},
    )
    form.fields["areas"] = forms.ModelMultipleChoiceField(
        label="Areas (housing officers)",
        queryset=Area.objects.filter(organisation=organisation).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The patches they cover: new cases in these areas can go to them.",
    )


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        help_text="If this address already has a Haven account (someone in a partner "
        "organisation, say), the roles are added to that account.",
        error_messages={
            "required": "Enter their e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com",
        },
    )
    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter their full name"}
    )
    job_title = forms.CharField(
        label="Job title",
        max_length=150,
        required=False,
        help_text="As this organisation knows them; other organisations keep their own.",
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        _member_role_fields(self, organisation)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class MemberChangeForm(forms.Form):
    job_title = forms.CharField(label="Job title", max_length=150, required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        _member_role_fields(self, organisation)
        self.fields["counts_as_manager"] = forms.BooleanField(
            label="Counts as a manager on the Housing Panel (W05)",
            required=False,
            help_text="For a panel member who is a manager outside Haven's roles. A panel "
            "decision needs 3 voters, 2 of them managers.",
        )
        self.fields["reason"] = forms.CharField(
            label="Reason for the change",
            max_length=200,
            required=False,
            help_text="Needed when roles, areas or the panel mark change; kept in their history.",
        )


class MemberDeactivateForm(forms.Form):
    prefix = "deactivate"  # it shares the member's page with the change form's "reason"

    reason = forms.CharField(
        label="Reason for deactivating",
        max_length=200,
        help_text="Kept in their history, e.g. “Left the organisation on 31 March”.",
        error_messages={"required": "Say why they are leaving: it is kept in their history."},
    )
