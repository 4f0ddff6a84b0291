"""Celery tasks for accounts. They take primary keys only: no personal data in the broker.

Invitations and password resets now go through the outbox (``outbox.tasks.send_emails``).
These two names stay for messages queued before that change (a deploy with tasks in the
broker): each writes the e-mail to the outbox, which sends it once.
"""

from django.db import transaction

from config.celery import app
from outbox.services import outbox_email_add

from .services.invitations import invitation_queue
from .services.password_reset import PASSWORD_RESET


@app.task(acks_late=True)
def invitation_send(user_pk: int, organisation_pk: int) -> None:
    with transaction.atomic():
        invitation_queue(user_pk=user_pk, organisation_pk=organisation_pk)


@app.task(acks_late=True)
def password_reset_email(user_pk: int) -> None:
    with transaction.atomic():
        outbox_email_add(kind=PASSWORD_RESET, key=str(user_pk), params={"user": user_pk})
