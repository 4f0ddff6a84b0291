from django.urls import path

from .views import case_letters, outstanding, templates, workflow

app_name = "letters"

urlpatterns = [
    path("", outstanding.outstanding, name="outstanding"),
    path("templates/", templates.template_list, name="templates"),
    path("templates/<str:kind>/", templates.template_edit, name="template_edit"),
    path("case/<int:pk>/send/", case_letters.letter_issue_view, name="issue"),
    path(
        "case/<int:pk>/letter/<int:letter_pk>/download/",
        case_letters.letter_download,
        name="download",
    ),
    path("case/<int:pk>/letter/<int:letter_pk>/posted/", case_letters.letter_posted, name="posted"),
    path(
        "case/<int:pk>/letter/<int:letter_pk>/retry/", case_letters.letter_retry_view, name="retry"
    ),
    path("case/<int:pk>/concern/", workflow.concern_raise, name="concern_raise"),
    path("case/<int:pk>/concern/evidence/", workflow.concern_evidence, name="concern_evidence"),
    path("case/<int:pk>/concern/decide/", workflow.concern_decide, name="concern_decide"),
    path("case/<int:pk>/close/", workflow.close, name="close"),
    path("case/<int:pk>/appeal/", workflow.appeal, name="appeal"),
    path("case/<int:pk>/satisfaction/", workflow.satisfaction, name="satisfaction"),
    path("case/<int:pk>/follow-up/", workflow.follow_up, name="follow_up"),
]
