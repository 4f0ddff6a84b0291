"""Preparing a bundle exactly once, and the sweep that loses no request.

The pattern of ``letters.services.delivery``: the worker claims the request with a
conditional UPDATE; the claim is a lease that outlives the task's hard time limit, so once it
has expired its holder is certainly dead and the sweep hands the request to another worker.
Preparing is safe to repeat: both files are written under fixed names. The status change,
the counts and the access-log rows commit in one transaction, so a worker killed before it
leaves the request queued and nothing half-recorded.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import CaseAccess, CaseParty
from letters.rendering import html_to_pdf

from ..bundle import bundle_build, bundle_counts
from ..models import SubjectAccessRequest, SubjectAccessStatus

logger = logging.getLogger(__name__)

TASK_HARD_LIMIT = settings.HAVEN_SUBJECT_ACCESS_TASK_SECONDS
TASK_SOFT_LIMIT = TASK_HARD_LIMIT - min(15, TASK_HARD_LIMIT // 3)
# A claim older than this is dead (see the module's docstring).
CLAIM_LEASE = timedelta(seconds=TASK_HARD_LIMIT + 30)
# A queued request nobody claimed for this long is handed over again (a broker outage).
REQUEUE_AFTER = timedelta(minutes=2)
# After this many attempts a request is marked failed for a manager to look at.
MAX_ATTEMPTS = 3


def file_names(request: SubjectAccessRequest) -> tuple[str, str]:
    base = f"subject-access/{request.organisation_id}/request-{request.pk}"
    return f"{base}.pdf", f"{base}.json"


def bundle_html(bundle: dict) -> str:
    return render_to_string("subject_access/bundle_pdf.html", {"bundle": bundle})


def _claim(request_id: int, token: str) -> bool:
    now = timezone.now()
    unclaimed = Q(claim="") | Q(claimed_at__lt=now - CLAIM_LEASE)
    return bool(
        SubjectAccessRequest.objects.filter(
            unclaimed, pk=request_id, status=SubjectAccessStatus.QUEUED
        ).update(claim=token, claimed_at=now)
    )


def _write(name: str, content: bytes) -> str:
    # Nobody else writes this name while our lease lives.
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def subject_access_prepare(*, request_id: int) -> bool:
    """Build the bundle, write the PDF and the JSON file, mark it ready. True if this call
    prepared it; a second call, or a call while another worker's lease lives, does nothing."""
    token = uuid.uuid4().hex
    if not _claim(request_id, token):
        return False
    request = SubjectAccessRequest.objects.select_related("person__organisation").get(pk=request_id)
    pdf_name, data_name = file_names(request)
    try:
        bundle = bundle_build(person=request.person, reference=request.reference)
        data = json.dumps(bundle, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()
        # The PDF is drawn from the JSON as written, so the two files say the same.
        pdf = html_to_pdf(bundle_html(json.loads(data)))
        saved_pdf = _write(pdf_name, pdf)
        saved_data = _write(data_name, data)
    except Exception as error:
        # SoftTimeLimitExceeded lands here too. Release the claim so the sweep retries,
        # until MAX_ATTEMPTS, then fail it for a manager to see.
        attempts = request.attempts + 1
        failed = attempts >= MAX_ATTEMPTS
        with transaction.atomic():
            changed = SubjectAccessRequest.objects.filter(pk=request_id, claim=token).update(
                claim="",
                claimed_at=None,
                attempts=attempts,
                failure=f"Preparing the bundle failed: {type(error).__name__}"[:200],
                status=SubjectAccessStatus.FAILED if failed else SubjectAccessStatus.QUEUED,
            )
            if changed and failed:
                _history(request_id, "Preparation failed")
        logger.exception("Subject access request %s could not be prepared", request_id)
        return False
    with transaction.atomic():
        done = SubjectAccessRequest.objects.filter(
            pk=request_id, claim=token, status=SubjectAccessStatus.QUEUED
        ).update(
            status=SubjectAccessStatus.READY,
            pdf=saved_pdf,
            data=saved_data,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            data_sha256=hashlib.sha256(data).hexdigest(),
            prepared_at=timezone.now(),
            attempts=request.attempts + 1,
            failure="",
            contents=bundle_counts(bundle),
            claim="",
            claimed_at=None,
        )
        if done:
            _history(request_id, "Bundle prepared for review")
            # Each case's own audit trail shows that its file went into an export.
            case_ids = (
                CaseParty.objects.filter(person_id=request.person_id)
                .values_list("case_id", flat=True)
                .distinct()
            )
            CaseAccess.objects.bulk_create(
                CaseAccess(
                    case_id=case_id,
                    user_id=request.recorded_by_id,
                    action=CaseAccess.Action.SUBJECT_ACCESS,
                    object_id=request.person_id,
                )
                for case_id in case_ids
            )
    return bool(done)


def _history(request_id: int, reason: str) -> None:
    """A history row for a change made by UPDATE (which simple-history does not see)."""
    request = SubjectAccessRequest.objects.get(pk=request_id)
    request._change_reason = reason  # type: ignore[attr-defined]
    request.save(update_fields=["status"])


@dataclass
class SweepResult:
    requeued: list[int]


def subject_access_sweep() -> SweepResult:
    """Hand over again every queued request whose claim lapsed (a dead worker) or which
    nobody claimed within ``REQUEUE_AFTER`` (the broker lost it or was down). Set-based: one
    query finds them, whatever their number."""
    now = timezone.now()
    stale = SubjectAccessRequest.objects.filter(status=SubjectAccessStatus.QUEUED).filter(
        Q(claim="", created_at__lt=now - REQUEUE_AFTER) | Q(claimed_at__lt=now - CLAIM_LEASE)
    )
    ids = list(stale.values_list("pk", flat=True)[:500])
    from .requests import subject_access_hand_over

    for request_id in ids:
        subject_access_hand_over(request_id=request_id)
    return SweepResult(requeued=ids)
