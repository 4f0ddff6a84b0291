"""Writes to accounts data, by subject: ``policy`` (C14 settings) and ``members`` (who holds
which role). Each service validates, saves in one transaction and keeps history."""

# The policy services were here before the split; existing imports keep working.
from .policy import (  # noqa: F401
    EDITABLE_FIELDS,
    policy_settings_apply_preset,
    policy_settings_update,
)
