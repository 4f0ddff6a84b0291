"""Shared set-up for the deadline tests: a policy preset on an organisation, a case opened
through the real service, a complainant to contact."""

from datetime import datetime

from cases.models import CaseParty, Person
from cases.models.choices import (
    Category,
    Channel,
    ContactDirection,
    ContactMethod,
    PartyRole,
    ReporterType,
)
from cases.services.intake import case_open
from cases.services.records import contact_log
from policy.calendar import LONDON
from policy.models import PolicySettings
from policy.services import SINCE_ALWAYS, policy_preset_adopt
from policy.settings import preset_values


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def apply_preset(organisation, preset: str, **overrides) -> PolicySettings:
    """The preset's settings and its rules, in force since always (tests travel in time)."""
    values = {**preset_values(preset), **overrides}
    settings, _ = PolicySettings.objects.update_or_create(
        organisation=organisation, defaults={"preset": preset, **values}
    )
    policy_preset_adopt(organisation=organisation, preset=preset, effective_from=SINCE_ALWAYS)
    return settings


def open_case(cast, *, received_at: datetime, fear_of_violence: bool = False, **extra):
    extra.setdefault("assigned_officer", cast.officer)
    return case_open(
        organisation=cast.organisation,
        logged_by=cast.staff,
        received_at=received_at,
        channel=Channel.PHONE,
        reporter_type=ReporterType.VICTIM,
        category=Category.HARASSMENT,
        summary="Shouting and damage to the front door.",
        fear_of_violence=fear_of_violence,
        **extra,
    )


def complainant(case) -> CaseParty:
    person = Person.objects.create(organisation=case.organisation, full_name="Test Complainant")
    return CaseParty.objects.create(case=case, person=person, role=PartyRole.COMPLAINANT)


def log_phone_call(case, *, by, at: datetime, purpose: str, party=None, **extra):
    return contact_log(
        case=case,
        by=by,
        occurred_at=at,
        method=extra.pop("method", ContactMethod.PHONE),
        direction=ContactDirection.OUTBOUND,
        purpose=purpose,
        party=party if party is not None else complainant(case),
        **extra,
    )


def policy_change(organisation, *, by=None, remove=(), **rules):
    """Publish, effective now, a new version of the organisation's policy in which each rule
    named in ``rules`` (by code) has the given changes, in the policy file's shape (e.g.
    ``w08_first_contact={"timescales": [{"unit": "hours", "amount": 12}]}``), and the rules
    in ``remove`` are gone. Returns the published version."""
    from policy.schema import document_of
    from policy.services import policy_draft_start, policy_publish, rule_delete, rule_save

    draft = policy_draft_start(organisation=organisation, by=by)
    for code in remove:
        rule_delete(rule=draft.rules.get(code=code), by=by)
    for code, changes in rules.items():
        data = next(r for r in document_of(draft)["rules"] if r["code"] == code)
        for timescale in changes.get("timescales", []):
            timescale.setdefault("conditions", {})
            timescale.setdefault("note", "")
            timescale.setdefault("amount", None)
        data.update(changes)
        rule_save(version=draft, by=by, data=data, rule=draft.rules.get(code=code))
    return policy_publish(version=draft, by=by)


def policy_adopt_rule(organisation, *, preset: str, code: str, by=None):
    """Publish, effective now, the organisation's policy with another preset's rule added (as
    a landlord may adopt a rule its own document is silent on)."""
    from policy.selectors import preset_document
    from policy.services import policy_draft_start, policy_publish, rule_save

    draft = policy_draft_start(organisation=organisation, by=by)
    rule = next(r for r in preset_document(preset)["rules"] if r["code"] == code)
    rule_save(version=draft, by=by, data={**rule, "adopted_from": preset})
    return policy_publish(version=draft, by=by)
