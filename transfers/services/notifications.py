"""Telling the officer about the panel's decision. The e-mail names the case reference only."""

from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ..models import PanelDecision


def decision_officer_notify(*, decision_id: int) -> bool:
    """E-mail the case's assigned officer (or the referrer). Sent once: claimed first."""
    decision = PanelDecision.objects.select_related(
        "referral__case__assigned_officer", "referral__referred_by"
    ).get(pk=decision_id)
    with transaction.atomic():
        claimed = PanelDecision.objects.filter(
            pk=decision_id, officer_notified_at__isnull=True
        ).update(officer_notified_at=timezone.now())
        if claimed != 1:
            return False
        referral = decision.referral
        officer = referral.case.assigned_officer or referral.referred_by
        letter_line = (
            "The decision letter to the household is on the case's letters panel.\n\n"
            if decision.letter_id
            else "No decision letter could be produced: nobody in the household who is the "
            "complainant or victim has an address or e-mail on the case. Please tell them "
            "and record how to reach them.\n\n"
        )
        send_mail(
            subject=f"Housing Panel decision on case {referral.case.reference}",
            message=(
                f"The Housing Panel has recorded a decision on the transfer referral for case "
                f"{referral.case.reference}: {decision.get_outcome_display()}.\n\n"
                f"{letter_line}"
                "Sign in to Haven and open Transfers to see it.\n"
            ),
            from_email=None,
            recipient_list=[officer.email],
        )
    return True


def decisions_notify_pending(*, older_than_minutes: int = 10) -> int:
    """Send the e-mails that were not sent when their decision was recorded."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    pending = PanelDecision.objects.filter(
        officer_notified_at__isnull=True, decided_at__lt=cutoff
    ).values_list("pk", flat=True)
    return sum(decision_officer_notify(decision_id=pk) for pk in list(pending))
