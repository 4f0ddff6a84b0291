from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("equality/", views.dashboard, {"page": "equality"}, name="equality"),
    path("export/<slug:slug>.csv", views.dashboard_csv, name="csv"),
    path("group/", views.group_dashboard, name="group"),
    path("group/export.csv", views.group_csv, name="group_csv"),
    path("organisations/<int:pk>/", views.dashboard, name="partner"),
    path(
        "organisations/<int:pk>/equality/",
        views.dashboard,
        {"page": "equality"},
        name="partner_equality",
    ),
    path("organisations/<int:pk>/export/<slug:slug>.csv", views.dashboard_csv, name="partner_csv"),
]
