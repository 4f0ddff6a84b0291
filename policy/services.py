"""Writing an organisation's policy: drafts, rules, publishing, presets and files.

Only a draft is edited; publishing gives it the time it takes effect, and the deadlines that
start from then on run to its rules. Every change is kept in the models' history with who
made it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from .models import PolicySettings, PolicyVersion, Rule, Timescale
from .schema import RULE_FIELDS, PolicyFileError, document_of, document_parse, document_problems
from .selectors import draft_of, preset_document, version_in_force
from .settings import PRESETS, preset_values

# Effective from the start of time: a preset given to an organisation that had no policy, so
# that every deadline, however old its event, has rules to run to.
SINCE_ALWAYS = datetime(2000, 1, 1, tzinfo=UTC)
DEFAULT_PRESET = "wch_2022"


def _next_number(organisation_id: int) -> int:
    last = PolicyVersion.objects.filter(organisation_id=organisation_id).aggregate(n=Max("number"))
    return (last["n"] or 0) + 1


def _rules_write(version: PolicyVersion, rules, by) -> None:
    for position, data in enumerate(rules):
        rule = Rule(version=version, position=position, **_rule_fields(data))
        rule._history_user = by  # type: ignore[attr-defined]
        rule.save()
        _timescales_write(rule, data["timescales"], by)


def _rule_fields(data: Mapping) -> dict:
    return {name: data[name] for name in RULE_FIELDS}


def _timescales_write(rule: Rule, timescales, by) -> None:
    for position, data in enumerate(timescales):
        timescale = Timescale(
            rule=rule,
            position=position,
            unit=data["unit"],
            amount=data["amount"],
            conditions=data.get("conditions") or {},
            note=data.get("note") or "",
        )
        timescale._history_user = by  # type: ignore[attr-defined]
        timescale.save()


def policy_version_create(
    *, organisation, document: Mapping, by, origin: str, replace_draft: bool = False
) -> PolicyVersion:
    """A new draft holding ``document``'s rules. An existing draft is refused unless
    ``replace_draft`` (an import or a preset chosen in the designer replaces it)."""
    with transaction.atomic():
        existing = draft_of(organisation.pk)
        if existing is not None:
            if not replace_draft:
                raise ValidationError("There is already a draft: publish or discard it first.")
            policy_draft_discard(version=existing, by=by)
        version = PolicyVersion(
            organisation=organisation,
            number=_next_number(organisation.pk),
            title=document["title"],
            origin=origin,
            created_by=by,
        )
        version._history_user = by  # type: ignore[attr-defined]
        version.save()
        _rules_write(version, document["rules"], by)
    return version


def policy_draft_start(*, organisation, by) -> PolicyVersion:
    """The draft to edit: the existing one, or a copy of the version in force."""
    existing = draft_of(organisation.pk)
    if existing is not None:
        return existing
    current = version_in_force(organisation.pk)
    if current is None:
        document, origin = preset_document(DEFAULT_PRESET), f"Preset {DEFAULT_PRESET}"
    else:
        document, origin = document_of(current), f"Copy of version {current.number}"
    return policy_version_create(organisation=organisation, document=document, by=by, origin=origin)


def policy_draft_discard(*, version: PolicyVersion, by) -> None:
    if not version.is_draft:
        raise ValidationError("Only a draft can be discarded; a published version is kept.")
    version._history_user = by  # type: ignore[attr-defined]
    version.delete()


def policy_problems(*, version: PolicyVersion) -> list[str]:
    return [message for _, message in document_problems(document_of(version))]


def policy_publish(
    *, version: PolicyVersion, by, effective_from: datetime | None = None
) -> PolicyVersion:
    """Publish a draft: from ``effective_from`` (now if not given, never in the past) new
    deadlines run to its rules; deadlines already running keep theirs."""
    now = timezone.now()
    effective_from = effective_from or now
    if effective_from < now.replace(second=0, microsecond=0):
        raise ValidationError({"effective_from": "A policy cannot take effect in the past."})
    return _publish(version=version, by=by, effective_from=effective_from)


def _publish(*, version: PolicyVersion, by, effective_from: datetime) -> PolicyVersion:
    problems = policy_problems(version=version)
    if problems:
        raise ValidationError(problems)
    if not version.rules.exists():
        raise ValidationError("A policy needs at least one rule.")
    with transaction.atomic():
        locked = PolicyVersion.objects.select_for_update().get(pk=version.pk)
        if not locked.is_draft:
            raise ValidationError("This version is already published.")
        locked.status = PolicyVersion.Status.PUBLISHED
        locked.effective_from = effective_from
        locked.published_at = timezone.now()
        locked.published_by = by
        locked._history_user = by  # type: ignore[attr-defined]
        locked.save()
    return locked


def policy_preset_adopt(
    *, organisation, preset: str, by=None, effective_from: datetime | None = None
) -> PolicyVersion:
    """Publish a preset as the organisation's policy (seeding, tests, a new organisation)."""
    document = preset_document(preset)
    version = policy_version_create(
        organisation=organisation,
        document=document,
        by=by,
        origin=f"Preset {document['title']}",
        replace_draft=True,
    )
    return _publish(version=version, by=by, effective_from=effective_from or timezone.now())


def policy_ensure(organisation) -> None:
    """An organisation that has never had a policy gets the default preset, in force since
    always. Safe to call concurrently: a second caller finds the first's."""
    if PolicyVersion.objects.filter(organisation=organisation).exists():
        return
    try:
        with transaction.atomic():
            policy_preset_adopt(
                organisation=organisation, preset=DEFAULT_PRESET, effective_from=SINCE_ALWAYS
            )
    except IntegrityError:
        pass


def policy_import(*, organisation, text: str, by) -> PolicyVersion:
    """A policy file becomes the draft (replacing any draft). ``PolicyFileError`` names the
    line of the first problem; nothing is written then."""
    document = document_parse(text)
    return policy_version_create(
        organisation=organisation,
        document=document,
        by=by,
        origin="Imported from a file",
        replace_draft=True,
    )


def rule_save(*, version: PolicyVersion, by, data: Mapping, rule: Rule | None = None) -> Rule:
    """Add or change a rule of a draft. ``data`` is the rule in the file's shape (see
    ``schema``); it is checked as a file would be, with the rest of the draft."""
    if not version.is_draft:
        raise ValidationError("Only a draft can be changed: start a new draft first.")
    others = [r for r in document_of(version)["rules"] if rule is None or r["code"] != rule.code]
    if any(r["code"] == data["code"] for r in others):
        raise ValidationError({"code": "Another rule of this policy has that code."})
    rules = [*others, dict(data)]
    problems = [m for code, m in document_problems({"rules": rules}) if code == data["code"]]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        if rule is None:
            last = version.rules.aggregate(p=Max("position"))["p"]
            rule = Rule(version=version, position=(last or 0) + 1)
        for name, value in _rule_fields(data).items():
            setattr(rule, name, value)
        rule._history_user = by  # type: ignore[attr-defined]
        rule.save()
        for old in rule.timescales.all():
            old._history_user = by  # type: ignore[attr-defined]
            old.delete()
        _timescales_write(rule, data["timescales"], by)
    return rule


def policy_draft_retitle(*, version: PolicyVersion, title: str, by) -> PolicyVersion:
    """Name the draft as the landlord names its policy ("Tenancy Services ASB policy 2027")."""
    if not version.is_draft:
        raise ValidationError("Only a draft can be changed: start a new draft first.")
    title = title.strip()
    if not title or len(title) > 200:
        raise ValidationError({"title": "Give the policy a title of up to 200 characters."})
    version.title = title
    version._history_user = by  # type: ignore[attr-defined]
    version.save(update_fields=["title"])
    return version


def rule_delete(*, rule: Rule, by) -> None:
    if not rule.version.is_draft:
        raise ValidationError("Only a draft can be changed.")
    rule._history_user = by  # type: ignore[attr-defined]
    rule.delete()


__all__ = [
    "PolicyFileError",
    "policy_draft_discard",
    "policy_draft_start",
    "policy_ensure",
    "policy_import",
    "policy_preset_adopt",
    "policy_problems",
    "policy_publish",
    "policy_draft_retitle",
    "policy_version_create",
    "rule_delete",
    "rule_save",
]


# --- Working hours and switches (C14) ------------------------------------------------------

# Sign-in settings are the organisation's own choice, not part of any preset: applying a
# preset leaves them as they are.
SIGN_IN_FIELDS = ("second_factor_required", "remember_device_days")
EDITABLE_FIELDS = (*(name for name in next(iter(PRESETS.values()))), *SIGN_IN_FIELDS)


def policy_settings_apply_preset(*, organisation, preset: str, by=None) -> PolicySettings:
    """Set every value from a preset (new organisations, seed_demo, "reset to preset")."""
    if preset not in PRESETS:
        raise ValidationError({"preset": "Choose one of the presets."})
    return policy_settings_update(
        organisation=organisation, by=by, values={"preset": preset, **preset_values(preset)}
    )


def policy_settings_update(*, organisation, by, values: dict) -> PolicySettings:
    """Change the organisation's settings. History records who changed what and when.

    Working hours and bank holidays apply to deadlines started after the change: existing
    deadlines keep their due time.
    """
    unknown = set(values) - set(EDITABLE_FIELDS) - {"preset"}
    if unknown:
        raise ValueError(f"Not policy settings: {sorted(unknown)}")
    with transaction.atomic():
        settings = (
            PolicySettings.objects.select_for_update().filter(organisation=organisation).first()
        )
        if settings is None:
            preset = values.get("preset") or "wch_2022"
            settings = PolicySettings(organisation=organisation, **preset_values(preset))
        for name, value in values.items():
            setattr(settings, name, value)
        settings.updated_by = by
        settings.updated_at = timezone.now()
        settings.full_clean(exclude=["organisation"])
        settings._change_reason = "Policy settings changed"  # type: ignore[attr-defined]
        settings.save()
    return settings
