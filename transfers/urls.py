from django.urls import path

from . import views

app_name = "transfers"

urlpatterns = [
    path("", views.referral_list, name="referral_list"),
    path("cases/<int:case_pk>/refer/", views.referral_create, name="referral_create"),
    path("<int:pk>/", views.referral_detail, name="referral_detail"),
    path("<int:pk>/progress/", views.referral_progress, name="referral_progress"),
    path("panel/", views.panel_home, name="panel_home"),
    path("panel/meetings/<int:pk>/", views.meeting_agenda, name="meeting_agenda"),
    path("panel/meetings/<int:pk>/close/", views.meeting_close, name="meeting_close"),
    path("panel/meetings/<int:pk>/minutes.pdf", views.meeting_minutes, name="meeting_minutes"),
    path("panel/requests/<int:pk>/", views.panel_request, name="panel_request"),
    path("panel/requests/<int:pk>/decide/", views.panel_decide, name="panel_decide"),
]
