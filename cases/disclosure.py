"""C11: whose identity may reach whom without that person's written consent.

One rule for every letter, panel summary and export that carries free text, and the words
the person page states it in. Letters go only to the complainant's side (the kinds' table in
``letters.models``), so every kind of letter follows the same line: the complainant and the
victim may be named to each other, and nobody else without written consent (a witness, and
the alleged perpetrator, whose name in an officer's rationale must not reach the other side
any more than the complainant's must reach them).
"""

from __future__ import annotations

import re

from .models.choices import PartyRole

WITHHELD = "[withheld]"
# The housing panel reading a request's summary (W05): it reads the household's names.
PANEL = "panel"

# Without written consent, a person's name and address reach only themselves and these
# readers, by the person's role on the case.
SHOWN_WITHOUT_CONSENT_TO: dict[str, frozenset[str]] = {
    PartyRole.COMPLAINANT: frozenset({PartyRole.COMPLAINANT, PartyRole.VICTIM, PANEL}),
    PartyRole.VICTIM: frozenset({PartyRole.COMPLAINANT, PartyRole.VICTIM, PANEL}),
    PartyRole.WITNESS: frozenset(),
    PartyRole.PERPETRATOR: frozenset(),
}

# The person page says the rule above in these words (one sentence per role).
NEVER = "No written consent: never disclose their identity."
SAME_SIDE_ONLY = (
    "No written consent: their identity is disclosed only to the complainant and the victim "
    "of their case and to the housing panel, never to the alleged perpetrator or a witness."
)
CONSENTED = "Written consent recorded: their identity may be disclosed."
STATEMENTS: dict[str, str] = {
    PartyRole.COMPLAINANT: SAME_SIDE_ONLY,
    PartyRole.VICTIM: SAME_SIDE_ONLY,
    PartyRole.WITNESS: NEVER,
    PartyRole.PERPETRATOR: NEVER,
}


def identity_shown(*, subject_role: str, consent: bool, reader_role: str) -> bool:
    """May something read by ``reader_role`` carry the identity of a ``subject_role``?"""
    return consent or reader_role in SHOWN_WITHOUT_CONSENT_TO.get(subject_role, frozenset())


def disclosure_statements(*, consent: bool, roles) -> list[str]:
    """What the person page says about disclosing this person, for the roles they hold."""
    if consent:
        return [CONSENTED]
    said = []
    for role in roles or [PartyRole.WITNESS]:
        sentence = STATEMENTS.get(role, NEVER)
        if sentence not in said:
            said.append(sentence)
    # The strictest first: a witness on one case and a victim on another is never disclosed
    # as the witness.
    return sorted(said, key=lambda s: s != NEVER)


def identity_strings(person) -> list[str]:
    """Everything that could identify ``person`` in free text: the full name and each part of
    it, and the address line by line and part by part. Striking too much is the safe side."""
    strings = [person.full_name, person.known_as, person.postcode]
    strings += person.full_name.split() + person.known_as.split()
    for line in (person.address or "").splitlines():
        strings.append(line)
        strings += line.split(",")
    cleaned = {s.strip().strip(",.") for s in strings if s}
    return sorted((s for s in cleaned if len(s) >= 3), key=len, reverse=True)


def withheld_strings(*, parties, reader_role: str, reader_person_id: int | None = None):
    """The identities a reader in ``reader_role`` may not see among ``parties`` (CaseParty
    rows with their person), never the reader's own."""
    withheld: list[str] = []
    for party in parties:
        if party.person_id is None or party.person_id == reader_person_id:
            continue
        if not identity_shown(
            subject_role=party.role,
            consent=party.person.disclosure_consent,
            reader_role=reader_role,
        ):
            withheld += identity_strings(party.person)
    own: set[str] = set()
    for party in parties:
        if reader_person_id is not None and party.person_id == reader_person_id:
            own = set(identity_strings(party.person))
    return sorted({w for w in withheld if w not in own}, key=len, reverse=True)


def strike(text: str, withheld: list[str]) -> str:
    """``text`` with every withheld identity replaced by ``[withheld]``, in one pass (longest
    first), so a replacement is never struck again."""
    if not withheld or not text:
        return text
    needles = sorted(set(withheld), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(n) for n in needles), flags=re.IGNORECASE)
    return pattern.sub(WITHHELD, text)
