"""The e-mail that invites a new member to set their password.

The link is Django's password-reset link (``PasswordResetTokenGenerator`` through
``default_token_generator``, served by ``PasswordResetConfirmView`` at
``password_reset_confirm``): it works once, because setting the password changes what the
token was made from, and expires after ``PASSWORD_RESET_TIMEOUT`` (three days). The token is
made by the worker when it sends, so none sits in the broker: the task carries ids only.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ..models import Membership, Organisation, User

logger = logging.getLogger(__name__)


def invitation_queue(*, user_pk: int, organisation_pk: int) -> None:
    """Send the invitation once the surrounding transaction commits.

    A broker outage must not undo the new member: it is logged, and the admin can send the
    invitation again from the member's page.
    """

    def hand_over() -> None:
        from ..tasks import invitation_send

        try:
            invitation_send.delay(user_pk, organisation_pk)
        except Exception:  # noqa: BLE001 - any broker failure; the admin can resend
            logger.warning("broker unavailable; invitation for user %s not sent", user_pk)

    transaction.on_commit(hand_over)


def member_invitation_resend(*, organisation: Organisation, user: User, by: User) -> None:
    """A new link for a member who has not set a password yet (the last one expired)."""
    if not Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(f"{user.full_name} holds no role in {organisation.name}.")
    if user.has_usable_password():
        raise ValidationError(
            f"{user.full_name} has set a password already: if they have forgotten it, "
            "they can use “Forgotten your password?” on the sign-in page."
        )
    invitation_queue(user_pk=user.pk, organisation_pk=organisation.pk)


def member_invitation_send(*, user_pk: int, organisation_pk: int) -> bool:
    """Called by the worker. Nothing is sent to an account that is gone, deactivated or
    already has a password (the link would only reset it). True if sent."""
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    organisation = Organisation.objects.filter(pk=organisation_pk).first()
    if user is None or organisation is None or user.has_usable_password():
        return False
    link = settings.HAVEN_SITE_URL + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "organisation": organisation,
        "link": link,
        "days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
    }
    send_mail(
        subject=render_to_string("accounts/email/invitation_subject.txt", context).strip(),
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return True
