"""The designer's forms. They turn what an admin ticks into a rule in the policy file's shape
(``policy.schema``); ``policy.services.rule_save`` checks it with the rest of the draft."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory

from .engine import slug_for
from .models import PolicySettings
from .settings import Preset
from .vocabulary import (
    CONDITION_FLAGS,
    CONDITION_LISTS,
    CONDITION_WEEKDAYS,
    MATCH_FLAGS,
    MATCH_LISTS,
    UNITS_WITHOUT_AMOUNT,
    WEEKDAYS,
    Action,
    Category,
    DamageKind,
    Event,
    RiskBand,
    Subject,
    Unit,
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MAX_FILE_BYTES = 512 * 1024


def _when(label: str, *, required=False, help_text="") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


def _ticks(label: str, choices, **kwargs) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, **kwargs
    )


YES_NO_ANY = [("", "Any case"), ("yes", "Yes"), ("no", "No")]
FLAG_LABELS = {
    "violence": "Violence or a threat of it",
    "fear_of_violence": "The complainant fears violence",
    "violent_act": "A violent act recorded",
    "hate_ground": "A hate ground recorded",
    "offensive_graffiti": "Offensive or discriminatory graffiti",
    "emergency_repair": "An emergency repair",
}
LIST_LABELS = {"categories": "Categories", "risk_bands": "Risk bands", "damage_kinds": "Damage"}
MATCH_LABELS = {"roles": "With", "methods": "Methods", "purposes": "Purposes"}


class RuleForm(forms.Form):
    title = forms.CharField(max_length=120)
    code = forms.CharField(
        max_length=40,
        required=False,
        help_text="Stable across versions: left blank, it is made from the title.",
    )
    clause = forms.CharField(
        label="Clause reference", max_length=80, required=False, help_text="For example “4.8”."
    )
    promise = forms.CharField(
        label="The promise, in your policy's words",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Officers read this on the case.",
    )
    subject = forms.ChoiceField(label="What it is about", choices=Subject.choices)
    starts_on = forms.ChoiceField(label="What starts it", choices=Event.choices)
    repeats = forms.BooleanField(
        label="Starts again when met, while the case is open", required=False
    )
    then_starts = forms.ChoiceField(
        label="When met, start this rule", required=False, choices=[("", "No other rule")]
    )
    agreed_frequency = forms.BooleanField(
        label="A frequency agreed with the complainant replaces the timescale", required=False
    )
    window = forms.BooleanField(
        label="A window that closes by itself (nothing needs doing)", required=False
    )
    remind_hours_before = forms.IntegerField(
        label="Remind the officer (hours before it is due)", required=False, min_value=0
    )
    tell_manager_when_overdue = forms.BooleanField(
        label="Tell the manager when it is overdue", required=False, initial=True
    )
    adopted_from = forms.CharField(
        label="Adopted from",
        max_length=120,
        required=False,
        help_text="Another policy this rule comes from, if any.",
    )

    def __init__(self, *args, other_codes=(), **kwargs):
        # other_codes: (code, label) of the draft's other rules, for "then starts".
        super().__init__(*args, **kwargs)
        self.fields["then_starts"].choices = [
            ("", "No other rule"),
            *other_codes,
        ]

    def clean_code(self):
        code = self.cleaned_data["code"].strip() or slug_for(self.data.get("title", ""))
        if code != code.lower() or not code.replace("_", "").replace("-", "").isalnum():
            raise forms.ValidationError("Use only small letters, digits, - and _.")
        return code

    @classmethod
    def initial_of(cls, rule) -> dict:
        return {name: getattr(rule, name) for name in cls.base_fields}


class TimescaleForm(forms.Form):
    # Required in a row that is filled in; a blank extra row is left out (empty_permitted).
    unit = forms.ChoiceField(choices=[("", "Choose a unit"), *Unit.choices])
    amount = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=32767,
        help_text="Not used for “the same working day” or “the coming Friday”.",
    )
    categories = _ticks(LIST_LABELS["categories"], Category.choices)
    risk_bands = _ticks(LIST_LABELS["risk_bands"], RiskBand.choices)
    damage_kinds = _ticks(LIST_LABELS["damage_kinds"], DamageKind.choices)
    violence = forms.ChoiceField(label=FLAG_LABELS["violence"], choices=YES_NO_ANY, required=False)
    fear_of_violence = forms.ChoiceField(
        label=FLAG_LABELS["fear_of_violence"], choices=YES_NO_ANY, required=False
    )
    violent_act = forms.ChoiceField(
        label=FLAG_LABELS["violent_act"], choices=YES_NO_ANY, required=False
    )
    hate_ground = forms.ChoiceField(
        label=FLAG_LABELS["hate_ground"], choices=YES_NO_ANY, required=False
    )
    offensive_graffiti = forms.ChoiceField(
        label=FLAG_LABELS["offensive_graffiti"], choices=YES_NO_ANY, required=False
    )
    emergency_repair = forms.ChoiceField(
        label=FLAG_LABELS["emergency_repair"], choices=YES_NO_ANY, required=False
    )
    started_on = _ticks("Started on", [(str(i), day) for i, day in enumerate(WEEKDAYS)])
    note = forms.CharField(
        max_length=120,
        required=False,
        help_text="Shown beside the due time, e.g. “violence or a threat of it”.",
    )

    condition_fields = (*CONDITION_LISTS, *CONDITION_FLAGS, CONDITION_WEEKDAYS)
    list_fields = tuple(CONDITION_LISTS)
    flag_fields = tuple(CONDITION_FLAGS)

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        if not unit:
            return data
        if unit in UNITS_WITHOUT_AMOUNT:
            data["amount"] = None
        elif data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", f"Say how many {Unit(unit).label.split(' (')[0]}.")
        return data

    def timescale(self) -> dict:
        data = self.cleaned_data
        conditions: dict = {}
        for name in CONDITION_LISTS:
            if data.get(name):
                conditions[name] = list(data[name])
        for name in CONDITION_FLAGS:
            if data.get(name):
                conditions[name] = data[name] == "yes"
        if data.get(CONDITION_WEEKDAYS):
            conditions[CONDITION_WEEKDAYS] = sorted(int(day) for day in data[CONDITION_WEEKDAYS])
        return {
            "unit": data["unit"],
            "amount": data["amount"],
            "conditions": conditions,
            "note": data.get("note", ""),
        }

    @staticmethod
    def initial_of(timescale) -> dict:
        conditions = timescale.conditions
        initial = {"unit": timescale.unit, "amount": timescale.amount, "note": timescale.note}
        for name in CONDITION_LISTS:
            initial[name] = conditions.get(name, [])
        for name in CONDITION_FLAGS:
            if name in conditions:
                initial[name] = "yes" if conditions[name] else "no"
        initial[CONDITION_WEEKDAYS] = [str(d) for d in conditions.get(CONDITION_WEEKDAYS, [])]
        return initial


class MatcherForm(forms.Form):
    action = forms.ChoiceField(label="Action", choices=[("", "Choose an action"), *Action.choices])
    roles = _ticks(MATCH_LABELS["roles"], MATCH_LISTS["roles"].choices)
    methods = _ticks(MATCH_LABELS["methods"], MATCH_LISTS["methods"].choices)
    purposes = _ticks(MATCH_LABELS["purposes"], MATCH_LISTS["purposes"].choices)
    in_person = forms.BooleanField(label="Only in person", required=False)
    by_case_officer = forms.BooleanField(label="Only by the case officer", required=False)

    list_fields = tuple(MATCH_LISTS)
    flag_fields = tuple(MATCH_FLAGS)

    def matcher(self) -> dict:
        data = self.cleaned_data
        matcher: dict = {"action": data["action"]}
        for name in MATCH_LISTS:
            if data.get(name):
                matcher[name] = list(data[name])
        for name in MATCH_FLAGS:
            if data.get(name):
                matcher[name] = True
        return matcher

    @staticmethod
    def initial_of(matcher) -> dict:
        return {
            name: matcher.get(name, [] if name in MATCH_LISTS else False)
            for name in ("action", *MATCH_LISTS, *MATCH_FLAGS)
        }


TimescaleFormSet = formset_factory(TimescaleForm, extra=1, can_delete=True)
MatcherFormSet = formset_factory(MatcherForm, extra=1, can_delete=True)


def filled(formset, key: str) -> list:
    """The formset's forms that were filled in (``key`` given), in order, less those ticked
    for removal. Blank extra forms are left out."""
    return [
        form
        for form in formset.forms
        if form.cleaned_data.get(key) and not form.cleaned_data.get("DELETE")
    ]


class TitleForm(forms.Form):
    title = forms.CharField(label="Title of the policy", max_length=200)


class PublishForm(forms.Form):
    effective_from = _when(
        "Takes effect from",
        help_text="Leave blank to publish now. Deadlines started from then on run to it.",
    )


class PresetForm(forms.Form):
    preset = forms.ChoiceField(label="Preset", choices=Preset.choices)
    replace = forms.BooleanField(
        label="Replace the current draft", required=False, help_text="Its changes are lost."
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="A policy file (.yaml or .yml)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,text/yaml"}),
    )
    text = forms.CharField(
        label="Or paste the file's text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false", "class": "font-monospace"}),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            name = upload.name.lower()
            if not name.endswith((".yaml", ".yml")):
                self.add_error("file", "Choose a .yaml or .yml file.")
            elif upload.size > MAX_FILE_BYTES:
                self.add_error("file", "This file is too large for a policy (over 512 KB).")
            else:
                try:
                    data["text"] = upload.read().decode("utf-8-sig")
                    data["source"] = "file"
                except UnicodeDecodeError:
                    self.add_error("file", "This file is not UTF-8 text.")
        elif not (data.get("text") or "").strip():
            self.add_error("text", "Choose a file or paste the policy's text.")
        else:
            data["source"] = "text"
        return data


class TryForm(forms.Form):
    version = forms.ChoiceField(label="Policy version")
    reported_at = _when("Report received", required=True)
    category = forms.ChoiceField(choices=Category.choices)
    risk_band = forms.ChoiceField(
        label="Risk band", choices=[("", "Not assessed"), *RiskBand.choices], required=False
    )
    fear_of_violence = forms.BooleanField(label="The complainant fears violence", required=False)
    violent_act = forms.BooleanField(label="A violent act is recorded", required=False)
    hate_ground = forms.BooleanField(label="A hate ground is recorded", required=False)
    damage_kind = forms.ChoiceField(
        label="Damage reported for repair",
        choices=[("", "No repair"), *DamageKind.choices],
        required=False,
    )
    offensive_graffiti = forms.BooleanField(label="The graffiti is offensive", required=False)
    emergency_repair = forms.BooleanField(label="The repair is an emergency", required=False)

    # Events an officer records after the report; each may be simulated at a time of its own.
    events = [e for e in Event if e not in (Event.REPORT_RECEIVED, Event.PREVIOUS_MET)]

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = versions
        for event in self.events:
            self.fields[f"event_{event}"] = forms.BooleanField(
                label=str(event.label).capitalize(), required=False
            )
            self.fields[f"at_{event}"] = _when(
                f"When {event.label}", help_text="Blank: at the time of the report."
            )

    def event_rows(self):
        return [(self[f"event_{event}"], self[f"at_{event}"]) for event in self.events]

    def simulated_events(self) -> dict:
        data = self.cleaned_data
        events = {Event.REPORT_RECEIVED.value: data["reported_at"]}
        for event in self.events:
            if data.get(f"event_{event}") or data.get(f"at_{event}"):
                events[event.value] = data.get(f"at_{event}") or data["reported_at"]
        if data.get("damage_kind"):
            events.setdefault(Event.REPAIR_REPORTED.value, data["reported_at"])
        return events


class PolicySettingsForm(forms.ModelForm):
    """An organisation admin's working hours, bank holidays, reminders and the W19/C05 switch.
    The timescales themselves are the policy's rules (the policy designer)."""

    class Meta:
        model = PolicySettings
        fields = [
            "preset",
            "tenancy_action_requires_conviction",
            "reminder_lead_hours",
            "bank_holiday_region",
            "working_day_starts",
            "working_day_ends",
            "second_factor_required",
            "remember_device_days",
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
        if cleaned.get("reminder_lead_hours") == 0:
            self.add_error("reminder_lead_hours", "Must be at least 1.")
        return cleaned
