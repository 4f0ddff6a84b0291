from django.urls import path

from . import views

app_name = "policy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("draft/", views.draft, name="draft"),
    path("draft/start/", views.draft_start, name="draft_start"),
    path("draft/preset/", views.draft_from_preset, name="draft_from_preset"),
    path("draft/title/", views.draft_retitle, name="draft_retitle"),
    path("draft/publish/", views.draft_publish, name="draft_publish"),
    path("draft/discard/", views.draft_discard, name="draft_discard"),
    path("draft/rules/new/", views.rule_edit, name="rule_new"),
    path("draft/rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("draft/rules/<int:rule_id>/delete/", views.rule_remove, name="rule_delete"),
    path("import/", views.policy_file_import, name="import"),
    path("versions/<int:version_id>/export/", views.version_export, name="export"),
    path("try/", views.try_it, name="try"),
    path("settings/", views.settings_edit, name="settings"),
]
