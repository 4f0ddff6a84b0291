from django.contrib import admin

from .models import SecondFactorEvent


@admin.register(SecondFactorEvent)
class SecondFactorEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail of two-factor sign-in is never edited."""

    list_display = ("at", "user", "kind", "organisation", "by")
    list_filter = ("kind",)
    search_fields = ("user__email",)
    readonly_fields = ("user", "kind", "organisation", "by", "reason", "at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
