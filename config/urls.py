from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from accounts import views as account_views
from cases.online.urls import public_urlpatterns as online_report_urls
from cases.views import home as case_home
from letters.views.feedback import feedback as letters_feedback
from system import views as system_views
from twofactor import views as twofactor_views

urlpatterns = [
    path("", case_home.home, name="home"),
    path("healthz", system_views.healthz, name="healthz"),
    path("readyz", system_views.readyz, name="readyz"),
    path("login/", twofactor_views.SignInView.as_view(), name="login"),
    path("two-factor/", include("twofactor.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Working hours and switches were at /accounts/policy/ before they moved to the policy app.
    path(
        "accounts/policy/",
        RedirectView.as_view(pattern_name="policy:settings", permanent=True, query_string=True),
    ),
    path("accounts/", include("accounts.urls")),
    path("policy/", include("policy.urls")),
    path("my-work/", include("deadlines.urls")),
    path("cases/", include("cases.urls")),
    path("transfers/", include("transfers.urls")),
    path("risk/", include("risk.urls")),
    path("support/", include("support.urls")),
    path("repairs/", include("repairs.urls")),
    path("enforcement/", include("enforcement.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("letters/", include("letters.urls")),
    path("retention/", include("retention.urls")),
    path("subject-access/", include("subject_access.urls")),
    path("feedback/<str:token>/", letters_feedback, name="feedback"),
    path("admin/", admin.site.urls),
    path("report/", include(online_report_urls)),
    path("online-reports/", include("cases.online.urls")),
]
