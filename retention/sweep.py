"""The retention sweep (``retention.tasks.sweep_retention``, beat, hourly).

For each organisation, in one transaction: record the run, claim what is due by inserting
its ``Disposal`` rows (the unique constraint on model and id lets only one of two runs at
once insert a given record's row; the other's insert waits for the first to commit and is
then skipped, so it claims nothing), anonymise or delete exactly what this run claimed, and
count it. Either all of that commits or none of it does, so a crash loses nothing and the
next run takes it up; files go once the transaction has committed (``FileRemoval``).
Set-based: a fixed number of queries per organisation whatever is due, up to BATCH records
of each kind per run (a backlog drains over the next runs).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from cases.models import OnlineReport
from transfers.models import TransferReferral

from .models import Disposal, RetentionKind, RetentionRun
from .selectors import (
    access_logs_due,
    cases_due,
    online_reports_due,
    retention_schedule,
    transfers_due,
)
from .services.anonymise import _values, cases_anonymise, files_queue, history_scrub
from .services.files import files_remove_queued

logger = logging.getLogger(__name__)

BATCH = 500
SWEEP_SOFT_LIMIT = 600
SWEEP_HARD_LIMIT = 660


@dataclass
class SweepResult:
    runs: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, counts: dict[str, int]) -> None:
        for key, value in counts.items():
            self.counts[key] = self.counts.get(key, 0) + value


def retention_sweep(*, run_id: str, now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    files_remove_queued()  # any left by a run that died between commit and removal
    for organisation in Organisation.objects.order_by("pk"):
        # One organisation's failure (rolled back whole) does not hold up the others'.
        try:
            run = retention_sweep_organisation(organisation=organisation, run_id=run_id, now=now)
        except Exception:
            logger.exception("retention: the run for organisation %s failed", organisation.pk)
            result.failed.append(organisation.pk)
            continue
        if run is not None:
            result.runs.append(run.pk)
            result.add(run.counts)
    return result


def _claim(run: RetentionRun, model: str, ids, action: str, rule: str = "") -> list[int]:
    Disposal.objects.bulk_create(
        [
            Disposal(
                run=run,
                organisation_id=run.organisation_id,
                model=model,
                object_id=pk,
                action=action,
                rule=rule,
                at=run.started_at,
            )
            for pk in ids
        ],
        ignore_conflicts=True,
    )
    return list(
        Disposal.objects.filter(run=run, model=model, rule=rule).values_list("object_id", flat=True)
    )


@transaction.atomic
def retention_sweep_organisation(
    *, organisation: Organisation, run_id: str, now: datetime
) -> RetentionRun | None:
    """One organisation's run. Returns None (and records nothing) when nothing was due."""
    schedule = retention_schedule(organisation=organisation)
    run = RetentionRun.objects.create(organisation=organisation, run_id=run_id, started_at=now)
    counts: dict[str, int] = {}

    due = cases_due(organisation=organisation, at=now, schedule=schedule, held=False)
    for kind in (RetentionKind.CLOSED_CASE, RetentionKind.CLOSED_CASE_COURT_ORDER):
        court_order = kind == RetentionKind.CLOSED_CASE_COURT_ORDER
        ids = list(due.filter(court_order=court_order).values_list("pk", flat=True)[:BATCH])
        claimed = _claim(run, "cases.Case", ids, Disposal.Action.ANONYMISED, kind)
        rule = schedule[kind]
        done = cases_anonymise(
            case_ids=claimed,
            reason=f"Anonymised under the retention schedule: {rule.label.lower()}, kept "
            f"{rule.period_display} (retention run {run.pk}).",
        )
        if claimed:
            counts[f"{kind}_cases_anonymised"] = len(claimed)
            counts["people_anonymised"] = counts.get("people_anonymised", 0) + done["people"]
            counts["files_removed"] = counts.get("files_removed", 0) + done["files"]

    counts.update(_online_reports(run, organisation, schedule, now))
    counts.update(_transfers(run, organisation, schedule, now))
    counts.update(_access_logs(organisation, schedule, now))

    counts = {key: value for key, value in counts.items() if value}
    if not counts:
        transaction.set_rollback(True)
        return None
    run.counts = counts
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "finished_at"])
    return run


def _online_reports(run, organisation, schedule, now) -> dict[str, int]:
    due = online_reports_due(organisation=organisation, at=now, schedule=schedule)
    ids = list(due.values_list("pk", flat=True)[:BATCH])
    claimed = _claim(
        run,
        "cases.OnlineReport",
        ids,
        Disposal.Action.DELETED,
        RetentionKind.REJECTED_ONLINE_REPORT,
    )
    if not claimed:
        return {}
    files = files_queue(
        OnlineReport.objects.filter(pk__in=claimed).values_list("upload", flat=True)
    )
    # Their history copies hold the answers too: deleted with them.
    OnlineReport.history.filter(id__in=claimed).delete()
    OnlineReport.objects.filter(pk__in=claimed).delete()
    OnlineReport.history.filter(id__in=claimed).delete()  # the delete's own history row
    return {"online_reports_deleted": len(claimed), "files_removed_reports": files}


# An unsuccessful transfer request's free text: (model, the column naming the referral, fields).
TRANSFER_PARTS = (
    (
        "transfers.TransferReferral",
        "id",
        ("reason_details", "accessibility_needs", "areas_to_avoid", "progress_note"),
    ),
    ("transfers.PanelVote", "referral_id", ("comment",)),
)


def _transfers(run, organisation, schedule, now) -> dict[str, int]:
    due = transfers_due(organisation=organisation, at=now, schedule=schedule)
    ids = list(due.values_list("pk", flat=True)[:BATCH])
    claimed = _claim(
        run,
        "transfers.TransferReferral",
        ids,
        Disposal.Action.ANONYMISED,
        RetentionKind.UNSUCCESSFUL_TRANSFER,
    )
    if not claimed:
        return {}
    for label, column, fields in TRANSFER_PARTS:
        model = apps.get_model(label)
        values = _values(model, fields)
        model.objects.filter(**{f"{column}__in": claimed}).update(**values)
        history_scrub(model.history.filter(**{f"{column}__in": claimed}), values)  # type: ignore[attr-defined]
    # The household moved or not: the request no longer says who they were.
    TransferReferral.household.through.objects.filter(transferreferral_id__in=claimed).delete()
    TransferReferral.history.bulk_history_create(
        list(TransferReferral.objects.filter(pk__in=claimed)),
        update=True,
        default_change_reason=f"Anonymised under the retention schedule (retention run {run.pk}).",
    )
    return {"transfer_referrals_anonymised": len(claimed)}


def _access_logs(organisation, schedule, now) -> dict[str, int]:
    case_log, report_log = access_logs_due(organisation=organisation, at=now, schedule=schedule)
    return {
        "access_logs_deleted": case_log.delete()[0] + report_log.delete()[0],
    }
