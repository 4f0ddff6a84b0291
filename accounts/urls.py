from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("organisation/switch/", views.switch_organisation, name="switch_organisation"),
    path("members/", views.members, name="members"),
    path("members/add/", views.member_add_view, name="member_add"),
    path("members/<int:user_id>/", views.member_detail, name="member"),
    path(
        "members/<int:user_id>/deactivate/",
        views.member_deactivate_view,
        name="member_deactivate",
    ),
    path(
        "members/<int:user_id>/invitation/",
        views.member_invitation_view,
        name="member_invitation",
    ),
]
