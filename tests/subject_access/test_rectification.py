"""Rectification requests (UK GDPR art. 16): recorded with their due date, decided with a
reason, and an accepted one applied through the person's normal edit, kept in their history."""

import pytest
from django.utils import timezone

from cases.models import Person
from subject_access.models import RectificationRequest, RectificationStatus
from subject_access.services.rectification import rectification_request_record

pytestmark = pytest.mark.django_db


def _record(world, cast) -> RectificationRequest:
    return rectification_request_record(
        person=world.subject,
        by=cast.manager,
        received_at=timezone.now(),
        details="My address is wrong: I moved to 14 New Street.",
    )


def _person_post(person, **changes) -> dict:
    data = {
        "person-full_name": person.full_name,
        "person-known_as": person.known_as,
        "person-date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "person-phone": person.phone,
        "person-email": person.email,
        "person-address": person.address,
        "person-postcode": person.postcode,
        "person-preferred_language": person.preferred_language,
        "person-preferred_format": person.preferred_format,
        "person-tenure": person.tenure,
        "person-version": person.version,
    }
    data.update({f"person-{k}": v for k, v in changes.items()})
    return data


def test_rectification_recorded_from_the_page_with_its_due_date(client, cast, world):
    client.force_login(cast.manager)
    response = client.post(
        f"/subject-access/people/{world.subject.pk}/rectification/",
        {
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "details": "My date of birth is wrong.",
        },
    )
    request = RectificationRequest.objects.get()
    assert response.status_code == 302
    assert request.status == RectificationStatus.OPEN
    assert request.due_at > request.received_at
    page = client.get("/subject-access/").content.decode()
    assert request.reference in page


def test_rectification_without_details_is_refused_beside_the_field(client, cast, world):
    client.force_login(cast.manager)
    response = client.post(
        f"/subject-access/people/{world.subject.pk}/rectification/",
        {"received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "details": ""},
    )
    assert "This field is required." in response.content.decode()
    assert not RectificationRequest.objects.exists()


def test_rectification_accepted_corrects_the_record_through_the_edit_with_history(
    client, cast, world
):
    request = _record(world, cast)
    client.force_login(cast.manager)
    response = client.post(
        f"/subject-access/rectification/{request.pk}/",
        {
            "decision": "accept",
            "reason": "Tenancy records confirm the move.",
            **_person_post(world.subject, address="14 New Street\nWatford"),
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    person = Person.objects.get(pk=world.subject.pk)
    assert person.address == "14 New Street\nWatford"
    assert person.version == world.subject.version + 1
    assert request.status == RectificationStatus.ACCEPTED
    assert request.decided_by == cast.manager
    latest = person.history.order_by("-history_id").first()
    assert latest.history_user == cast.manager
    assert latest.history_change_reason == (
        f"Rectification request {request.reference}: Tenancy records confirm the move."
    )


def test_rectification_refused_needs_a_reason_and_changes_nothing(client, cast, world):
    request = _record(world, cast)
    client.force_login(cast.manager)
    response = client.post(
        f"/subject-access/rectification/{request.pk}/", {"decision": "refuse", "reason": ""}
    )
    assert response.status_code == 400
    assert "Give the reason for the decision." in response.content.decode()
    response = client.post(
        f"/subject-access/rectification/{request.pk}/",
        {"decision": "refuse", "reason": "Our records are accurate: checked with lettings."},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RectificationStatus.REFUSED
    assert Person.objects.get(pk=world.subject.pk).version == world.subject.version
    reasons = list(
        request.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons == ["Rectification request recorded", "Refused"]


def test_rectification_accept_with_a_stale_record_is_refused_and_nothing_decided(
    client, cast, world
):
    request = _record(world, cast)
    client.force_login(cast.manager)
    response = client.post(
        f"/subject-access/rectification/{request.pk}/",
        {
            "decision": "accept",
            "reason": "Confirmed.",
            **_person_post(world.subject, address="1 Other", version=world.subject.version - 1),
        },
    )
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == RectificationStatus.OPEN


@pytest.mark.parametrize(("role", "status"), [("officer", 403), ("outsider", 404), ("admin", 200)])
def test_rectification_page_only_for_managers_and_admins_of_the_organisation(
    client, cast, world, role, status
):
    request = _record(world, cast)
    client.force_login(cast.by_role()[role])
    assert client.get(f"/subject-access/rectification/{request.pk}/").status_code == status


def test_rectification_page_shows_the_record_and_logs_it_on_each_case(client, cast, world):
    from cases.models import CaseAccess

    request = _record(world, cast)
    client.force_login(cast.manager)
    client.get(f"/subject-access/rectification/{request.pk}/")
    assert list(
        CaseAccess.objects.filter(user=cast.manager, object_id=world.subject.pk).values_list(
            "case_id", "action"
        )
    ) == [(world.case.pk, CaseAccess.Action.OPENED_PERSON_FORM)]
