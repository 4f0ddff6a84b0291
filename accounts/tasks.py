"""Celery tasks for accounts. They take primary keys only: no personal data in the broker."""

from config.celery import app

from .services.invitations import member_invitation_send
from .services.password_reset import password_reset_send


@app.task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def invitation_send(user_pk: int, organisation_pk: int) -> bool:
    return member_invitation_send(user_pk=user_pk, organisation_pk=organisation_pk)


@app.task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def password_reset_email(user_pk: int) -> bool:
    return password_reset_send(user_pk=user_pk)
