"""Which remedies are open against a perpetrator, and why the others are not.

Read by the enforcement page (to show every remedy with its reasons) and by the service
(to refuse one that is closed), so the two never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cases.models import Case, CaseParty
from cases.models.choices import (
    GROUND_2_TENANCIES,
    GROUND_14_TENANCIES,
    RESIDENT_TENURES,
    TenancyType,
    Tenure,
)
from policy.formats import uk_date

from .models import Remedy

# W18, W19: remedies that act on a tenancy. C25 management moves are a transfer.
TENANCY_REMEDIES = frozenset(
    {
        Remedy.INJUNCTION,
        Remedy.DEMOTION,
        Remedy.POSSESSION_GROUND_2,
        Remedy.POSSESSION_GROUND_14,
        Remedy.MANAGEMENT_MOVE,
    }
)
# W19 (000 §11.2): where the policy says so, a tenant or leaseholder faces no legal injunction
# and no termination of the tenancy until convicted. Both injunctions are legal injunctions;
# warnings, an ABC and what the police or a criminal court do are not held back (C05 opens all).
CONVICTION_REMEDIES = TENANCY_REMEDIES | {Remedy.CIVIL_INJUNCTION}
# C25 (004 §5.13): possession on Ground 2 against a secure tenancy, Ground 14 an assured one.
POSSESSION_GROUNDS = {
    Remedy.POSSESSION_GROUND_2: (GROUND_2_TENANCIES, "Ground 2 is for secure tenancies"),
    Remedy.POSSESSION_GROUND_14: (GROUND_14_TENANCIES, "Ground 14 is for assured tenancies"),
}
# C25: injunctions only against someone over 18.
INJUNCTIONS = frozenset({Remedy.INJUNCTION, Remedy.CIVIL_INJUNCTION})
# C09: court action usually needs a series of incidents (hate can be acted on after one).
LEGAL_REMEDIES = frozenset(
    {
        Remedy.INJUNCTION,
        Remedy.CIVIL_INJUNCTION,
        Remedy.RESTRAINING_ORDER,
        Remedy.DEMOTION,
        Remedy.POSSESSION_GROUND_2,
        Remedy.POSSESSION_GROUND_14,
    }
)


@dataclass
class RemedyOption:
    remedy: str
    label: str
    reasons: list[str] = field(default_factory=list)  # why it is closed
    warnings: list[str] = field(default_factory=list)  # open, but with a caution
    requires: list[str] = field(default_factory=list)  # open, with something to record

    @property
    def open(self) -> bool:
        return not self.reasons


def _tenancy_of(party: CaseParty):
    """The person whose tenancy a tenancy remedy acts on (C10: a household member or a
    visitor answers through the tenancy they belong to)."""
    person = party.person
    if person is None:
        return None
    if person.tenure in RESIDENT_TENURES:
        return person
    if person.tenure in (Tenure.HOUSEHOLD_MEMBER, Tenure.VISITOR) and person.tenancy_holder_id:
        return person.tenancy_holder
    return None


def _possession_ground_closed(remedy: str, tenancy) -> str:
    """Why this possession ground cannot be used against ``tenancy``, or ""."""
    types, rule = POSSESSION_GROUNDS[remedy]
    if tenancy.tenure == Tenure.LEASEHOLDER:
        return f"{rule}: a lease is not a tenancy; ask legal services about forfeiture (C25)."
    if not tenancy.tenancy_type:
        return (
            f"{rule}: record the type of {tenancy.full_name}'s tenancy on their person "
            "record first (C25)."
        )
    if tenancy.tenancy_type not in types:
        kind = TenancyType(tenancy.tenancy_type).label.lower()
        return f"{rule}; {tenancy.full_name}'s tenancy is {kind} (C25)."
    return ""


def remedies_for(
    *,
    case: Case,
    party: CaseParty,
    policy,
    convicted: bool,
    incident_count: int,
    on: date,
) -> list[RemedyOption]:
    options = []
    person = party.person
    age = person.age_on(on) if person is not None else None
    tenancy = _tenancy_of(party)
    for remedy in Remedy:
        option = RemedyOption(remedy=remedy.value, label=remedy.label)
        if person is None:
            option.reasons.append(
                "The perpetrator is not named: no action can be taken against them."
            )
        if remedy in TENANCY_REMEDIES and person is not None and tenancy is None:
            option.reasons.append(
                "Not a tenant or leaseholder: no tenancy action; support the police with "
                "information instead (W18)."
            )
        if (
            remedy in CONVICTION_REMEDIES
            and tenancy is not None
            and policy.tenancy_action_requires_conviction
            and not convicted
        ):
            what = "An injunction" if remedy in INJUNCTIONS else "Tenancy action"
            option.reasons.append(
                f"{what} only once convicted of an offence related to the incident, "
                "under this organisation's policy: record the conviction first (W19)."
            )
        if remedy in POSSESSION_GROUNDS and tenancy is not None:
            reason = _possession_ground_closed(remedy, tenancy)
            if reason:
                option.reasons.append(reason)
        if remedy in INJUNCTIONS and person is not None:
            if age is None:
                option.reasons.append(
                    "Date of birth not recorded: an injunction needs someone over 18 (C25)."
                )
            elif age < 18:
                option.reasons.append(
                    f"{age} years old on {uk_date(on)}: "
                    "no injunction against someone under 18 (C25)."
                )
        if remedy == Remedy.WRITTEN_WARNING:
            option.requires.append(
                "Record what confirms the behaviour (a witness, the police, evidence) (C24)."
            )
        if remedy in LEGAL_REMEDIES and not case.is_hate and incident_count <= 1:
            option.warnings.append(
                "Only one incident is recorded: legal action usually needs a series of "
                "incidents; hate crime can be acted on after one (C09)."
            )
        options.append(option)
    return options
