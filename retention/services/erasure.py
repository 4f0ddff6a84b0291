"""Erasure requests (UK GDPR Art. 17): recorded, decided with the reason, carried out by
anonymising the person everywhere Haven holds them while keeping the cases."""

from __future__ import annotations

import re
from datetime import date

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import Case, CaseParty, Person
from cases.services.search import case_search_refresh
from letters.models import Letter

from ..models import Disposal, ErasureRequest
from ..selectors import person_holding_cases
from .anonymise import CASE_PARTS, REMOVED, _rows, files_queue, persons_scrub

# Shorter identifiers would strike ordinary words out of the case's text.
MIN_NEEDLE = 3


def erasure_request_record(
    *, person: Person, by: User, received_on: date, channel: str, grounds: str
) -> ErasureRequest:
    errors = {}
    if received_on is None:
        errors["received_on"] = "Give the date the request was received."
    elif received_on > timezone.localdate():
        errors["received_on"] = "That date is in the future."
    if channel not in ErasureRequest.Channel.values:
        errors["channel"] = "Choose how the request was made."
    if errors:
        raise ValidationError(errors)
    request = ErasureRequest(
        organisation_id=person.organisation_id,
        person=person,
        received_on=received_on,
        channel=channel,
        grounds=grounds.strip(),
        recorded_by=by,
    )
    request._history_user = by  # type: ignore[attr-defined]
    request._change_reason = "Erasure request recorded"  # type: ignore[attr-defined]
    request.save()
    return request


def erasure_request_decide(
    *, request: ErasureRequest, by: User, erase: bool, reason: str
) -> ErasureRequest:
    """Agree (the person is erased now) or refuse, with the reason either way."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the decision: it is kept."})
    with transaction.atomic():
        request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
        if request.decision != ErasureRequest.Decision.PENDING:
            raise ValidationError("This request has already been decided.")
        if erase:
            person_erase(person=request.person, request=request)
        request.decision = (
            ErasureRequest.Decision.ERASED if erase else ErasureRequest.Decision.REFUSED
        )
        request.decision_reason = reason.strip()
        request.decided_by = by
        request.decided_at = timezone.now()
        request._history_user = by  # type: ignore[attr-defined]
        request._change_reason = f"Decided: {request.get_decision_display()}"  # type: ignore[attr-defined]
        request.save()
    return request


def _needles(person: Person) -> list[str]:
    values = [person.full_name, person.known_as, person.phone, person.email, person.postcode]
    values += [line.strip() for line in person.address.splitlines()]
    return [v for v in values if v and len(v.strip()) >= MIN_NEEDLE]


def _strike(value, pattern):
    if isinstance(value, str):
        return pattern.sub(REMOVED, value)
    if isinstance(value, list):
        return [_strike(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _strike(v, pattern) for k, v in value.items()}
    return value


def _strike_text(case_ids: list[int], pattern) -> None:
    """The person's identifiers struck out of every piece of free text on their cases
    (other people's words about them), in the rows and their history."""
    for label, path, fields in CASE_PARTS:
        model = apps.get_model(label)
        querysets = [_rows(model, path, case_ids)]
        if hasattr(model, "history"):
            querysets.append(_rows(model, path, case_ids, history=True))
        for rows in querysets:
            changed = []
            for row in rows.only("pk", *fields):
                before = {f: getattr(row, f) for f in fields}
                after = {f: _strike(v, pattern) for f, v in before.items()}
                if after != before:
                    for f, v in after.items():
                        setattr(row, f, v)
                    changed.append(row)
            if changed:
                rows.model.objects.bulk_update(changed, list(fields))


def person_erase(*, person: Person, request: ErasureRequest | None = None) -> dict[str, int]:
    """Anonymise one person everywhere, keeping the cases they are in (their roles stay,
    so the figures do). Refused while any of their cases is under a legal hold."""
    held = list(person_holding_cases(person=person).values_list("reference", flat=True))
    if held:
        raise ValidationError(
            f"{', '.join(held)} {'is' if len(held) == 1 else 'are'} under a legal hold: "
            "the person cannot be erased while a hold stands. Refuse the request with the "
            "reason, or decide it once the hold is released."
        )
    if Disposal.objects.filter(model="cases.Person", object_id=person.pk).exists():
        raise ValidationError("This person has already been anonymised.")
    with transaction.atomic():
        case_ids = list(
            CaseParty.objects.filter(person=person).values_list("case_id", flat=True).distinct()
        )
        needles = _needles(person)
        if needles and case_ids:
            pattern = re.compile(
                "|".join(re.escape(n) for n in sorted(set(needles), key=len, reverse=True)),
                flags=re.IGNORECASE,
            )
            _strike_text(case_ids, pattern)
        files = files_queue(
            Letter.objects.filter(recipient__person=person).values_list("pdf", flat=True)
        )
        persons_scrub(person_ids=[person.pk])
        Disposal.objects.create(
            organisation_id=person.organisation_id,
            erasure=request,
            model="cases.Person",
            object_id=person.pk,
            action=Disposal.Action.ANONYMISED,
        )
        case_search_refresh(case_ids=case_ids)
        why = f"Erased on request (erasure request {request.pk})." if request else "Erased."
        Person.history.bulk_history_create(
            [Person.objects.get(pk=person.pk)], update=True, default_change_reason=why
        )
        Case.history.bulk_history_create(
            list(Case.objects.filter(pk__in=case_ids)),
            update=True,
            default_change_reason=f"A person on the case was erased on request "
            f"(erasure request {request.pk if request else '-'}).",
        )
    return {"cases": len(case_ids), "files": files}
