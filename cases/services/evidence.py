"""Attaching evidence: content-checked, size-limited, stored under a generated name.

A file and its row go together or not at all: a document store that refuses the file (a
full or read-only disk) leaves no partial file, and a row that cannot be saved takes its
file with it; either way the officer is told beside the file field and nothing is kept.
"""

import errno
import hashlib
import logging
import uuid

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from accounts.models import User
from system.antivirus import upload_check

from ..models import Case, Evidence, Incident
from ..models.choices import EvidenceKind

logger = logging.getLogger(__name__)

NOT_STORED = "Nothing was attached; the rest of the form is kept. Please try again later."
STORE_REFUSED = {
    errno.ENOSPC: "The document store is full, so this file could not be saved.",
    errno.EDQUOT: "The document store is full, so this file could not be saved.",
    errno.EROFS: "The document store is read-only just now, so this file could not be saved.",
}
STORE_FAILED = "The document store could not save this file."
NOT_RECORDED = "The file could not be recorded on the case."

# What each kind of evidence may be, judged by the file's content, never its name.
ALLOWED_TYPES: dict[str, set[str]] = {
    EvidenceKind.PHOTO: {"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic"},
    EvidenceKind.DOCUMENT: {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/msword",
        "application/vnd.oasis.opendocument.text",
    },
    EvidenceKind.AUDIO: {"audio/mpeg", "audio/x-wav", "audio/ogg", "audio/mp4", "audio/m4a"},
    EvidenceKind.VIDEO: {"video/mp4", "video/quicktime", "video/webm", "video/x-msvideo"},
}


def content_type_of(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def evidence_attach(
    *,
    case: Case,
    by: User,
    upload,
    kind: str,
    description: str,
    incident: Incident | None = None,
) -> Evidence:
    limit = settings.HAVEN_EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {"file": f"The file is larger than the limit of {limit // (1024 * 1024)} MB."}
        )
    mime = content_type_of(upload)
    if mime is None or mime not in ALLOWED_TYPES.get(kind, set()):
        raise ValidationError(
            {"file": "The file's content is not an accepted type for this kind of evidence."}
        )
    if incident is not None and incident.case_id != case.pk:
        raise ValidationError({"incident": "Choose an incident in this case."})
    upload_check(upload, field="file")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = Evidence(
        case=case,
        incident=incident,
        kind=kind,
        description=description.strip(),
        storage_key=uuid.uuid4().hex,
        original_name=(upload.name or "upload")[-255:],
        content_type=mime,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
    )
    evidence._history_user = by  # type: ignore[attr-defined]
    name = evidence.file.field.generate_filename(evidence, evidence.storage_key)
    try:
        evidence.file.save(evidence.storage_key, upload, save=False)
    except OSError as error:
        _discard(evidence.file.storage, name)
        logger.warning(
            "Evidence for case %s not stored: %s", case.pk, errno.errorcode.get(error.errno, "?")
        )
        reason = STORE_REFUSED.get(error.errno, STORE_FAILED)
        raise ValidationError({"file": f"{reason} {NOT_STORED}"}) from error
    try:
        with transaction.atomic():
            evidence.save()
    except DatabaseError as error:
        _discard(evidence.file.storage, evidence.file.name)
        logger.exception("Evidence for case %s stored but not recorded; file removed", case.pk)
        raise ValidationError({"file": f"{NOT_RECORDED} {NOT_STORED}"}) from error
    except BaseException:
        _discard(evidence.file.storage, evidence.file.name)
        raise
    return evidence


def _discard(storage, name: str) -> None:
    """Remove what a failed attempt left (a full disk leaves a partial file)."""
    try:
        if name and storage.exists(name):
            storage.delete(name)
    except OSError:
        logger.error("Could not remove a partly stored evidence file")
