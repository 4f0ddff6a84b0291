"""Attaching evidence: content-checked, size-limited, stored under a generated name."""

import hashlib
import uuid

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from system.antivirus import upload_check

from ..models import Case, Evidence, Incident
from ..models.choices import EvidenceKind

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
    with transaction.atomic():
        evidence.file.save(evidence.storage_key, upload, save=False)
        try:
            evidence.save()
        except Exception:
            evidence.file.delete(save=False)
            raise
    return evidence
