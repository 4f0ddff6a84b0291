"""A case's audit trail: every historical row of the case and its parts, with what changed."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

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


def _readable(field, value) -> str:
    """A value as the case page shows it: choices by their label, times in UK time."""
    if value is None or value == "":
        return "(blank)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%-d %b %Y %H:%M}"
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
                field = row.instance._meta.get_field(change.field)
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
            lambda r: f"Incident of {timezone.localtime(r.occurred_at):%-d %b %Y}",
        )
        + _entries(Contact.history.filter(case_id=case.pk), lambda r: "Contact")
        + _entries(Note.history.filter(case_id=case.pk), lambda r: "Note")
        + _entries(Evidence.history.filter(case_id=case.pk), lambda r: "Evidence")
        + _entries(
            Person.history.filter(id__in=party_person_ids), lambda r: f"Person: {r.full_name}"
        )
    )
    entries.sort(key=lambda e: e.at, reverse=True)
    accesses = CaseAccess.objects.filter(case=case).select_related("user")[:AUDIT_LIMIT]
    return {"entries": entries, "accesses": accesses}
