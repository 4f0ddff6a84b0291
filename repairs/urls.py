from django.urls import path

from . import views

app_name = "repairs"

urlpatterns = [
    path("cases/<int:pk>/new/", views.repair_new, name="new"),
    path("cases/<int:pk>/<int:repair_pk>/", views.repair_edit, name="edit"),
]
