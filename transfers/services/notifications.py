"""Telling the officer about the panel's decision. The e-mail names the case reference only.

Written to the outbox with the decision (kind ``transfers.decision_officer``, the decision's
id) and rendered by the worker as it sends; ``officer_notified_at`` is stamped once the mail
server has taken it.
"""

from datetime import datetime

from django.core.mail import EmailMessage

from outbox.services import outbox_email_add

from ..models import PanelDecision

DECISION_OFFICER = "transfers.decision_officer"


def decision_officer_notify_queue(*, decision_id: int) -> None:
    """In the caller's transaction: the e-mail to the case's officer (or the referrer)."""
    outbox_email_add(kind=DECISION_OFFICER, key=str(decision_id), params={"decision": decision_id})


def decision_officer_render(params: dict) -> EmailMessage | None:
    decision = (
        PanelDecision.objects.select_related(
            "referral__case__assigned_officer", "referral__referred_by"
        )
        .filter(pk=params["decision"])
        .first()
    )
    if decision is None:
        return None
    referral = decision.referral
    officer = referral.case.assigned_officer or referral.referred_by
    letter_line = (
        "The decision letter to the household is on the case's letters panel.\n\n"
        if decision.letter_id
        else "No decision letter could be produced: nobody in the household who is the "
        "complainant or victim has an address or e-mail on the case. Please tell them "
        "and record how to reach them.\n\n"
    )
    return EmailMessage(
        subject=f"Housing Panel decision on case {referral.case.reference}",
        body=(
            f"The Housing Panel has recorded a decision on the transfer referral for case "
            f"{referral.case.reference}: {decision.get_outcome_display()}.\n\n"
            f"{letter_line}"
            "Sign in to Haven and open Transfers to see it.\n"
        ),
        to=[officer.email],
    )


def decision_officer_sent(params: dict, sent_at: datetime) -> None:
    PanelDecision.objects.filter(pk=params["decision"]).update(officer_notified_at=sent_at)
