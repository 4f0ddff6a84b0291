"""``letter_issue``: the one way a letter comes into being. Other features call it inside
the transaction that records their event (a plan issued, a panel decision, a closure), so
the event and its letter are saved together or not at all; the worker gets it on commit."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import Case, CaseParty
from cases.models.choices import PreferredFormat

from ..merge import merge_values
from ..models import LETTER_RECIPIENT_ROLES, Delivery, Letter, LetterKind, letter_recipients_text
from .templates import letter_template_current

logger = logging.getLogger(__name__)


def letter_enqueue(letter_id: int) -> bool:
    """Hand a letter to the worker. A broker outage is not an error here: the letter stays
    queued and the sweep (``letters_requeue``) hands it over again later."""
    from ..tasks import letter_process

    try:
        letter_process.apply_async(args=[letter_id], retry=False)
    except Exception:  # noqa: BLE001 - any broker failure leaves the row for the sweep
        logger.warning("Letter %s not handed to the worker; the sweep will retry", letter_id)
        return False
    Letter.objects.filter(pk=letter_id, enqueued_at__isnull=True).update(enqueued_at=timezone.now())
    return True


def letter_issue(
    *,
    case: Case,
    kind: str,
    recipient: CaseParty,
    by: User | None,
    reason: str,
    extra: dict | None = None,
    delivery: str | None = None,
) -> Letter:
    """Create a letter of ``kind`` to ``recipient`` from the organisation's current template.

    ``extra`` carries the event's own merge values (``evidence_due_date``, ``plan_summary``,
    ``panel_decision``, ...); names and addresses always come from the case file, filtered
    for C11 by ``merge_values``. Rendering and sending happen in the worker after commit.
    """
    if kind not in LetterKind.values:
        raise ValidationError({"kind": "Unknown kind of letter."})
    if recipient.case_id != case.pk or recipient.person_id is None:
        raise ValidationError({"recipient": "Choose a named person on this case."})
    if recipient.role not in LETTER_RECIPIENT_ROLES[kind]:
        raise ValidationError(
            {
                "recipient": f"{LetterKind(kind).label} goes only to "
                f"{letter_recipients_text(kind)}, never to the "
                f"{recipient.get_role_display().lower()}: it would tell them about the report."
            }
        )
    person = recipient.person
    if delivery is None:
        delivery = Delivery.EMAIL if person.email else Delivery.POST
    if delivery == Delivery.EMAIL and not person.email:
        raise ValidationError({"delivery": "There is no e-mail address for this person."})
    if delivery == Delivery.POST and not (person.address or person.postcode):
        raise ValidationError({"delivery": "There is no postal address for this person."})
    parties = list(case.parties.select_related("person"))
    with transaction.atomic():
        template = letter_template_current(organisation=case.organisation, kind=kind)
        letter = Letter(
            case=case,
            recipient=recipient,
            recipient_role=recipient.role,
            kind=kind,
            template=template,
            reason=reason.strip()[:200],
            merge_values=merge_values(
                case=case,
                recipient=recipient,
                parties=parties,
                extra={"reason": reason.strip(), **(extra or {})},
            ),
            # W22 / C28: large print when the person asked for it.
            large_print=person.preferred_format == PreferredFormat.LARGE_PRINT,
            delivery=delivery,
            email_to=person.email if delivery == Delivery.EMAIL else "",
            created_by=by,
        )
        letter._change_reason = f"Issued: {letter.get_kind_display()}"[:100]  # type: ignore[attr-defined]
        letter._history_user = by  # type: ignore[attr-defined]
        letter.save()
        letter_id = letter.pk
        transaction.on_commit(lambda: letter_enqueue(letter_id))
    return letter


def next_contact_due(*, case: Case):
    """C17: when the complainant will next hear from the officer, from the open deadlines."""
    from deadlines.models import LIVE_STATES, Deadline, DeadlineRule

    upcoming = (
        Deadline.objects.filter(
            case=case,
            state__in=LIVE_STATES,
            rule__in=[
                DeadlineRule.W08_FIRST_CONTACT,
                DeadlineRule.C19_OFFICER_CONTACT,
                DeadlineRule.W13_WELFARE_CALL,
            ],
            due_at__gte=timezone.now(),
        )
        .order_by("due_at")
        .first()
    )
    return upcoming.due_at if upcoming else None


def letter_issue_by_officer(
    *,
    case: Case,
    kind: str,
    recipient: CaseParty,
    by: User,
    delivery: str,
    reason: str,
    next_contact_on=None,
) -> Letter:
    """An officer issues an acknowledgement (C17) from the case page. The action plan letter
    (C22) comes from the plan itself: ``support.services.plans.action_plan_issue``."""
    if kind != LetterKind.ACKNOWLEDGEMENT:
        raise ValidationError({"kind": "That letter comes from its own workflow."})
    when = next_contact_on or next_contact_due(case=case)
    if when is None:
        raise ValidationError({"next_contact_on": "Say when the officer will next be in touch."})
    extra = {"next_contact_date": when if hasattr(when, "hour") else _long(when)}
    return letter_issue(
        case=case,
        kind=kind,
        recipient=recipient,
        by=by,
        reason=reason,
        extra=extra,
        delivery=delivery,
    )


def _long(day) -> str:
    from ..merge import long_date

    return long_date(day)
