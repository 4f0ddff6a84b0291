from django.contrib import admin, messages

from .models import EmailStatus, OutgoingEmail
from .services import outbox_email_retry


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The state of every promised e-mail; failures are listed first to be seen."""

    list_display = ["pk", "kind", "key", "status", "created_at", "sent_at", "attempts", "failure"]
    list_filter = ["status", "kind"]
    # No addresses, subjects or bodies here: what the e-mail is about is in ``key`` (ids).
    fields = list_display[1:] + ["enqueued_at", "handed_over_at", "not_before"]
    readonly_fields = fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the selected failed e-mails again (after checking)")
    def send_again(self, request, queryset):
        failed = list(queryset.filter(status=EmailStatus.FAILED))
        for email in failed:
            outbox_email_retry(email=email)
        self.message_user(request, f"{len(failed)} e-mails queued again.", messages.SUCCESS)
