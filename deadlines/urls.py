from django.urls import path

from . import views as deadline_views

app_name = "deadlines"

urlpatterns = [
    path("", deadline_views.my_work, name="my_work"),
    path("team/", deadline_views.team_deadlines, name="team"),
    path("<int:pk>/waive/", deadline_views.deadline_waive_view, name="waive"),
]
