"""Template versions: the defaults every organisation starts with and admins' edits."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from accounts.models import Organisation, User

from ..defaults import DEFAULT_TEMPLATES
from ..models import LetterKind, LetterTemplate
from ..rendering import template_errors


def letter_templates_ensure_defaults(*, organisation: Organisation) -> int:
    """Give the organisation version 1 of every kind it lacks. Idempotent; returns how many."""
    have = set(
        LetterTemplate.objects.filter(organisation=organisation).values_list("kind", flat=True)
    )
    missing = [kind for kind in LetterKind if kind not in have]
    with transaction.atomic():
        for kind in missing:
            subject, body = DEFAULT_TEMPLATES[kind]
            LetterTemplate.objects.get_or_create(
                organisation=organisation,
                kind=kind,
                version=1,
                defaults={"subject": subject, "body": body, "change_note": "Haven default"},
            )
    return len(missing)


def letter_template_save(
    *, organisation: Organisation, kind: str, by: User, subject: str, body: str, change_note: str
) -> LetterTemplate:
    """An admin's edit: a new version; letters already issued keep the version they used."""
    errors = {}
    for field, text in (("subject", subject), ("body", body)):
        problems = template_errors(text)
        if not text.strip():
            problems.append("This cannot be empty.")
        if problems:
            errors[field] = problems
    if kind not in LetterKind.values:
        errors["kind"] = ["Unknown kind of letter."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock the organisation's row so two admins saving at once get consecutive versions.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        latest = (
            LetterTemplate.objects.filter(organisation=organisation, kind=kind).aggregate(
                v=Max("version")
            )["v"]
            or 0
        )
        return LetterTemplate.objects.create(
            organisation=organisation,
            kind=kind,
            version=latest + 1,
            subject=subject.strip(),
            body=body.strip(),
            created_by=by,
            change_note=change_note.strip()[:200],
        )


def letter_template_current(*, organisation: Organisation, kind: str) -> LetterTemplate:
    template = (
        LetterTemplate.objects.filter(organisation=organisation, kind=kind)
        .order_by("-version")
        .first()
    )
    if template is None:
        letter_templates_ensure_defaults(organisation=organisation)
        return letter_template_current(organisation=organisation, kind=kind)
    return template
