"""Case notes: free text kept with author and time, alongside the structured records."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User

from ..models import Case, Note


def note_add(*, case: Case, by: User, text: str) -> Note:
    if not text.strip():
        raise ValidationError({"text": "Write the note."})
    note = Note(case=case, text=text.strip(), author=by)
    note._history_user = by  # type: ignore[attr-defined]
    with transaction.atomic():
        note.save()
    return note
