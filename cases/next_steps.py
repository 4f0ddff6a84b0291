"""What needs doing next on a case: read from the case file's records, never stored."""

from dataclasses import dataclass

from .models import Case
from .models.choices import ContactDirection, PartyRole, PoliceReported


@dataclass(frozen=True)
class NextStep:
    text: str
    anchor: str


def next_steps(*, case: Case, parties, incidents, contacts) -> list[NextStep]:
    steps: list[NextStep] = []
    roles = {p.role for p in parties}
    if case.assigned_officer_id is None:
        steps.append(NextStep("Assign the case to an officer (W09).", "reassign"))
    if not roles & {PartyRole.VICTIM, PartyRole.COMPLAINANT}:
        steps.append(NextStep("Add the victim or complainant.", "add-party"))
    if PartyRole.PERPETRATOR not in roles:
        steps.append(
            NextStep("Add the alleged perpetrator (named, unknown or a group).", "add-party")
        )
    if not incidents:
        steps.append(
            NextStep("Record the incident: when, where, what happened (C08).", "add-incident")
        )
    complainant_ids = {p.pk for p in parties if p.role in (PartyRole.VICTIM, PartyRole.COMPLAINANT)}
    reached = [
        c
        for c in contacts
        if c.party_id in complainant_ids and c.reached and c.direction == ContactDirection.OUTBOUND
    ]
    if complainant_ids and not reached:
        steps.append(NextStep("Contact the complainant and record the contact.", "add-contact"))
    if case.is_hate and any(i.police_reported == PoliceReported.UNKNOWN for i in incidents):
        steps.append(
            NextStep(
                "Ask whether the police have been told and note the crime reference.",
                "add-incident",
            )
        )
    people = [p.person for p in parties if p.person_id]
    if any(not person.date_of_birth for person in people):
        steps.append(NextStep("Record dates of birth so children are recognised.", "parties"))
    return steps
