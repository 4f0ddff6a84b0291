"""The e-mail that invites a new member to set their password.

The link is Django's password-reset link (``PasswordResetTokenGenerator`` through
``default_token_generator``, served by ``PasswordResetConfirmView`` at
``password_reset_confirm``): it works once, because setting the password changes what the
token was made from, and expires after ``PASSWORD_RESET_TIMEOUT`` (three days).

The invitation goes through the outbox: a row (kind ``accounts.invitation``, the ids of the
member and the organisation) is written in the transaction that adds the member, and the
worker renders it when it sends, so the token is made then and sits in no row, broker or log.
With the broker down the row waits for the outbox sweep: nothing is lost.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from outbox.models import OutgoingEmail
from outbox.selectors import outbox_latest
from outbox.services import outbox_email_add

from ..models import Membership, Organisation, User

logger = logging.getLogger(__name__)

INVITATION = "accounts.invitation"


def _key(*, user_pk: int, organisation_pk: int) -> str:
    return f"{organisation_pk}:{user_pk}"


def invitation_queue(*, user_pk: int, organisation_pk: int) -> OutgoingEmail:
    """Write the invitation to the outbox in the caller's transaction (sent after commit)."""
    return outbox_email_add(
        kind=INVITATION,
        key=_key(user_pk=user_pk, organisation_pk=organisation_pk),
        params={"user": user_pk, "organisation": organisation_pk},
    )


def invitation_latest(*, user: User, organisation: Organisation) -> OutgoingEmail | None:
    """The newest invitation to ``user`` from ``organisation``: what the member page shows."""
    return outbox_latest(
        kind=INVITATION, key=_key(user_pk=user.pk, organisation_pk=organisation.pk)
    )


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


def invitation_render(params: dict) -> EmailMessage | None:
    """Called by the outbox worker as it sends. Nothing is sent to an account that is gone,
    deactivated or already has a password (the link would only reset it)."""
    user = User.objects.filter(pk=params["user"], is_active=True).first()
    organisation = Organisation.objects.filter(pk=params["organisation"]).first()
    if user is None or organisation is None or user.has_usable_password():
        return None
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
    return EmailMessage(
        subject=render_to_string("accounts/email/invitation_subject.txt", context).strip(),
        body=render_to_string("accounts/email/invitation.txt", context),
        to=[user.email],
    )
