"""Writes to accounts data, by subject: ``members`` (who holds which role), ``invitations``
and ``password_reset``. Each service validates, saves in one transaction and keeps history.
The organisation's policy settings are written in ``policy.services``."""
