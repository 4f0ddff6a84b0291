"""The policy designer: organisation admins write their landlord's policy here, try it and
publish it; managers read it.

Every write goes through ``policy.services``; every version or rule id in a URL is looked up
only within the user's organisation (another's is a 404), and only a draft's rules are edited.
"""

from __future__ import annotations

from datetime import time as dt_time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import permissions

from .calendar import WorkingCalendar
from .engine import CaseFacts, conditions_words, timescale_words
from .formats import uk_datetime
from .forms import (
    ImportForm,
    MatcherForm,
    MatcherFormSet,
    PolicySettingsForm,
    PresetForm,
    PublishForm,
    RuleForm,
    TimescaleForm,
    TimescaleFormSet,
    TitleForm,
    TryForm,
    filled,
)
from .models import PolicyVersion, Rule
from .schema import PolicyFileError, document_dump, document_of
from .selectors import (
    draft_of,
    policy_changes,
    preset_document,
    rules_with_timescales,
    version_in_force,
    version_with_rules,
    versions_of,
)
from .services import (
    policy_draft_discard,
    policy_draft_retitle,
    policy_draft_start,
    policy_import,
    policy_problems,
    policy_publish,
    policy_settings_update,
    policy_version_create,
    rule_delete,
    rule_save,
)
from .settings import PRESETS, Preset, looser_than_preset, policy_for
from .trial import policy_try, preset_warnings
from .vocabulary import MATCH_FLAGS, MATCH_LISTS, Action

READ = permissions.MANAGE  # managers and organisation admins
WRITE = permissions.ADMINISTER


# Access: one helper per object type, 404 for another organisation's --------------------------


def _version_for(request, version_id: int) -> PolicyVersion:
    return get_object_or_404(
        version_with_rules(PolicyVersion.objects.all()),
        pk=version_id,
        organisation=request.access.organisation,
    )


def _draft_rule_for(request, rule_id: int) -> Rule:
    """A rule of the organisation's draft; a published version's rules are not edited."""
    return get_object_or_404(
        rules_with_timescales(Rule.objects.select_related("version")),
        pk=rule_id,
        version__organisation=request.access.organisation,
        version__status=PolicyVersion.Status.DRAFT,
    )


def _draft_or_404(request) -> PolicyVersion:
    draft = draft_of(request.access.organisation.pk)
    if draft is None:
        raise Http404("There is no draft.")
    return draft


def _calendar(organisation) -> WorkingCalendar:
    return WorkingCalendar.for_policy(policy_for(organisation))


# What people read ------------------------------------------------------------------------


def matcher_words(matcher) -> str:
    """ "a contact (reached) with the alleged perpetrator, by telephone call" """
    words = [str(dict(Action.choices).get(matcher.get("action"), matcher.get("action")))]
    for name, choices in MATCH_LISTS.items():
        if matcher.get(name):
            labels = dict(choices.choices)
            joined = " or ".join(str(labels.get(v, v)).lower() for v in matcher[name])
            words.append({"roles": "with", "methods": "by", "purposes": "for"}[name] + " " + joined)
    words.extend(MATCH_FLAGS[name] for name in MATCH_FLAGS if matcher.get(name))
    return ", ".join(words)


def _rule_rows(rules, warnings=None) -> list[dict]:
    return [
        {
            "rule": rule,
            "timescales": [
                {
                    "words": timescale_words(t.unit, t.amount, every=rule.repeats),
                    "where": conditions_words(t.conditions),
                    "note": t.note,
                }
                for t in rule.timescales.all()
            ],
            "met_by": [matcher_words(m) for m in rule.met_by],
            "warning": (warnings or {}).get(rule.code),
        }
        for rule in rules
    ]


# Pages ----------------------------------------------------------------------------------


@permissions.role_required(READ)
def overview(request):
    organisation = request.access.organisation
    versions = versions_of(organisation.pk)
    found = version_in_force(organisation.pk)
    # The list's copy, with who published it already loaded.
    in_force = next((v for v in versions if found and v.pk == found.pk), None)
    now = timezone.now()
    scheduled = [
        v for v in versions if v.status == PolicyVersion.Status.PUBLISHED and v.effective_from > now
    ]
    draft = next((v for v in versions if v.is_draft), None)
    earlier = [
        v
        for v in versions
        if v.status == PolicyVersion.Status.PUBLISHED
        and v not in scheduled
        and (in_force is None or v.pk != in_force.pk)
    ]
    rules = list(rules_with_timescales(in_force.rules.all())) if in_force else []
    return render(
        request,
        "policy/overview.html",
        {
            "in_force": in_force,
            "scheduled": scheduled,
            "draft": draft,
            "earlier": earlier,
            "rows": _rule_rows(rules),
            "changes": policy_changes(organisation.pk),
            "preset_form": PresetForm(),
            "may_write": request.access.can(WRITE),
        },
    )


@require_POST
@permissions.role_required(WRITE)
def draft_start(request):
    draft = policy_draft_start(organisation=request.access.organisation, by=request.user)
    messages.success(request, f"You are editing draft version {draft.number}.")
    return HttpResponseRedirect(reverse("policy:draft"))


@require_POST
@permissions.role_required(WRITE)
def draft_from_preset(request):
    organisation = request.access.organisation
    form = PresetForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a preset.")
        return HttpResponseRedirect(reverse("policy:overview"))
    if draft_of(organisation.pk) is not None and not form.cleaned_data["replace"]:
        messages.error(
            request,
            "There is already a draft: tick “Replace the current draft” to start again from "
            "the preset.",
        )
        return HttpResponseRedirect(reverse("policy:overview"))
    preset = form.cleaned_data["preset"]
    draft = policy_version_create(
        organisation=organisation,
        document=preset_document(preset),
        by=request.user,
        origin=f"Preset {Preset(preset).label}",
        replace_draft=True,
    )
    messages.success(
        request, f"Draft version {draft.number} holds the {Preset(preset).label} preset."
    )
    return HttpResponseRedirect(reverse("policy:draft"))


@permissions.role_required(READ)
def version_export(request, version_id: int):
    version = _version_for(request, version_id)
    response = HttpResponse(
        document_dump(document_of(version)), content_type="application/yaml; charset=utf-8"
    )
    filename = f"policy-{request.access.organisation.code.lower()}-v{version.number}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@permissions.role_required(WRITE)
def policy_file_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    problem_line = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            draft = policy_import(
                organisation=request.access.organisation, text=text, by=request.user
            )
        except PolicyFileError as error:
            # The text is kept in the box, whichever way it came, so it can be put right.
            data = request.POST.copy()
            data["text"] = text
            form = ImportForm(data)
            form.is_valid()
            form.add_error(form.cleaned_data.get("source") and "text", str(error))
            if form.errors.get("__all__"):
                form.errors.pop("__all__")
            problem_line = error.line
        else:
            messages.success(
                request, f"The file is now draft version {draft.number}: check it and publish."
            )
            return HttpResponseRedirect(reverse("policy:draft"))
    lines = (form["text"].value() or "").splitlines()
    return render(
        request,
        "policy/import.html",
        {
            "form": form,
            "problem_line": problem_line,
            "problem_text": lines[problem_line - 1]
            if problem_line and problem_line <= len(lines)
            else "",
            "has_draft": draft_of(request.access.organisation.pk) is not None,
        },
    )


@permissions.role_required(READ)
def draft(request):
    return _draft_page(request, publish_form=PublishForm())


def _draft_page(request, *, publish_form, title_form=None, status=200):
    organisation = request.access.organisation
    found = version_with_rules(
        PolicyVersion.objects.filter(organisation=organisation, status=PolicyVersion.Status.DRAFT)
    ).first()
    context = {"draft": found, "may_write": request.access.can(WRITE)}
    if found is not None:
        rules = list(found.rules.all())
        settings = policy_for(organisation)
        preset = settings.preset
        warnings = preset_warnings(
            rules=rules,
            preset=preset_document(preset),
            calendar=WorkingCalendar.for_policy(settings),
        )
        context.update(
            rows=_rule_rows(rules, warnings.by_code),
            missing=warnings.missing,
            preset_label=Preset(preset).label,
            problems=policy_problems(version=found),
            publish_form=publish_form,
            title_form=title_form or TitleForm(initial={"title": found.title}),
        )
    return render(request, "policy/draft.html", context, status=status)


@require_POST
@permissions.role_required(WRITE)
def draft_retitle(request):
    draft = _draft_or_404(request)
    form = TitleForm(request.POST)
    if form.is_valid():
        try:
            policy_draft_retitle(version=draft, title=form.cleaned_data["title"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The draft's title is saved.")
            return HttpResponseRedirect(reverse("policy:draft"))
    return _draft_page(request, publish_form=PublishForm(), title_form=form, status=400)


@require_POST
@permissions.role_required(WRITE)
def draft_publish(request):
    draft = draft_of(request.access.organisation.pk)
    if draft is None:
        # A second click on Publish: the first already published the draft.
        messages.info(request, "There is no draft to publish: it has been published already.")
        return HttpResponseRedirect(reverse("policy:overview"))
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            published = policy_publish(
                version=draft, by=request.user, effective_from=form.cleaned_data["effective_from"]
            )
        except ValidationError as error:
            # A time in the past is told beside the field; problems with the rules at the top.
            form.add_error(None, error)
        else:
            when = uk_datetime(published.effective_from)
            messages.success(
                request, f"Version {published.number} is published and takes effect {when}."
            )
            return HttpResponseRedirect(reverse("policy:overview"))
    return _draft_page(request, publish_form=form, status=400)


@require_POST
@permissions.role_required(WRITE)
def draft_discard(request):
    draft = _draft_or_404(request)
    policy_draft_discard(version=draft, by=request.user)
    messages.success(request, f"Draft version {draft.number} is discarded.")
    return HttpResponseRedirect(reverse("policy:overview"))


@permissions.role_required(WRITE)
def rule_edit(request, rule_id: int | None = None):
    if rule_id is None:
        version, rule = _draft_or_404(request), None
    else:
        rule = _draft_rule_for(request, rule_id)
        version = rule.version
    others = version.rules.exclude(pk=rule.pk) if rule else version.rules.all()
    other_codes = [
        (code, f"{title} ({code})") for code, title in others.values_list("code", "title")
    ]
    if request.method == "POST":
        data = request.POST.copy()
        for prefix, more in (("timescales", "add_timescale"), ("met_by", "add_matcher")):
            if more in data:
                total = f"{prefix}-TOTAL_FORMS"
                data[total] = str(int(data.get(total) or 0) + 1)
        form = RuleForm(data, other_codes=other_codes)
        timescales = TimescaleFormSet(data, prefix="timescales")
        matchers = MatcherFormSet(data, prefix="met_by")
        adding_row = "add_timescale" in data or "add_matcher" in data
        if not adding_row and _rule_submit(request, version, rule, form, timescales, matchers):
            messages.success(request, f"Rule “{form.cleaned_data['title']}” saved in the draft.")
            return HttpResponseRedirect(reverse("policy:draft"))
    else:
        initial = RuleForm.initial_of(rule) if rule else None
        form = RuleForm(initial=initial, other_codes=other_codes)
        timescales = TimescaleFormSet(
            prefix="timescales",
            initial=[TimescaleForm.initial_of(t) for t in rule.timescales.all()] if rule else None,
        )
        matchers = MatcherFormSet(
            prefix="met_by",
            initial=[MatcherForm.initial_of(m) for m in rule.met_by] if rule else None,
        )
    return render(
        request,
        "policy/rule_form.html",
        {
            "form": form,
            "timescales": timescales,
            "matchers": matchers,
            "rule": rule,
            "draft": version,
        },
    )


def _rule_submit(request, version, rule, form, timescales, matchers) -> bool:
    valid = all([form.is_valid(), timescales.is_valid(), matchers.is_valid()])
    if not valid:
        return False
    kept_timescales = [f.timescale() for f in filled(timescales, "unit")]
    if not kept_timescales:
        timescales._non_form_errors = timescales.error_class(
            ["Give at least one timescale."], renderer=timescales.renderer
        )
        return False
    data = {
        **{name: form.cleaned_data[name] for name in form.fields},
        "clause": form.cleaned_data["clause"].strip(),
        "timescales": kept_timescales,
        "met_by": [f.matcher() for f in filled(matchers, "action")],
    }
    if not data["met_by"] and not data["window"]:
        matchers._non_form_errors = matchers.error_class(
            ["Say what meets this rule, or mark it a window that closes by itself."],
            renderer=matchers.renderer,
        )
        return False
    try:
        rule_save(version=version, by=request.user, data=data, rule=rule)
    except ValidationError as error:
        for field, messages_ in _errors_by_field(error).items():
            form.add_error(field if field in form.fields else None, messages_)
        return False
    return True


# Which field each of ``document_problems``' messages is about.
PROBLEM_FIELDS = {
    "'then_starts' names no rule": "then_starts",
    "either repeats or starts another": "repeats",
    "no rule starts it": "starts_on",
    "can take an agreed frequency": "agreed_frequency",
}


def _errors_by_field(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return dict(error.message_dict)
    by_field: dict[str, list[str]] = {}
    for message in error.messages:
        field = next((f for words, f in PROBLEM_FIELDS.items() if words in message), "__all__")
        by_field.setdefault(field, []).append(message)
    return by_field


@require_POST
@permissions.role_required(WRITE)
def rule_remove(request, rule_id: int):
    rule = _draft_rule_for(request, rule_id)
    rule_delete(rule=rule, by=request.user)
    messages.success(request, f"Rule “{rule.title}” deleted from the draft.")
    return HttpResponseRedirect(reverse("policy:draft"))


@permissions.role_required(READ)
def try_it(request):
    organisation = request.access.organisation
    versions = versions_of(organisation.pk)
    in_force = version_in_force(organisation.pk)
    choices = [
        (
            str(v.pk),
            f"Draft version {v.number}"
            if v.is_draft
            else f"Version {v.number}{' (in force)' if in_force and v.pk == in_force.pk else ''}",
        )
        for v in versions
    ]
    asked = request.GET.get("version")
    default = next((v for v in versions if str(v.pk) == asked), None) or next(
        (v for v in versions if v.is_draft), in_force
    )
    form = TryForm(
        request.GET if "reported_at" in request.GET else None,
        versions=choices,
        initial={
            "version": str(default.pk) if default else "",
            "reported_at": timezone.localtime().replace(second=0, microsecond=0),
        },
    )
    result, version = None, None
    if form.is_bound and form.is_valid():
        version = next(v for v in versions if str(v.pk) == form.cleaned_data["version"])
        data = form.cleaned_data
        facts = CaseFacts(
            category=data["category"],
            risk_band=data["risk_band"],
            fear_of_violence=data["fear_of_violence"],
            violent_act=data["violent_act"],
            hate_ground=data["hate_ground"],
            damage_kind=data["damage_kind"],
            offensive_graffiti=data["offensive_graffiti"],
            emergency_repair=data["emergency_repair"],
        )
        result = policy_try(
            version=version,
            calendar=_calendar(organisation),
            facts=facts,
            events=form.simulated_events(),
        )
    return render(request, "policy/try.html", {"form": form, "result": result, "version": version})


# --- Working hours and switches (C14) ------------------------------------------------------


def setting_words(field, value) -> str:
    """A preset's value as a person reads it: "Yes", "England and Wales", "09:00", never
    the stored "True", "ENG" or "09:00:00"."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt_time):
        return value.strftime("%H:%M")
    choices = dict(getattr(field, "choices", None) or [])
    if value in choices:
        return str(choices[value])
    return str(value)


@permissions.role_required(permissions.ADMINISTER)
def settings_edit(request):
    """C14: the organisation's timescales, with a warning beside any looser than its preset."""
    organisation = request.access.organisation
    current = policy_for(organisation)
    form = PolicySettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            policy_settings_update(
                organisation=organisation,
                by=request.user,
                values={name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Policy settings saved. They apply to deadlines started from now on."
            )
            return HttpResponseRedirect(reverse("policy:settings"))
    shown = form.instance
    preset = PRESETS.get(shown.preset)
    rows = [
        {
            "field": form[name],
            "clause": preset[name].clause if preset and name in preset else "",
            "preset_value": (
                setting_words(form[name].field, preset[name].value)
                if preset and name in preset
                else None
            ),
        }
        for name in form.Meta.fields
        if name != "preset"
    ]
    warnings = looser_than_preset(shown) if preset else {}
    return render(
        request,
        "policy/settings.html",
        {
            "form": form,
            "rows": rows,
            "warnings": warnings,
            # Each warning under its setting's label, never the field's name.
            "warning_lines": [
                (str(form.fields[name].label) if name in form.fields else name, text)
                for name, text in warnings.items()
            ],
            "history": current.history.select_related("history_user")[:20] if current.pk else [],
        },
    )
