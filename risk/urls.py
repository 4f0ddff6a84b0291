from django.urls import path

from . import views

app_name = "risk"

urlpatterns = [
    path("cases/<int:pk>/assessments/new/", views.assessment_new, name="assessment_new"),
    path(
        "cases/<int:pk>/assessments/<int:assessment_pk>/",
        views.assessment_detail,
        name="assessment_detail",
    ),
    path("question-sets/", views.question_sets, name="question_sets"),
]
