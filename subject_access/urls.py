from django.urls import path

from . import views

app_name = "subject_access"

urlpatterns = [
    path("", views.requests_list, name="requests"),
    path("people/<int:pk>/request/", views.request_create, name="create"),
    path("people/<int:pk>/rectification/", views.rectification_create, name="rectification_create"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/release/", views.request_release, name="release"),
    path("<int:pk>/prepare-again/", views.request_prepare_again, name="prepare_again"),
    path(
        "<int:pk>/notes/<int:note_pk>/disclose/",
        views.request_note_disclose,
        name="note_disclose",
    ),
    path("<int:pk>/download/<str:file>/", views.request_download, name="download"),
    path("rectification/<int:pk>/", views.rectification_detail, name="rectification"),
]
