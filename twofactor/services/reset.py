"""Starting again when every factor is lost.

Nobody resets their own second factor: someone with a backup code signs in with it and sets
up a new authenticator themselves. Someone with none left asks an organisation admin, who
resets it from the member's page with a reason: their authenticator and backup codes go,
every session they verified before now is signed out, every remembered device forgets them,
the reset is recorded (who, when, why) and they are e-mailed through the outbox. At their
next sign-in they set up a new authenticator. An organisation with no other admin left asks
a platform operator, who runs ``manage.py second_factor_reset`` (the same service, recorded
the same way): never a database edit.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, Organisation, User
from outbox.services import outbox_email_add

from ..models import SecondFactorEvent

RESET_EMAIL = "twofactor.reset"
REASON_MAX = 1000


def second_factor_reset(
    *, user: User, by: User | None, reason: str, organisation: Organisation | None = None
) -> SecondFactorEvent:
    """Remove ``user``'s authenticator and backup codes so they set up new ones.

    ``organisation`` is the admin's organisation (``user`` must hold a role there); None only
    for the platform operator's command, where ``by`` is None too."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give a reason for resetting their two-factor sign-in."})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason to {REASON_MAX} characters or fewer."})
    if by is not None and by.pk == user.pk:
        raise ValidationError(
            "You cannot reset your own two-factor sign-in. Sign in with one of your backup "
            "codes and set up a new authenticator, or ask another organisation admin."
        )
    if (
        organisation is not None
        and not Membership.objects.filter(organisation=organisation, user=user).exists()
    ):
        raise ValidationError(f"{user.full_name} holds no role in {organisation.name}.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        now = timezone.now()
        User.objects.filter(pk=user.pk).update(second_factor_reset_at=now)
        user.second_factor_reset_at = now
        event = SecondFactorEvent.objects.create(
            user=user,
            kind=SecondFactorEvent.Kind.RESET,
            organisation=organisation,
            by=by,
            reason=reason,
            at=now,
        )
        outbox_email_add(kind=RESET_EMAIL, key=str(event.pk), params={"event": event.pk})
    return event


def reset_email_render(params: dict) -> EmailMessage | None:
    """Rendered by the outbox worker as it sends: the reason stays in Haven."""
    event = (
        SecondFactorEvent.objects.filter(pk=params["event"], kind=SecondFactorEvent.Kind.RESET)
        .select_related("user", "by", "organisation")
        .first()
    )
    if event is None or not event.user.is_active:
        return None
    context = {"event": event, "user": event.user}
    return EmailMessage(
        subject="Your Haven two-factor sign-in was reset",
        body=render_to_string("twofactor/email/reset.txt", context),
        to=[event.user.email],
    )


def second_factor_events(*, user: User, limit: int = 20) -> list[SecondFactorEvent]:
    return list(
        SecondFactorEvent.objects.filter(user=user).select_related("by", "organisation")[:limit]
    )
