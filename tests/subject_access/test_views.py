"""Who may record, read, release and download subject access requests, and the release flow."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from cases.models import CaseAccess
from subject_access.models import SubjectAccessDownload, SubjectAccessRequest, SubjectAccessStatus
from subject_access.services import preparation
from subject_access.services.preparation import CLAIM_LEASE, REQUEUE_AFTER
from subject_access.services.requests import subject_access_request_record
from subject_access.tasks import subject_access_requeue

pytestmark = pytest.mark.django_db


def _record(person, by) -> SubjectAccessRequest:
    return subject_access_request_record(
        person=person, by=by, received_at=timezone.now(), identity_check="Photo ID seen"
    )


def _ready(person, by) -> SubjectAccessRequest:
    request = _record(person, by)
    preparation.subject_access_prepare(request_id=request.pk)
    request.refresh_from_db()
    return request


EXPECTED = {
    "staff": 403,
    "officer": 403,
    "panel": 403,
    "manager": 200,
    "admin": 200,
    "outsider": 404,
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_sar_only_managers_and_organisation_admins_may_use_the_pages(client, cast, world, role):
    ready = _ready(world.subject, cast.manager)
    user = cast.by_role()[role]
    client.force_login(user)
    expected = EXPECTED[role]
    list_status = 200 if role == "outsider" else expected  # their own organisation's list
    assert client.get("/subject-access/").status_code == list_status
    for url in (
        f"/subject-access/people/{world.subject.pk}/request/",
        f"/subject-access/people/{world.subject.pk}/rectification/",
        f"/subject-access/{ready.pk}/",
        f"/subject-access/{ready.pk}/download/pdf/",
        f"/subject-access/{ready.pk}/download/json/",
    ):
        assert client.get(url).status_code == expected, url
    response = client.post(
        f"/subject-access/{ready.pk}/release/", {"reviewed": "on", "release_note": "By hand"}
    )
    assert response.status_code in ({200: 302}.get(expected, expected),)
    ready.refresh_from_db()
    released = ready.status == SubjectAccessStatus.RELEASED
    assert released == (role in ("manager", "admin"))
    if role not in ("manager", "admin"):
        assert not SubjectAccessDownload.objects.filter(user=user).exists()


def test_sar_recorded_from_the_page_is_prepared_reviewed_and_released(
    client, cast, world, django_capture_on_commit_callbacks
):
    client.force_login(cast.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/subject-access/people/{world.subject.pk}/request/",
            {
                "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "identity_check": "Passport seen at the office",
            },
        )
    request = SubjectAccessRequest.objects.get()
    assert response.status_code == 302
    assert request.status == SubjectAccessStatus.READY  # the (eager) worker prepared it
    page = client.get(f"/subject-access/{request.pk}/").content.decode()
    assert "Ready for review" in page and "Sid Subject" in page and "CANARY" not in page
    assert CaseAccess.objects.filter(
        case=world.case, user=cast.manager, action=CaseAccess.Action.READ_SUBJECT_ACCESS
    ).exists()

    # Releasing needs the review confirmed and how it goes, each said beside its field.
    response = client.post(f"/subject-access/{request.pk}/release/", {"release_note": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Confirm you have read the whole bundle before releasing it." in page
    assert "Say how the bundle goes to the person." in page
    request.refresh_from_db()
    assert request.status == SubjectAccessStatus.READY

    download = client.get(f"/subject-access/{request.pk}/download/pdf/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert (
        download["Cache-Control"].startswith("no-store") or "no-store" in download["Cache-Control"]
    )
    response = client.post(
        f"/subject-access/{request.pk}/release/",
        {"reviewed": "on", "release_note": "Handed over at the office"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == SubjectAccessStatus.RELEASED
    assert request.released_by == cast.manager
    client.get(f"/subject-access/{request.pk}/download/json/")
    downloads = list(
        SubjectAccessDownload.objects.order_by("at").values_list("file", "after_release")
    )
    assert downloads == [("pdf", False), ("json", True)]
    reasons = list(
        request.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons == [
        "Subject access request recorded",
        "Bundle prepared for review",
        "Released to the person",
    ]
    # A released bundle is not released twice.
    response = client.post(
        f"/subject-access/{request.pk}/release/", {"reviewed": "on", "release_note": "Again"}
    )
    assert response.status_code == 400
    assert "Only a bundle ready for review can be released." in response.content.decode()


def test_sar_prepared_again_after_a_note_is_marked_disclosable(client, cast, world):
    from cases.models import Note

    request = _ready(world.subject, cast.manager)
    assert request.contents["notes_not_disclosed"] == 1
    Note.objects.filter(disclosable=False).update(disclosable=True)
    client.force_login(cast.manager)
    response = client.post(f"/subject-access/{request.pk}/prepare-again/", {"reason": ""})
    assert "Say why the bundle is prepared again." in response.content.decode()
    with mock.patch("subject_access.tasks.subject_access_prepare.apply_async") as hand_over:
        client.post(f"/subject-access/{request.pk}/prepare-again/", {"reason": "Note marked"})
    request.refresh_from_db()
    assert request.status == SubjectAccessStatus.QUEUED
    preparation.subject_access_prepare(request_id=request.pk)
    request.refresh_from_db()
    assert request.contents["notes_not_disclosed"] == 0
    assert request.contents["notes"] == 2
    del hand_over


def test_sar_broker_down_the_sweep_hands_it_over_after_two_minutes(cast, world):
    with mock.patch(
        "subject_access.tasks.subject_access_prepare.apply_async", side_effect=OSError("down")
    ):
        request = _record(world.subject, cast.manager)
        from subject_access.services.requests import subject_access_hand_over

        subject_access_hand_over(request_id=request.pk)
    assert SubjectAccessRequest.objects.get().status == SubjectAccessStatus.QUEUED
    with time_machine.travel(request.created_at + REQUEUE_AFTER, tick=False):
        assert subject_access_requeue.apply().get() == {"requeued": 0}
    with time_machine.travel(request.created_at + REQUEUE_AFTER + timedelta(seconds=1), tick=False):
        assert subject_access_requeue.apply().get() == {"requeued": 1}
    assert SubjectAccessRequest.objects.get().status == SubjectAccessStatus.READY


def test_sar_dead_workers_claim_is_taken_over_only_after_its_lease(cast, world):
    with mock.patch("subject_access.tasks.subject_access_prepare.apply_async"):
        request = _record(world.subject, cast.manager)
    claimed_at = timezone.now()
    SubjectAccessRequest.objects.filter(pk=request.pk).update(claim="dead", claimed_at=claimed_at)
    with time_machine.travel(claimed_at + CLAIM_LEASE, tick=False):
        assert preparation.subject_access_prepare(request_id=request.pk) is False
    with time_machine.travel(claimed_at + CLAIM_LEASE + timedelta(microseconds=1), tick=False):
        assert preparation.subject_access_prepare(request_id=request.pk) is True
    assert SubjectAccessRequest.objects.get().status == SubjectAccessStatus.READY


def test_sar_a_failing_render_is_retried_then_failed_for_a_manager(cast, world):
    with mock.patch("subject_access.tasks.subject_access_prepare.apply_async"):
        request = _record(world.subject, cast.manager)
    with mock.patch.object(preparation, "html_to_pdf", side_effect=RuntimeError("boom")):
        for _ in range(preparation.MAX_ATTEMPTS):
            preparation.subject_access_prepare(request_id=request.pk)
    request.refresh_from_db()
    assert request.status == SubjectAccessStatus.FAILED
    assert request.failure == "Preparing the bundle failed: RuntimeError"
    assert not request.pdf


def test_sar_list_page_query_count_is_pinned(client, cast, world, django_assert_num_queries):
    for _ in range(3):
        _record(world.subject, cast.manager)
    client.force_login(cast.manager)
    client.get("/subject-access/")
    # session, user, memberships (access), open requests, open rectifications, released,
    # decided
    with django_assert_num_queries(7):
        client.get("/subject-access/")
    for _ in range(20):
        _record(world.subject, cast.manager)
    with django_assert_num_queries(7):
        client.get("/subject-access/")


def test_sar_review_marks_a_withheld_note_disclosable_with_a_reason(client, cast, world):
    from cases.models import Note

    request = _ready(world.subject, cast.manager)
    note = Note.objects.get(disclosable=False)
    client.force_login(cast.manager)
    page = client.get(f"/subject-access/{request.pk}/").content.decode()
    assert "SECRETNOTE" in page  # the manager reads what was left out
    url = f"/subject-access/{request.pk}/notes/{note.pk}/disclose/"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "Say why." in response.content.decode()
    client.post(url, {"reason": "Names nobody else"})
    note.refresh_from_db()
    assert note.disclosable
    assert note.history.order_by("-history_id").first().history_change_reason == (
        "Names nobody else"
    )
    # A note the bundle did not leave out is not reachable through the request.
    assert client.post(f"/subject-access/{request.pk}/notes/999999/disclose/").status_code == 404


@pytest.mark.parametrize(("role", "shown"), [("manager", True), ("officer", False)])
def test_sar_person_page_offers_the_requests_to_managers_only(client, cast, world, role, shown):
    client.force_login(cast.by_role()[role])
    page = client.get(f"/cases/people/{world.subject.pk}/").content.decode()
    assert (f"/subject-access/people/{world.subject.pk}/request/" in page) == shown
    assert (f"/subject-access/people/{world.subject.pk}/rectification/" in page) == shown
