from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("organisation/switch/", views.switch_organisation, name="switch_organisation"),
    path("members/", views.members, name="members"),
    path("policy/", views.policy_settings, name="policy_settings"),
]
