"""What happened to a person's second factor, kept as the audit trail of two-factor sign-in.

The factors themselves are django-otp's devices (``otp_totp.TOTPDevice`` for an authenticator
app, ``otp_static.StaticDevice`` for the ten backup codes); this app adds who set up, used or
reset them, when and why.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SecondFactorEvent(models.Model):
    class Kind(models.TextChoices):
        ENROLLED = "enrolled", "Set up an authenticator app"
        BACKUP_CODES_RENEWED = "backup_codes_renewed", "Made new backup codes"
        BACKUP_CODE_USED = "backup_code_used", "Signed in with a backup code"
        RESET = "reset", "Second factor reset"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="second_factor_events"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # The organisation whose admin reset it (empty for the person's own actions and for a
    # reset by a platform operator's command).
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # The member page's "Two-factor sign-in" history: one person's events, newest first.
            models.Index(fields=["user", "-at"], name="twofactor_event_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%d/%m/%Y %H:%M})"
