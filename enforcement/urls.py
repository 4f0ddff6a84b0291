from django.urls import path

from . import views

app_name = "enforcement"

urlpatterns = [
    path("cases/<int:pk>/", views.remedies_page, name="remedies"),
    path("cases/<int:pk>/actions/new/", views.action_new, name="action_new"),
    path("cases/<int:pk>/actions/<int:action_pk>/", views.action_edit, name="action_edit"),
    path("cases/<int:pk>/convictions/new/", views.conviction_new, name="conviction_new"),
]
