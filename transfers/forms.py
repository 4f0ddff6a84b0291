from django import forms

from cases.forms.widgets import DateEntryField
from cases.models import Case, Evidence, Incident
from cases.selectors import people_visible_to
from cases.services.parties import NOT_OFFERED
from policy.formats import uk_date

from . import choices
from .services.referrals import jv_route_applies, movable_people


class IncidentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"Incident on {uk_date(obj.occurred_at)}"


class EvidenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_kind_display()}: {obj.description}"


class ReferralForm(forms.Form):
    """W17 / C25 referral. The JV route is offered only when a JV tenancy is involved."""

    referral_type = forms.ChoiceField(
        label="Type of move",
        choices=choices.ReferralType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of move"},
    )
    household: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="Who is to move",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="The victim or complainant and the members of their household.",
        error_messages={"required": "Select who is to move"},
    )
    reasons = forms.MultipleChoiceField(
        label="Why",
        choices=choices.Reason.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select why the household needs to move"},
    )
    reason_details = forms.CharField(
        label="Why the household cannot stay",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The panel reads this. Do not name witnesses or perpetrators.",
        error_messages={"required": "Enter why the household cannot stay"},
    )
    urgency = forms.ChoiceField(
        choices=choices.Urgency.choices,
        error_messages={"required": "Select how urgent the move is"},
    )
    bedrooms_needed = forms.IntegerField(
        label="Bedrooms needed",
        min_value=0,
        max_value=8,
        error_messages={
            "required": "Enter the number of bedrooms needed",
            "invalid": "Bedrooms needed must be a number, like 2",
            "min_value": "Bedrooms needed must be 0 or more",
            "max_value": "Bedrooms needed must be 8 or fewer",
        },
    )
    accessibility_needs = forms.CharField(
        label="Accessibility needs", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    areas_to_avoid = forms.CharField(
        label="Areas to avoid", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    incidents = IncidentChoiceField(
        label="Incidents to put before the panel",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence = EvidenceChoiceField(
        label="Evidence to put before the panel",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    route = forms.ChoiceField(
        label="Route",
        choices=choices.Route.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    # Asked only on the joint-venture route (forms.js; without script they show).
    local_authority = forms.CharField(
        label="Local authority referred to",
        required=False,
        widget=forms.TextInput(attrs={"data-show-if": f"route={choices.Route.JV_LOCAL_AUTHORITY}"}),
    )
    local_authority_referred_on = DateEntryField(label="Date of the joint referral", required=False)

    def __init__(self, *args, case: Case, user, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        # Only people this user may see: a household member who appears only on restricted
        # cases they may not open is neither offered nor accepted.
        visible = people_visible_to(user=user, access=access).values("pk")
        people = (
            movable_people(case=case)
            .filter(pk__in=visible)
            .select_related("tenancy_holder")
            .order_by("full_name")
        )
        self.fields["household"].queryset = people  # type: ignore[attr-defined]
        self.fields["household"].error_messages["invalid_choice"] = NOT_OFFERED
        self.fields["incidents"].queryset = Incident.objects.filter(  # type: ignore[attr-defined]
            case=case
        )
        self.fields["evidence"].queryset = Evidence.objects.filter(  # type: ignore[attr-defined]
            case=case
        )
        # W17: the JV route exists only where a joint-venture tenancy is involved.
        self.jv_case = jv_route_applies(people=list(people))
        if not self.jv_case:
            for name in ("route", "local_authority", "local_authority_referred_on"):
                del self.fields[name]
        else:
            self.fields["route"].initial = choices.Route.JV_LOCAL_AUTHORITY

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["household"] = list(data["household"])
        data["incidents"] = list(data["incidents"])
        data["evidence"] = list(data["evidence"])
        data["route"] = data.get("route") or choices.Route.PANEL
        data.setdefault("local_authority", "")
        data.setdefault("local_authority_referred_on", None)
        return data


class VoteForm(forms.Form):
    vote = forms.ChoiceField(
        label="Your vote",
        choices=choices.Vote.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select your vote"},
    )
    comment = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a comment on your vote"},
    )


class ProgressForm(forms.Form):
    step = forms.ChoiceField(
        label="Next step", choices=(), error_messages={"required": "Select the next step"}
    )
    note = forms.CharField(label="Note (no personal details)", required=False, max_length=255)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, next_step: str, **kwargs):
        super().__init__(*args, **kwargs)
        step_field = self.fields["step"]
        step_field.choices = [  # type: ignore[attr-defined]
            (next_step, choices.ReferralStatus(next_step).label)
        ]
