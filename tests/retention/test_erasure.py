"""Erasure requests: recorded, decided with the reason; agreeing anonymises the person
everywhere (their record, its history, their name in other people's words on their cases,
letters' PDFs to them) and keeps the cases; a legal hold on one of their cases stops it."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from cases.models import CaseParty, Note, Person
from cases.models.choices import PartyRole
from cases.services.notes import note_add
from letters.models import Letter
from retention.models import Disposal, ErasureRequest
from retention.services.anonymise import ANONYMOUS_NAME, REMOVED
from retention.services.erasure import erasure_request_decide, erasure_request_record
from retention.services.holds import legal_hold_place
from tests.cases.factories import make_case

from .conftest import CANARY_NAME, CANARY_PHONE, rich_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(cast, django_capture_on_commit_callbacks):
    return rich_case(cast, django_capture_on_commit_callbacks, closed_at=timezone.now())


def _request(cast, person):
    return erasure_request_record(
        person=person,
        by=cast.manager,
        received_on=timezone.localdate(),
        channel="letter",
        grounds="Asks for everything to be deleted",
    )


def test_agreed_erasure_anonymises_the_person_everywhere_and_keeps_the_case(
    cast, live, django_capture_on_commit_callbacks
):
    person = Person.objects.get(pk=live.victim.person_id)
    other = make_case(cast.organisation, cast.staff, summary=f"Neighbour of {CANARY_NAME}")
    CaseParty.objects.create(case=other, role=PartyRole.WITNESS, person=person)
    note_add(case=other, by=cast.officer, text=f"Rang {CANARY_NAME} on {CANARY_PHONE}")
    letter_pdf = Letter.objects.get(recipient=live.victim).pdf.name
    request = _request(cast, person)

    with django_capture_on_commit_callbacks(execute=True):
        erasure_request_decide(
            request=request, by=cast.manager, erase=True, reason="No exemption applies"
        )
    person.refresh_from_db()
    assert person.full_name == ANONYMOUS_NAME and person.phone == "" and person.email == ""
    assert not Person.history.filter(full_name=CANARY_NAME).exists()
    other.refresh_from_db()
    assert other.summary == f"Neighbour of {REMOVED}"
    assert Note.objects.get(case=other).text == f"Rang {REMOVED} on {REMOVED}"
    assert not Note.history.filter(text__icontains=CANARY_NAME).exists()
    live.case.refresh_from_db()
    assert CANARY_NAME not in live.case.summary and "shouted at" in live.case.summary
    assert not default_storage.exists(letter_pdf)
    # The cases and the person's roles stay.
    assert CaseParty.objects.filter(person=person).count() == 2
    request.refresh_from_db()
    assert request.decision == ErasureRequest.Decision.ERASED
    assert Disposal.objects.get(model="cases.Person").erasure_id == request.pk
    assert request.history.filter(
        history_change_reason="Decided: Agreed: the person was anonymised"
    )


def test_erasure_refused_while_a_legal_hold_stands_on_one_of_their_cases(cast, live):
    person = Person.objects.get(pk=live.victim.person_id)
    legal_hold_place(case=live.case, by=cast.manager, reason="Claim against us")
    request = _request(cast, person)
    with pytest.raises(ValidationError, match="under a legal hold"):
        erasure_request_decide(request=request, by=cast.manager, erase=True, reason="Agreed")
    person.refresh_from_db()
    assert person.full_name == CANARY_NAME
    request.refresh_from_db()
    assert request.decision == ErasureRequest.Decision.PENDING


def test_refusal_keeps_the_person_and_records_who_and_why(cast, live):
    person = Person.objects.get(pk=live.victim.person_id)
    request = _request(cast, person)
    erasure_request_decide(
        request=request, by=cast.manager, erase=False, reason="Art. 17(3)(e): legal claims"
    )
    person.refresh_from_db()
    assert person.full_name == CANARY_NAME
    request.refresh_from_db()
    assert request.decision == "refused" and request.decided_by == cast.manager
    with pytest.raises(ValidationError, match="already been decided"):
        erasure_request_decide(request=request, by=cast.manager, erase=True, reason="Changed")


def test_request_needs_a_date_not_in_the_future_and_a_decision_a_reason(cast, live):
    person = Person.objects.get(pk=live.victim.person_id)
    with pytest.raises(ValidationError) as error:
        erasure_request_record(
            person=person,
            by=cast.manager,
            received_on=timezone.localdate() + timedelta(days=1),
            channel="letter",
            grounds="",
        )
    assert "received_on" in error.value.message_dict
    request = _request(cast, person)
    assert request.due_on == timezone.localdate() + relativedelta(months=1)
    with pytest.raises(ValidationError) as error:
        erasure_request_decide(request=request, by=cast.manager, erase=False, reason=" ")
    assert "reason" in error.value.message_dict
