"""Anonymising a case, and a person, everywhere Haven keeps them: the live rows and the
history tables' copies (django-simple-history keeps a whole row per change, so a name left
there would not be gone).

What goes: names, contact details, dates of birth, equality and vulnerability data, every
piece of free text (and every change reason in the history), evidence files, online-report
attachments and letters' PDFs. What stays, so the dashboards' history stays true: the rows
themselves with their dates, categories, statuses, choices, acts, grounds, places where
things happened (the hotspots), costs and scores. Evidence rows go with their files (no
figure counts them).

Set-based: a fixed number of UPDATEs per model however many cases, run inside the caller's
transaction; files are removed once it commits (``FileRemoval``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db import models, transaction
from django.db.models import Case as SqlCase
from django.db.models import F, Value, When
from django.utils import timezone

from cases.models import Case, CaseParty, Evidence, OnlineReport, Person
from cases.services.search import case_search_refresh
from letters.models import Letter
from transfers.models import TransferReferral

from ..models import FileRemoval
from .files import files_remove_queued

REMOVED = "[removed]"
ANONYMOUS_NAME = "Anonymised person"
# An e-mailed letter must keep an address (letters' own check): this one goes nowhere.
ANONYMOUS_EMAIL = "removed@anonymised.invalid"

# Every part of a case that holds personal data: (model label, how its rows reach the case,
# the fields removed). "self" is the case; "case" rows carry case_id; "plan" and "referral"
# rows belong to the case's action plan or a transfer referral. A test walks every model
# that reaches a case and fails on a text field that is neither here nor in KEPT_TEXT.
CASE_PARTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("cases.Case", "self", ("summary", "prior_action")),
    ("cases.CaseParty", "case", ("description",)),
    ("cases.Incident", "case", ("description", "crime_reference", "police_officer")),
    ("cases.Contact", "case", ("notes",)),
    ("cases.Note", "case", ("text",)),
    ("cases.CaseReview", "case", ("summary",)),
    ("cases.Evidence", "case", ("description", "original_name")),
    (
        "cases.OnlineReport",
        "case",
        ("answers", "acknowledgement_email", "reject_note", "upload_content_type"),
    ),
    ("deadlines.Deadline", "case", ("waived_reason",)),
    ("risk.Assessment", "case", ("raise_reason", "notes")),
    ("support.SupportReferral", "case", ("outcome",)),
    ("support.SafeguardingReferral", "case", ("concern", "authority_reference")),
    ("support.PlanAction", "plan", ("description", "owner")),
    ("support.PlanVersion", "plan", ("change", "actions")),
    ("support.PlanReview", "plan", ("notes",)),
    (
        "transfers.TransferReferral",
        "case",
        ("reason_details", "accessibility_needs", "areas_to_avoid", "progress_note"),
    ),
    ("transfers.PanelVote", "referral", ("comment",)),
    ("letters.Letter", "case", ("reason", "merge_values", "email_to")),
    ("letters.FalseReportConcern", "case", ("reasons", "evidence_notes", "outcome_notes")),
    (
        "letters.CaseClosure",
        "case",
        ("rationale", "discussion_notes", "appeal_grounds", "satisfaction_comment"),
    ),
    ("repairs.Repair", "case", ("description",)),
    ("enforcement.Conviction", "case", ("offence", "court")),
    ("enforcement.EnforcementAction", "case", ("confirmation", "notes")),
)
PARENTS = {"plan": "support.ActionPlan", "referral": "transfers.TransferReferral"}

# Text kept on purpose, with the reason (the test above reads this too).
KEPT_TEXT = {
    "cases.Case.reference": "the case's reference, Haven's own",
    "cases.Case.location": "where it happened: the hotspots dashboard counts places",
    "cases.Case.search_document": "rebuilt from what is left (reference, place, no names)",
    "cases.Incident.location": "where it happened: the hotspots dashboard counts places",
    "cases.Evidence.file": "the file is removed from storage and the row deleted",
    "cases.Evidence.storage_key": "a random name",
    "cases.Evidence.content_type": "a file type",
    "cases.Evidence.sha256": "a checksum of a file that no longer exists",
    "cases.OnlineReport.reference": "a random reference",
    "cases.OnlineReport.submission_key": "a random key",
    "cases.OnlineReport.upload": "the file is removed from storage",
    "deadlines.Deadline.rule": "the policy's rule code",
    "deadlines.Deadline.title": "the policy's words",
    "deadlines.Deadline.promise": "the policy's words",
    "deadlines.Deadline.clause": "the policy's words",
    "deadlines.Deadline.started_by": "what kind of event started it",
    "deadlines.Deadline.source_key": "a key of ids",
    "deadlines.Deadline.met_source": "what kind of action met it",
    "deadlines.Deadline.reminder_claim": "a task id",
    "deadlines.Deadline.overdue_claim": "a task id",
    "support.SafeguardingReferral.local_authority": "the council's name",
    "transfers.TransferReferral.local_authority": "the council's name",
    "letters.Letter.recipient_role": "a role",
    "letters.Letter.pdf": "the file is removed from storage (the row keeps its name)",
    "letters.Letter.pdf_sha256": "a checksum of a file that no longer exists",
    "letters.Letter.failure": "Haven's own message about the delivery",
    "letters.Letter.render_claim": "a task id",
    "letters.Letter.send_claim": "a task id",
    "letters.CaseClosure.feedback_token": "a random token",
    "repairs.Repair.location": "where the damage was: counted like the hotspots",
    "repairs.Repair.repair_reference": "the repairs contractor's job number",
}

# A person's fields and what they become.
PERSON_VALUES = {
    "full_name": ANONYMOUS_NAME,
    "known_as": "",
    "date_of_birth": None,
    "phone": "",
    "safe_phone": False,
    "email": "",
    "address": "",
    "postcode": "",
    "preferred_language": "",
    "interpreter_needed": False,
    "preferred_format": "standard",
    "tenancy_reference": "",
    "tenancy_holder_id": None,
    "adult_at_risk": False,
    "vulnerability_notes": "",
    "gender": "",
    "gender_same_as_birth": "",
    "ethnicity": "",
    "religion": "",
    "sexual_orientation": "",
    "disability": "",
    "marital_status": "",
    "pregnant_or_maternity": "",
}


def _removed_value(model: type[models.Model], name: str):
    field = model._meta.get_field(name)
    if isinstance(field, models.JSONField):
        return field.get_default() if field.has_default() else {}
    # An empty field stays empty; one that held something says so, which also keeps every
    # "a waived deadline has a reason" kind of check true.
    filled = ANONYMOUS_EMAIL if isinstance(field, models.EmailField) else REMOVED
    return SqlCase(When(**{name: ""}, then=Value("")), default=Value(filled))


def _values(model: type[models.Model], fields: Iterable[str]) -> dict:
    return {name: _removed_value(model, name) for name in fields}


def _rows(model: type[models.Model], path: str, case_ids, *, history: bool = False):
    manager = model.history if history else model.objects  # type: ignore[attr-defined]
    if path == "self":
        return manager.filter(id__in=case_ids)
    if path == "case":
        return manager.filter(case_id__in=case_ids)
    parent = apps.get_model(PARENTS[path])
    parents = (parent.history if history else parent.objects).filter(case_id__in=case_ids)  # type: ignore[attr-defined]
    return manager.filter(**{f"{path}_id__in": parents.values("id")})


def history_scrub(rows, values: dict) -> int:
    """Remove personal data from history rows: the fields, and every change reason (an
    officer's reason is free text and may name anyone)."""
    count = rows.update(**values)
    rows.filter(history_change_reason__isnull=False).exclude(history_change_reason="").update(
        history_change_reason=REMOVED
    )
    return count


def files_queue(names: Iterable[str]) -> int:
    """Queue stored files for removal once the transaction commits."""
    rows = [FileRemoval(name=name) for name in dict.fromkeys(names) if name]
    FileRemoval.objects.bulk_create(rows)
    if rows:
        transaction.on_commit(files_remove_queued)
    return len(rows)


def persons_scrub(*, person_ids: Iterable[int]) -> int:
    """Anonymise these people and every historical copy of them."""
    person_ids = list(person_ids)
    if not person_ids:
        return 0
    count = Person.objects.filter(pk__in=person_ids).update(
        **PERSON_VALUES, version=F("version") + 1, updated_at=timezone.now()
    )
    history_scrub(Person.history.filter(id__in=person_ids), PERSON_VALUES)
    # Someone in their household keeps no link to them.
    Person.objects.filter(tenancy_holder_id__in=person_ids).update(tenancy_holder=None)
    return count


def _stand_ins_for(parties: list[CaseParty]) -> int:
    """These parties' people are still in other cases: on the anonymised case each party
    points to a new, empty person instead, so the old case no longer names them (the role,
    which the figures count, stays)."""
    if not parties:
        return 0
    now = timezone.now()
    stand_ins = Person.objects.bulk_create(
        Person(
            organisation_id=party.case.organisation_id,
            created_at=now,
            updated_at=now,
            **{k: v for k, v in PERSON_VALUES.items() if k != "tenancy_holder_id"},
        )
        for party in parties
    )
    replaced = {party.pk: stand_in.pk for party, stand_in in zip(parties, stand_ins, strict=True)}
    for party in parties:
        party.person_id = replaced[party.pk]
    CaseParty.objects.bulk_update(parties, ["person"])
    CaseParty.history.filter(id__in=replaced).update(
        person_id=SqlCase(*(When(id=party, then=Value(new)) for party, new in replaced.items()))
    )
    return len(parties)


def cases_anonymise(*, case_ids: list[int], reason: str) -> dict[str, int]:
    """Anonymise these cases, keeping them and every row the dashboards count. Runs inside
    the caller's transaction; returns counts (never data) for the run's record."""
    counts = {"cases": len(case_ids)}
    if not case_ids:
        return counts
    counts["files"] = files_queue(
        [
            *Evidence.objects.filter(case_id__in=case_ids).values_list("file", flat=True),
            *OnlineReport.objects.filter(case_id__in=case_ids).values_list("upload", flat=True),
            *Letter.objects.filter(case_id__in=case_ids).values_list("pdf", flat=True),
        ]
    )
    OnlineReport.objects.filter(case_id__in=case_ids).update(upload="")

    parties = list(
        CaseParty.objects.filter(case_id__in=case_ids, person__isnull=False).select_related("case")
    )
    person_ids = {party.person_id for party in parties}
    elsewhere = set(
        CaseParty.objects.filter(person_id__in=person_ids)
        .exclude(case_id__in=case_ids)
        .values_list("person_id", flat=True)
    )
    counts["people"] = persons_scrub(person_ids=person_ids - elsewhere)
    counts["stand_ins"] = _stand_ins_for([p for p in parties if p.person_id in elsewhere])
    TransferReferral.household.through.objects.filter(
        transferreferral__case_id__in=case_ids, person_id__in=elsewhere
    ).delete()

    for label, path, fields in CASE_PARTS:
        model = apps.get_model(label)
        values = _values(model, fields)
        _rows(model, path, case_ids).update(**values)
        if hasattr(model, "history"):
            history_scrub(_rows(model, path, case_ids, history=True), values)
    counts["evidence_deleted"] = (
        Evidence.objects.filter(case_id__in=case_ids).delete()[1].get("cases.Evidence", 0)
    )
    Case.objects.filter(pk__in=case_ids).update(version=F("version") + 1, updated_at=timezone.now())
    case_search_refresh(case_ids=case_ids)
    # The case's audit trail says what happened and under which rule.
    Case.history.bulk_history_create(
        list(Case.objects.filter(pk__in=case_ids)), update=True, default_change_reason=reason
    )
    return counts
