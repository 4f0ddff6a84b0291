from django.contrib import admin

from .models import Assessment, QuestionSet


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    list_display = ("organisation", "version", "title", "published_at")
    list_filter = ("organisation",)

    def has_change_permission(self, request, obj=None):
        # Published versions are never edited: assessments made with them must read the same.
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("case", "level", "score", "method", "completed_at")
    raw_id_fields = ("case", "respondent")
