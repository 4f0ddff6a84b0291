from django.urls import path

from .views import audit, browse, bulk, changes, intake, people, records

app_name = "cases"

urlpatterns = [
    path("", browse.case_list, name="list"),
    path("new/", intake.case_log, name="log"),
    path("reassign/", bulk.cases_bulk_reassign_view, name="bulk_reassign"),
    path("<int:pk>/", browse.case_detail, name="detail"),
    path("<int:pk>/edit/", changes.case_edit, name="edit"),
    path("<int:pk>/category/", changes.case_recategorise_view, name="recategorise"),
    path("<int:pk>/officer/", changes.case_reassign_view, name="reassign"),
    path("<int:pk>/access/", changes.case_restrict_view, name="restrict"),
    path(
        "<int:pk>/contact-frequency/",
        changes.case_contact_frequency_view,
        name="contact_frequency",
    ),
    path("<int:pk>/audit/", audit.case_audit, name="audit"),
    path("<int:pk>/parties/add/", records.party_add_view, name="party_add"),
    path("<int:pk>/parties/<int:party_pk>/remove/", records.party_remove_view, name="party_remove"),
    path("<int:pk>/incidents/add/", records.incident_add, name="incident_add"),
    path(
        "<int:pk>/incidents/<int:incident_pk>/people/",
        records.incident_parties,
        name="incident_parties",
    ),
    path(
        "<int:pk>/incidents/<int:incident_pk>/edit/",
        records.incident_edit,
        name="incident_edit",
    ),
    path("<int:pk>/contacts/add/", records.contact_add, name="contact_add"),
    path("<int:pk>/notes/add/", records.note_add_view, name="note_add"),
    path("<int:pk>/reviews/add/", records.case_review_add, name="review_add"),
    path("<int:pk>/evidence/add/", records.evidence_add, name="evidence_add"),
    path(
        "<int:pk>/evidence/<int:evidence_pk>/download/",
        records.evidence_download,
        name="evidence_download",
    ),
    path("people/matches/", people.person_matches, name="person_matches"),
    path("people/<int:pk>/", browse.person_detail, name="person"),
    path("people/<int:pk>/edit/", changes.person_edit, name="person_edit"),
]
