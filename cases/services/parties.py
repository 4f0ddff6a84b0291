"""People and their roles in cases (W02, W22, C10, C11, C18)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from deadlines.events import deadlines_party_added

from ..models import Case, CaseParty, Person
from ..models.choices import PartyRole, PerpetratorKind, Tenure
from ..selectors import person_offered_to
from .search import case_search_refresh

# A person chosen by id who was not among those offered to the user (restricted cases).
NOT_OFFERED = "Choose one of the people offered."

# Tenures whose people answer through a tenancy holder (C10).
HOUSEHOLD_TENURES = (Tenure.HOUSEHOLD_MEMBER, Tenure.VISITOR)


class StalePersonError(Exception):
    """Someone else saved the person after this user opened them."""


def _validate_person(
    *, organisation: Organisation, by: User, fields: dict, person: Person | None
) -> None:
    errors: dict[str, str] = {}
    dob = fields.get("date_of_birth")
    if dob is not None and dob > timezone.localdate():
        errors["date_of_birth"] = "A date of birth cannot be in the future."
    holder = fields.get("tenancy_holder")
    if holder is not None:
        if holder.organisation_id != organisation.pk:
            errors["tenancy_holder"] = "Choose a tenant of this organisation."
        elif person is not None and holder.pk == person.pk:
            errors["tenancy_holder"] = "A person cannot be their own tenancy holder."
        elif holder.tenure in HOUSEHOLD_TENURES:
            errors["tenancy_holder"] = "The tenancy holder must hold a tenancy or lease."
        elif (person is None or holder.pk != person.tenancy_holder_id) and not (
            person_offered_to(user=by, organisation=organisation, person=holder)
        ):
            errors["tenancy_holder"] = NOT_OFFERED
    if not (fields.get("full_name") or "").strip():
        errors["full_name"] = "Give the person's name."
    if errors:
        raise ValidationError(errors)


def _apply_consent(person: Person, consent: bool, by: User) -> None:
    """C11: written consent is recorded with who recorded it and when, and withdrawn cleanly."""
    if consent and not person.disclosure_consent:
        person.disclosure_consent_recorded_at = timezone.now()
        person.disclosure_consent_recorded_by = by
    elif not consent:
        person.disclosure_consent_recorded_at = None
        person.disclosure_consent_recorded_by = None
    person.disclosure_consent = consent


def person_create(*, organisation: Organisation, by: User, **fields) -> Person:
    _validate_person(organisation=organisation, by=by, fields=fields, person=None)
    consent = bool(fields.pop("disclosure_consent", False))
    person = Person(organisation=organisation, **fields)
    _apply_consent(person, consent, by)
    person.full_clean(exclude=["tenancy_holder", "disclosure_consent_recorded_by"])
    person._history_user = by  # type: ignore[attr-defined]
    person._change_reason = "Person added"  # type: ignore[attr-defined]
    with transaction.atomic():
        person.save()
    return person


def person_update(
    *,
    person: Person,
    by: User,
    expected_version: int,
    reason: str = "Details changed",
    **fields,
) -> Person:
    """Change a person's details; a stale version is refused like a stale case. ``reason``
    goes into the history (a rectification request names itself there)."""
    _validate_person(organisation=person.organisation, by=by, fields=fields, person=person)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if locked.version != expected_version:
            raise StalePersonError
        consent = bool(fields.pop("disclosure_consent", locked.disclosure_consent))
        for name, value in fields.items():
            setattr(locked, name, value)
        _apply_consent(locked, consent, by)
        locked.version += 1
        locked.updated_at = timezone.now()
        locked._history_user = by  # type: ignore[attr-defined]
        locked._change_reason = reason  # type: ignore[attr-defined]
        locked.save()
        # Their name is in the search document of every case they are on.
        case_search_refresh(case_ids=CaseParty.objects.filter(person=locked).values("case"))
    return locked


def _may_name(*, by: User, case: Case, person: Person) -> bool:
    """A person already in this case, or one this user may see: never someone who appears
    only on restricted cases the user may not open, whose id was typed into a request."""
    return CaseParty.objects.filter(case=case, person=person).exists() or person_offered_to(
        user=by, organisation=case.organisation, person=person
    )


def party_add(
    *,
    case: Case,
    by: User,
    role: str,
    person: Person | None = None,
    perpetrator_kind: str = "",
    description: str = "",
) -> CaseParty:
    """Give a person a role in a case (C18: the same person may hold roles in other cases).

    A perpetrator may be unknown or a group, with no person behind them yet. An existing
    person must be one this user may see (``people_visible_to``) or already in the case.
    """
    errors: dict[str, str] = {}
    if role == PartyRole.PERPETRATOR:
        perpetrator_kind = perpetrator_kind or PerpetratorKind.NAMED
        if perpetrator_kind == PerpetratorKind.NAMED and person is None:
            errors["person"] = "Give the named perpetrator's details, or choose unknown or group."
        if perpetrator_kind != PerpetratorKind.NAMED and person is not None:
            person = None
    else:
        perpetrator_kind = ""
        if person is None:
            errors["person"] = "Give the person's details."
    if person is not None and person.organisation_id != case.organisation_id:
        errors["person"] = "That person belongs to another organisation."
    elif person is not None and not _may_name(by=by, case=case, person=person):
        errors["person"] = NOT_OFFERED
    if (
        person is not None
        and CaseParty.objects.filter(case=case, person=person, role=role).exists()
    ):
        errors["role"] = "That person already has this role in the case."
    if errors:
        raise ValidationError(errors)
    party = CaseParty(
        case=case,
        person=person,
        role=role,
        perpetrator_kind=perpetrator_kind,
        description=description.strip(),
    )
    party._history_user = by  # type: ignore[attr-defined]
    party._change_reason = "Added to the case"  # type: ignore[attr-defined]
    with transaction.atomic():
        party.save()
        case_search_refresh(case_ids=[case.pk])
        if person is not None:
            deadlines_party_added(party=party, at=timezone.now())
    return party


def party_remove(*, party: CaseParty, by: User) -> None:
    """Take a role off a case (added in error). History keeps the row; contacts block it."""
    if party.contacts.exists():
        raise ValidationError("Contacts were recorded with this person; their role stays.")
    if party.letters.exists():
        raise ValidationError("Letters were sent to this person; their role stays.")
    party._history_user = by  # type: ignore[attr-defined]
    party._change_reason = "Removed from the case"  # type: ignore[attr-defined]
    with transaction.atomic():
        party.delete()
        case_search_refresh(case_ids=[party.case_id])
