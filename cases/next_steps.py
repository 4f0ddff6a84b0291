"""What needs doing next on a case: one prioritised task list, read from the case's live
deadlines (what the policy promised and by when) and the steps the case file is missing,
never stored.

A step the deadlines already carry is not listed twice: a live deadline met by a contact
stands for "contact the complainant", the action-plan deadline for "agree the plan". Each
task says how urgent it is and links to the page that does it; the links are built once per
kind by the case page (``TaskLinks``), not per row in the template.

Order: overdue deadlines (longest overdue first); then what must not wait although no clock
runs on it (no officer; a High Risk case without a risk assessment, W10); then deadlines due
today, due soon and later, by due time; then the rest of the missing steps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from deadlines.status import DueStatus, Tone, due_status
from policy.calendar import WorkingCalendar

from .models import Case
from .models.choices import ContactDirection, PartyRole, PoliceReported

# A task with no clock of its own.
TO_DO = DueStatus("todo", "to do")
URGENT = DueStatus("urgent", "to do now")

_ORDER = {
    Tone.OVERDUE: 0,
    URGENT.tone: 1,
    Tone.TODAY: 2,
    Tone.SOON: 3,
    Tone.LATER: 4,
    TO_DO.tone: 5,
}


@dataclass(frozen=True)
class Task:
    text: str
    status: DueStatus
    url: str = ""
    label: str = ""
    # The promise in the policy's words and its clause, behind "Why is this due?".
    promise: str = ""
    why: str = ""
    rule: str = ""
    due_at: datetime | None = None

    @property
    def sort_key(self) -> tuple:
        when = self.due_at.timestamp() if self.due_at else 0.0
        return (_ORDER.get(self.status.tone, 9), when)


@dataclass(frozen=True)
class TaskLinks:
    """The pages a task can link to, each a function of the case (empty when the user may
    not do it). ``deadline`` gives a live deadline's action as (url, label) or None."""

    deadline: Callable[[object], tuple[str, str] | None]
    reassign: str = ""
    add_party: str = ""
    add_incident: str = ""
    add_contact: str = ""
    assessment: str = ""
    plan: str = ""
    incidents: str = ""
    parties: str = ""


def _deadline_tasks(deadlines, *, now, calendar, links: TaskLinks) -> list[Task]:
    tasks = []
    for deadline in deadlines:
        if not deadline.is_live or deadline.window:
            continue
        action = links.deadline(deadline)
        url, label = action if action else ("", "")
        tasks.append(
            Task(
                text=deadline.get_rule_display(),
                status=due_status(due_at=deadline.due_at, now=now, calendar=calendar),
                url=url,
                label=label,
                promise=deadline.promise,
                why=deadline.clause,
                rule=deadline.rule,
                due_at=deadline.due_at,
            )
        )
    return tasks


def _met_by_contact(deadlines) -> bool:
    return any(
        deadline.is_live
        and deadline.policy_rule is not None
        and any(m.get("action") == "contact" for m in deadline.policy_rule.met_by)
        for deadline in deadlines
    )


def _missing_steps(
    *, case: Case, parties, incidents, contacts, deadlines, risk_due: bool, plan, links
) -> list[Task]:
    steps: list[Task] = []
    roles = {p.role for p in parties}
    live_rules = {d.rule for d in deadlines if d.is_live}
    if case.assigned_officer_id is None:
        steps.append(
            Task("Assign the case to an officer (W09)", URGENT, links.reassign, "Reassign")
        )
    if risk_due:
        steps.append(
            Task(
                "Complete the risk assessment: a High Risk case needs one (W10)",
                URGENT,
                links.assessment,
                "Complete a risk assessment",
            )
        )
    if not roles & {PartyRole.VICTIM, PartyRole.COMPLAINANT}:
        steps.append(Task("Add the victim or complainant", TO_DO, links.add_party, "Add a person"))
    if PartyRole.PERPETRATOR not in roles:
        steps.append(
            Task(
                "Add the alleged perpetrator (named, unknown or a group)",
                TO_DO,
                links.add_party,
                "Add a person",
            )
        )
    if not incidents:
        steps.append(
            Task(
                "Record the incident: when, where, what happened (C08)",
                TO_DO,
                links.add_incident,
                "Record an incident",
            )
        )
    complainant_ids = {p.pk for p in parties if p.role in (PartyRole.VICTIM, PartyRole.COMPLAINANT)}
    reached = any(
        c.party_id in complainant_ids and c.reached and c.direction == ContactDirection.OUTBOUND
        for c in contacts
    )
    if complainant_ids and not reached and not _met_by_contact(deadlines):
        steps.append(
            Task(
                "Contact the complainant and record the contact",
                TO_DO,
                links.add_contact,
                "Record a contact",
            )
        )
    if case.is_hate and any(i.police_reported == PoliceReported.UNKNOWN for i in incidents):
        steps.append(
            Task(
                "Ask whether the police have been told and note the crime reference",
                TO_DO,
                links.incidents,
                "See the incidents",
            )
        )
    if plan is not None and plan.agreed_at is None and "c21_action_plan" not in live_rules:
        steps.append(
            Task(
                "Agree the action plan with the complainant",
                TO_DO,
                links.plan,
                "Agree the action plan",
            )
        )
    people = [p.person for p in parties if p.person_id]
    if any(not person.date_of_birth for person in people):
        steps.append(
            Task(
                "Record dates of birth so children are recognised",
                TO_DO,
                links.parties,
                "See the people",
            )
        )
    return steps


def case_tasks(
    *,
    case: Case,
    parties,
    incidents,
    contacts,
    deadlines: Iterable,
    risk_due: bool,
    plan,
    now: datetime,
    calendar: WorkingCalendar,
    links: TaskLinks,
) -> list[Task]:
    """The case page's "What needs doing next", most urgent first."""
    deadlines = list(deadlines)
    tasks = _deadline_tasks(deadlines, now=now, calendar=calendar, links=links)
    if case.is_open:
        tasks += _missing_steps(
            case=case,
            parties=parties,
            incidents=incidents,
            contacts=contacts,
            deadlines=deadlines,
            risk_due=risk_due,
            plan=plan,
            links=links,
        )
    return sorted(tasks, key=lambda task: task.sort_key)
