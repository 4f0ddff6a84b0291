from django.urls import path

from . import views

app_name = "twofactor"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("code/", views.verify, name="verify"),
    path("set-up/", views.enrol, name="enrol"),
    path("backup-codes/", views.backup_codes, name="backup_codes"),
    path("backup-codes/new/", views.backup_codes_new, name="backup_codes_new"),
    path("members/<int:user_id>/reset/", views.member_reset, name="member_reset"),
]
