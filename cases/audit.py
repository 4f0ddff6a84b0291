"""A case's audit trail: every historical row of the case and its parts, with what changed.

The parts kept by other apps (deadlines, risk assessments, support, action plans, repairs,
enforcement, letters, closure, transfers, legal holds) are listed in ``OTHER_PARTS`` by model
label and the path from their history rows to the case, so this module imports none of them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps

from policy.formats import uk_date, uk_datetime

from .models import Case, CaseAccess, CaseParty, Contact, Evidence, Incident, Note, Person

AUDIT_LIMIT = 500


@dataclass
class AuditEntry:
    at: datetime
    who: str
    what: str
    action: str
    reason: str
    changes: list[tuple[str, str, str]]


ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
# Bookkeeping that changes on every save and tells a reader nothing.
NOT_SHOWN = {"version"}


@dataclass(frozen=True)
class _Ref:
    """A foreign key's value in a history row, named once every row has been read (one
    query per kind of record referred to, not one per change)."""

    model: type
    pk: object


def _readable(field, value) -> "str | _Ref":
    """A value as the case page shows it: choices by their label, times in UK time, a
    person or record by its name, never its id."""
    if value is None or value == "":
        return "(blank)"
    if field.many_to_one or field.one_to_one:
        return _Ref(field.related_model, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return uk_datetime(value)
    return str(value)


def _entries(history_qs, label) -> list[AuditEntry]:
    rows = list(history_qs.select_related("history_user").order_by("history_id")[:AUDIT_LIMIT])
    previous: dict[int, object] = {}
    entries = []
    for row in rows:
        changes: list[tuple[str, str, str]] = []
        before = previous.get(row.id)
        if before is not None and row.history_type == "~":
            delta = row.diff_against(before)
            for change in delta.changes:
                if change.field in NOT_SHOWN:
                    continue
                field = row.instance_type._meta.get_field(change.field)
                changes.append(
                    (
                        str(field.verbose_name),
                        _readable(field, change.old),
                        _readable(field, change.new),
                    )
                )
        previous[row.id] = row
        entries.append(
            AuditEntry(
                at=row.history_date,
                who=row.history_user.full_name if row.history_user else "System",
                what=label(row),
                action=ACTIONS.get(row.history_type, row.history_type),
                reason=row.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


def _display(field: str) -> Callable:
    """A label from the model's name and one of its choice fields, e.g. "Letter: Closure"."""

    def label(row) -> str:
        name = str(row.instance_type._meta.verbose_name).capitalize()
        return f"{name}: {getattr(row, f'get_{field}_display')()}"

    return label


def _named(row) -> str:
    return str(row.instance_type._meta.verbose_name).capitalize()


# (model label, how its history rows reach the case, label). "case" rows carry case_id;
# "plan" and "referral" rows belong to an action plan or a transfer referral of the case
# (found through those parents' own history, so a deleted plan's rows still show).
OTHER_PARTS: tuple[tuple[str, str, Callable], ...] = (
    ("deadlines.Deadline", "case", lambda row: f"Deadline: {row.title or row.rule}"),
    ("cases.OnlineReport", "case", _named),
    ("cases.CaseReview", "case", _display("outcome")),
    ("risk.Assessment", "case", _named),
    ("support.SupportReferral", "case", _named),
    ("support.SafeguardingReferral", "case", _display("kind")),
    ("support.ActionPlan", "case", _named),
    ("support.PlanAction", "plan", _display("kind")),
    ("support.PlanReview", "plan", _display("outcome")),
    ("repairs.Repair", "case", _named),
    ("enforcement.Conviction", "case", _named),
    ("enforcement.EnforcementAction", "case", _display("remedy")),
    ("letters.Letter", "case", _display("kind")),
    ("letters.FalseReportConcern", "case", _named),
    ("letters.CaseClosure", "case", _named),
    ("transfers.TransferReferral", "case", _display("referral_type")),
    ("transfers.PanelVote", "referral", _named),
    ("transfers.PanelDecision", "referral", _display("outcome")),
    ("retention.LegalHold", "case", _named),
)
PARENTS = {"plan": "support.ActionPlan", "referral": "transfers.TransferReferral"}


def _other_parts(case: Case) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for label, path, describe in OTHER_PARTS:
        history = apps.get_model(label).history
        if path == "case":
            rows = history.filter(case_id=case.pk)
        else:
            parents = apps.get_model(PARENTS[path]).history.filter(case_id=case.pk)
            rows = history.filter(**{f"{path}_id__in": parents.values("id")})
        entries += _entries(rows, describe)
    return entries


def _name(record) -> str:
    return getattr(record, "full_name", "") or str(record)


def _name_references(entries: list[AuditEntry]) -> None:
    """Replace each foreign key's id in the changes ("met by: → 2") by what it refers to
    ("met by: → Olivia Officer"), reading each kind of record once."""
    wanted: dict[type, set] = {}
    for entry in entries:
        for _, old, new in entry.changes:
            for value in (old, new):
                if isinstance(value, _Ref):
                    wanted.setdefault(value.model, set()).add(value.pk)
    if not wanted:
        return
    found = {model: model._default_manager.in_bulk(list(pks)) for model, pks in wanted.items()}

    def word(value) -> str:
        if not isinstance(value, _Ref):
            return value
        record = found[value.model].get(value.pk)
        return _name(record) if record is not None else "(since removed)"

    for entry in entries:
        entry.changes = [(label, word(old), word(new)) for label, old, new in entry.changes]


def case_audit_trail(*, case: Case) -> dict:
    party_person_ids = CaseParty.history.filter(case_id=case.pk, person_id__isnull=False).values(
        "person_id"
    )
    entries = (
        _entries(Case.history.filter(id=case.pk), lambda r: f"Case {r.reference}")
        + _entries(
            CaseParty.history.filter(case_id=case.pk), lambda r: f"Party ({r.get_role_display()})"
        )
        + _entries(
            Incident.history.filter(case_id=case.pk),
            lambda r: f"Incident of {uk_date(r.occurred_at)}",
        )
        + _entries(Contact.history.filter(case_id=case.pk), lambda r: "Contact")
        + _entries(Note.history.filter(case_id=case.pk), lambda r: "Note")
        + _entries(Evidence.history.filter(case_id=case.pk), lambda r: "Evidence")
        + _entries(
            Person.history.filter(id__in=party_person_ids), lambda r: f"Person: {r.full_name}"
        )
        + _other_parts(case)
    )
    _name_references(entries)
    entries.sort(key=lambda e: e.at, reverse=True)
    accesses = CaseAccess.objects.filter(case=case).select_related("user")[:AUDIT_LIMIT]
    return {"entries": entries, "accesses": accesses}
