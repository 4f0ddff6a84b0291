"""The merge values for one letter to one person, with C11 enforced here, not in templates.

C11: a person's identity reaches someone else only as ``cases.disclosure`` allows: the
complainant and the victim may be named to each other; a witness and the alleged perpetrator
are never named without their written consent. Names and addresses come from the case file
through that rule, and any free text the officer typed (reasons, rationale, decisions) has
every withheld name and address struck out.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from cases.disclosure import WITHHELD, identity_shown, strike, withheld_strings
from cases.models import Case, CaseParty
from cases.models.choices import PartyRole
from policy.calendar import LONDON

__all__ = ["MERGE_FIELDS", "WITHHELD", "may_see_identity", "merge_values", "sample_values"]

# Every merge field an organisation admin may use, with what it holds (shown in the editor).
MERGE_FIELDS: dict[str, str] = {
    "recipient_name": "The name of the person the letter is to",
    "recipient_address": "Their address and postcode",
    "organisation_name": "Your organisation's name",
    "case_reference": "The case reference, e.g. WCH-2026-00042",
    "officer_name": "The case officer's name",
    "letter_date": "Today's date",
    "report_date": "The date the report was received",
    "complainant_name": "The complainant's name (withheld from the other side without consent)",
    "victim_name": "The victim's name (withheld from the other side without consent)",
    "victim_address": "The victim's address (withheld from the other side without consent)",
    "next_contact_date": "When the officer will next be in touch (acknowledgement)",
    "evidence_due_date": "The date further evidence is due, 10 working days on (W20)",
    "concern_reasons": "Why the officer is concerned about the information given (W20)",
    "closure_reason": "The reason the case is closing (W21)",
    "closure_rationale": "The officer's explanation of the closure (W21)",
    "appeal_until_date": "The last day to appeal the closure (C26)",
    "appeal_text": "A sentence on how to appeal the closure, empty if the policy has none (C26)",
    "feedback_link": "The web address for feedback on how the case was handled (C26)",
    "plan_summary": "The action plan's agreed actions (C22)",
    "panel_decision": "The housing panel's decision",
    "reason": "The officer's note on why this letter is being sent",
}

# Values the officer types: scrubbed of withheld identities for the other side.
FREE_TEXT_FIELDS = (
    "concern_reasons",
    "closure_rationale",
    "plan_summary",
    "panel_decision",
    "reason",
    "closure_reason",
)


def long_date(value: date | datetime | None) -> str:
    if not value:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON)
    return f"{value:%A} {value.day} {value:%B %Y}"


def _address(person) -> str:
    lines = [line.strip() for line in (person.address or "").splitlines() if line.strip()]
    if person.postcode:
        lines.append(person.postcode.strip())
    return "\n".join(lines)


def may_see_identity(*, recipient: CaseParty, subject: CaseParty) -> bool:
    """C11: may a letter to ``recipient`` carry ``subject``'s name and address?"""
    if subject.person_id is None or subject.person_id == recipient.person_id:
        return True
    return identity_shown(
        subject_role=subject.role,
        consent=subject.person.disclosure_consent,
        reader_role=recipient.role,
    )


def merge_values(
    *, case: Case, recipient: CaseParty, parties: list[CaseParty], extra: dict | None = None
) -> dict[str, str]:
    """Every merge value for a letter to ``recipient``, already safe to print."""
    person = recipient.person
    complainant = next((p for p in parties if p.role == PartyRole.COMPLAINANT and p.person), None)
    victim = next((p for p in parties if p.role == PartyRole.VICTIM and p.person), None)
    complainant = complainant or victim

    # Never strike out the recipient's own name or address from their own letter.
    withheld = withheld_strings(
        parties=parties, reader_role=recipient.role, reader_person_id=recipient.person_id
    )

    def shown(party: CaseParty | None, value: str) -> str:
        if party is None:
            return ""
        return value if may_see_identity(recipient=recipient, subject=party) else WITHHELD

    officer = case.assigned_officer
    values = {
        "recipient_name": person.full_name if person else "",
        "recipient_address": _address(person) if person else "",
        "organisation_name": case.organisation.name,
        "case_reference": case.reference,
        "officer_name": officer.full_name if officer else f"{case.organisation.name} team",
        "letter_date": long_date(timezone.now()),
        "report_date": long_date(case.received_at),
        "complainant_name": shown(complainant, complainant.person.full_name if complainant else ""),
        "victim_name": shown(victim, victim.person.full_name if victim else ""),
        "victim_address": shown(victim, _address(victim.person) if victim else ""),
    }
    computed = set(values)
    for name in MERGE_FIELDS:
        values.setdefault(name, "")
    for name, value in (extra or {}).items():
        # Callers supply event details only; names and addresses come from the case file.
        if name not in MERGE_FIELDS or name in computed:
            raise ValueError(f"{name!r} is not a merge value a caller may supply")
        values[name] = long_date(value) if isinstance(value, datetime) else str(value)
    for name in FREE_TEXT_FIELDS:
        values[name] = strike(values[name], withheld)
    return values


def sample_values(organisation) -> dict[str, str]:
    """Made-up values for the template editor's preview."""
    now = timezone.now()
    values = {name: f"[{name}]" for name in MERGE_FIELDS}
    values.update(
        recipient_name="Ms Jane Example",
        recipient_address="Flat 1, Example House\n1 Example Road\nAB1 2CD",
        organisation_name=organisation.name,
        case_reference=f"{organisation.code}-{now.year}-00001",
        officer_name="Olivia Officer",
        letter_date=long_date(now),
        report_date=long_date(now),
        complainant_name="Ms Jane Example",
        victim_name="Ms Jane Example",
        victim_address="Flat 1, Example House",
        next_contact_date=long_date(now),
        evidence_due_date=long_date(now),
        appeal_until_date=long_date(now),
        feedback_link="https://haven.example/feedback/…",
    )
    return values
