from django.urls import path

from . import public_views, triage_views

app_name = "online_reports"

# Staff: the triage queue (mounted at /online-reports/).
urlpatterns = [
    path("", triage_views.queue, name="queue"),
    path("<int:pk>/", triage_views.detail, name="detail"),
    path("<int:pk>/upload/", triage_views.upload, name="upload"),
    path("<int:pk>/accept/", triage_views.accept, name="accept"),
    path("<int:pk>/add-to-case/", triage_views.add_to_case, name="add_to_case"),
    path("<int:pk>/reject/", triage_views.reject, name="reject"),
]

# The public form (mounted at /report/), named without a namespace for short templates.
public_urlpatterns = [
    path("<str:code>/", public_views.start, name="online_report_start"),
    path("<str:code>/privacy/", public_views.privacy, name="online_report_privacy"),
    path("<str:code>/sent/", public_views.sent, name="online_report_sent"),
    path("<str:code>/leave/", public_views.leave, name="online_report_leave"),
    path("<str:code>/<slug:slug>/", public_views.step, name="online_report_step"),
]
