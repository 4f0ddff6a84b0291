"""Case notes: free text kept with author and time, alongside the structured records."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User

from ..models import Case, Note


def note_add(*, case: Case, by: User, text: str, disclosable: bool = False) -> Note:
    if not text.strip():
        raise ValidationError({"text": "Write the note."})
    note = Note(case=case, text=text.strip(), author=by, disclosable=disclosable)
    note._history_user = by  # type: ignore[attr-defined]
    with transaction.atomic():
        note.save()
    return note


def note_disclosure_set(*, note: Note, by: User, disclosable: bool, reason: str) -> Note:
    """Mark a note as one that may (or may not) go into a subject access export."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why."})
    with transaction.atomic():
        locked = Note.objects.select_for_update().get(pk=note.pk)
        if locked.disclosable == disclosable:
            return locked
        locked.disclosable = disclosable
        locked._history_user = by  # type: ignore[attr-defined]
        locked._change_reason = reason.strip()  # type: ignore[attr-defined]
        locked.save()
    return locked
