"""The merge values for one letter to one person, with C11 enforced here, not in templates.

C11: the complainant's (and the victim's, and a witness's) identity reaches the other side
only with that person's written consent. A letter to an alleged perpetrator or a witness
never receives their names or addresses as merge values without consent, and any free text
the officer typed (reasons, rationale, decisions) has those names and addresses struck out.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django.utils import timezone

from accounts.workdays import LONDON
from cases.models import Case, CaseParty
from cases.models.choices import PartyRole

WITHHELD = "[withheld]"

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
PROTECTED_ROLES = (PartyRole.COMPLAINANT, PartyRole.VICTIM, PartyRole.WITNESS)
# Who is on the complainant's side and may read the complainant's and victim's names.
SAME_SIDE = (PartyRole.COMPLAINANT, PartyRole.VICTIM)


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
    if subject.person_id is None:
        return True
    if subject.person_id == recipient.person_id:
        return True
    if subject.person.disclosure_consent:
        return True
    if subject.role == PartyRole.WITNESS:
        return False
    return recipient.role in SAME_SIDE


def _identity_strings(person) -> list[str]:
    """Everything that could identify ``person`` in free text: the full name and each part of
    it, and the address line by line and part by part. Striking too much is the safe side."""
    strings = [person.full_name, person.known_as, person.postcode]
    strings += person.full_name.split() + person.known_as.split()
    for line in (person.address or "").splitlines():
        strings.append(line)
        strings += line.split(",")
    cleaned = {s.strip().strip(",.") for s in strings if s}
    return sorted((s for s in cleaned if len(s) >= 3), key=len, reverse=True)


def _strike(text: str, withheld: list[str]) -> str:
    for needle in withheld:
        text = re.sub(re.escape(needle), WITHHELD, text, flags=re.IGNORECASE)
    return text


def merge_values(
    *, case: Case, recipient: CaseParty, parties: list[CaseParty], extra: dict | None = None
) -> dict[str, str]:
    """Every merge value for a letter to ``recipient``, already safe to print."""
    person = recipient.person
    complainant = next((p for p in parties if p.role == PartyRole.COMPLAINANT and p.person), None)
    victim = next((p for p in parties if p.role == PartyRole.VICTIM and p.person), None)
    complainant = complainant or victim

    withheld: list[str] = []
    for party in parties:
        protected = party.person_id and party.role in PROTECTED_ROLES
        if protected and not may_see_identity(recipient=recipient, subject=party):
            withheld += _identity_strings(party.person)
    if recipient.person_id:
        # Never strike out the recipient's own name or address from their own letter.
        own = set(_identity_strings(person))
        withheld = [w for w in withheld if w not in own]

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
        values[name] = _strike(values[name], withheld)
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
