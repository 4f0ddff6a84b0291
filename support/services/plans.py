"""The action plan (C21, C22) and its safety measures (C12).

Every change to the actions makes a new version and starts the deadline to issue the
updated plan to the complainant (C22); agreeing it meets C21 and starts the first review;
a review meets C22's review deadline and starts the next.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import Case, CaseParty
from cases.models.choices import PartyRole
from deadlines.events import (
    deadlines_plan_agreed,
    deadlines_plan_changed,
    deadlines_plan_issued,
    deadlines_plan_reviewed,
)
from letters.models import Letter, LetterKind
from letters.services.issue import letter_issue
from policy.formats import uk_date

from ..models import ActionKind, ActionPlan, ActionStatus, PlanAction, PlanReview, PlanVersion


def _plan_for(case: Case, by: User) -> ActionPlan:
    plan, _ = ActionPlan.objects.select_for_update().get_or_create(
        case=case, defaults={"created_by": by}
    )
    return plan


def _new_version(plan: ActionPlan, by: User, change: str, at: datetime) -> PlanVersion:
    plan.version += 1
    plan._history_user = by  # type: ignore[attr-defined]
    plan.save(update_fields=["version"])
    snapshot = [
        {
            "kind": a.kind,
            "description": a.description,
            "owner": a.owner,
            "protects": a.protects.display_name if a.protects_id else "",
            "due_date": a.due_date.isoformat(),
            "status": a.status,
        }
        for a in plan.actions.select_related("protects__person").order_by("due_date", "pk")
    ]
    version = PlanVersion.objects.create(
        plan=plan, number=plan.version, change=change[:200], actions=snapshot, created_by=by
    )
    deadlines_plan_changed(case=plan.case, changed_at=at)
    return version


def _check_action(case: Case, kind: str, protects: CaseParty | None, due_date: date, errors):
    if kind == ActionKind.SAFETY_MEASURE and protects is None:
        errors["protects"] = "Say whose safety the measure protects (C12)."
    if protects is not None and (
        protects.case_id != case.pk
        or protects.role not in (PartyRole.VICTIM, PartyRole.WITNESS, PartyRole.COMPLAINANT)
    ):
        errors["protects"] = "Choose a victim, complainant or witness in this case."
    if due_date < timezone.localdate(case.received_at):
        errors["due_date"] = "The due date cannot be before the report was received."


def plan_action_add(
    *,
    case: Case,
    by: User,
    kind: str,
    description: str,
    owner: str,
    due_date: date,
    protects: CaseParty | None = None,
) -> PlanAction:
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = "Say what is to be done."
    if not owner.strip():
        errors["owner"] = "Say who will do it."
    _check_action(case, kind, protects, due_date, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan = _plan_for(case, by)
        action = PlanAction(
            plan=plan,
            kind=kind,
            description=description.strip(),
            owner=owner.strip(),
            due_date=due_date,
            protects=protects,
        )
        action._history_user = by  # type: ignore[attr-defined]
        action.save()
        label = "Safety measure" if kind == ActionKind.SAFETY_MEASURE else "Action"
        _new_version(plan, by, f"{label} added: {action.description}", timezone.now())
    return action


def plan_action_update(
    *, action: PlanAction, by: User, status: str, due_date: date, owner: str
) -> PlanAction:
    errors: dict[str, str] = {}
    if not owner.strip():
        errors["owner"] = "Say who will do it."
    _check_action(action.plan.case, action.kind, action.protects, due_date, errors)
    if errors:
        raise ValidationError(errors)
    changes = []
    if status != action.status:
        changes.append(f"now {ActionStatus(status).label.lower()}")
    if due_date != action.due_date:
        changes.append(f"due {uk_date(due_date)}")
    if owner.strip() != action.owner:
        changes.append(f"owner {owner.strip()}")
    if not changes:
        return action
    with transaction.atomic():
        plan = _plan_for(action.plan.case, by)
        action.status, action.due_date, action.owner = status, due_date, owner.strip()
        action._history_user = by  # type: ignore[attr-defined]
        action.save()
        _new_version(plan, by, f"{action.description}: {', '.join(changes)}", timezone.now())
    return action


def action_plan_agree(*, case: Case, by: User, agreed_at: datetime) -> ActionPlan:
    """C21: the date the complainant agreed the plan meets the 14-day deadline."""
    if agreed_at > timezone.now():
        raise ValidationError({"agreed_at": "The plan cannot be agreed in the future."})
    if agreed_at < case.received_at:
        raise ValidationError({"agreed_at": "That is before the report was received."})
    with transaction.atomic():
        plan = _plan_for(case, by)
        if not plan.actions.exists():
            raise ValidationError(
                {"agreed_at": "Add at least one action before agreeing the plan."}
            )
        if plan.agreed_at is not None:
            raise ValidationError({"agreed_at": "The plan was already agreed; review it instead."})
        plan.agreed_at = agreed_at
        plan._history_user = by  # type: ignore[attr-defined]
        plan._change_reason = "Agreed with the complainant"  # type: ignore[attr-defined]
        plan.save(update_fields=["agreed_at"])
        deadlines_plan_agreed(case=case, agreed_at=agreed_at, by=by)
    return plan


def action_plan_review(
    *, plan: ActionPlan, by: User, reviewed_at: datetime, outcome: str, notes: str = ""
) -> PlanReview:
    """C22: a review (first at 15 days, then every 30) with its outcome."""
    if plan.agreed_at is None:
        raise ValidationError({"reviewed_at": "Agree the plan with the complainant first."})
    if reviewed_at > timezone.now():
        raise ValidationError({"reviewed_at": "A review cannot be in the future."})
    if reviewed_at < plan.agreed_at:
        raise ValidationError({"reviewed_at": "A review cannot be before the plan was agreed."})
    with transaction.atomic():
        review = PlanReview(
            plan=plan, reviewed_at=reviewed_at, outcome=outcome, notes=notes, reviewed_by=by
        )
        review._history_user = by  # type: ignore[attr-defined]
        review.save()
        deadlines_plan_reviewed(case=plan.case, reviewed_at=reviewed_at, by=by)
    return review


PLAN_RECIPIENT_ROLES = (PartyRole.COMPLAINANT, PartyRole.VICTIM)


def plan_summary_text(*, plan: ActionPlan) -> str:
    """The plan's actions as the letter sets them out, one numbered line each.

    Safety measures name whom they protect; ``letter_issue`` strikes any name the recipient
    may not read (C11: a witness without consent) before the letter is stored.
    """
    lines = []
    for number, action in enumerate(
        plan.actions.select_related("protects__person").exclude(status=ActionStatus.CANCELLED),
        start=1,
    ):
        label = "Safety measure" if action.kind == ActionKind.SAFETY_MEASURE else "Action"
        whom = f" (for {action.protects.display_name})" if action.protects_id else ""
        state = " Done." if action.status == ActionStatus.DONE else ""
        lines.append(
            f"{number}. {label}{whom}: {action.description}. Who: {action.owner}. "
            f"By {action.due_date.day} {action.due_date:%B %Y}.{state}"
        )
    if plan.case.agreed_contact_days:
        # C22: "unless the plan says otherwise": the frequency agreed is part of the plan.
        lines.append(
            f"{len(lines) + 1}. We will phone you every {plan.case.agreed_contact_days} days, "
            "as agreed with you."
        )
    return "\n".join(lines)


def action_plan_issue(
    *,
    plan: ActionPlan,
    by: User,
    recipient: CaseParty,
    delivery: str | None = None,
    reason: str = "",
) -> Letter:
    """C22: issue the latest version to the complainant (or the victim) as a letter.

    The letter is written in the same transaction as the plan's issued version and the met
    3-day deadline, and goes to the worker on commit; issuing needs a letter, so a plan is
    never marked issued without one.
    """
    if recipient.case_id != plan.case_id or recipient.role not in PLAN_RECIPIENT_ROLES:
        raise ValidationError({"recipient": "Choose the complainant or the victim."})
    with transaction.atomic():
        locked = (
            ActionPlan.objects.select_for_update(of=("self",))
            .select_related("case")
            .get(pk=plan.pk)
        )
        if not locked.needs_issuing:
            raise ValidationError({"recipient": "The latest version has already been issued."})
        summary = plan_summary_text(plan=locked)
        if not summary:
            raise ValidationError({"recipient": "The plan has no actions to issue."})
        letter = letter_issue(
            case=locked.case,
            kind=LetterKind.ACTION_PLAN,
            recipient=recipient,
            by=by,
            reason=reason,
            extra={"plan_summary": summary},
            delivery=delivery or None,
        )
        locked.last_issued_version = locked.version
        locked._history_user = by  # type: ignore[attr-defined]
        locked._change_reason = (  # type: ignore[attr-defined]
            f"Version {locked.version} issued to the {recipient.get_role_display().lower()}"
        )
        locked.save(update_fields=["last_issued_version"])
        deadlines_plan_issued(case=locked.case, issued_at=letter.created_at, by=by)
    plan.last_issued_version = locked.last_issued_version
    return letter
