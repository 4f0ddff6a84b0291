from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("dry-run/", views.dry_run, name="dry_run"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/<slug:kind>/", views.rule_edit, name="rule_edit"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("cases/<int:pk>/hold/", views.hold_place, name="hold_place"),
    path("cases/<int:pk>/hold/release/", views.hold_release, name="hold_release"),
    path("erasure/", views.erasure_list, name="erasure_list"),
    path("people/<int:pk>/erasure/", views.erasure_new, name="erasure_new"),
    path("people/<int:pk>/erasure/<int:request_pk>/", views.erasure_decide, name="erasure_decide"),
]
