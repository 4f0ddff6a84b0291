from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import PanelMeeting, PanelMember, PanelSettings


@admin.register(PanelSettings)
class PanelSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "meeting_weekday", "meeting_time", "cutoff_hours"]


@admin.register(PanelMember)
class PanelMemberAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "user", "is_manager"]
    list_select_related = ["organisation", "user"]


@admin.register(PanelMeeting)
class PanelMeetingAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "meets_at", "cutoff_at", "closed_at"]
    list_select_related = ["organisation"]
