"""What a subject access export holds, and what it must never hold (UK GDPR art. 15)."""

import json
import shutil
import subprocess

import pytest

from cases.models import CaseAccess
from subject_access.models import SubjectAccessRequest, SubjectAccessStatus
from subject_access.services.preparation import subject_access_prepare
from subject_access.services.requests import subject_access_request_record

from .conftest import CANARY_EMAIL, CANARY_PHONE, SECRET_NOTE, WITNESS_PHONE

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(out.split())


def export(person, by) -> tuple[SubjectAccessRequest, str, str]:
    """Record a request, prepare it as the worker does, and read both files back."""
    from django.utils import timezone

    request = subject_access_request_record(
        person=person, by=by, received_at=timezone.now(), identity_check="Photo ID seen"
    )
    assert subject_access_prepare(request_id=request.pk)
    request.refresh_from_db()
    assert request.status == SubjectAccessStatus.READY
    with request.data.open("rb") as handle:
        data = handle.read().decode()
    with request.pdf.open("rb") as handle:
        text = pdf_text(handle.read())
    return request, data, text


FORBIDDEN = ["CANARY", CANARY_PHONE, CANARY_EMAIL, WITNESS_PHONE, "Cora", "Wilf", "Vera"]


def test_export_of_alleged_perpetrator_names_no_complainant_victim_or_witness(world, cast):
    request, data, text = export(world.subject, cast.manager)
    for canary in FORBIDDEN:
        assert canary not in data, canary
        assert canary not in text, canary
    # Their own data is all there: the record, the allegation about them, the contact.
    for own in ("Sid Subject", "12 Own Street", "WD1 1SS", "07700 900999"):
        assert own in data and own in text
    assert "Sid denied it" in data and "Sid denied it" in text
    assert "[withheld]" in data and "[withheld]" in text
    # Who reported the case is not told to the alleged perpetrator.
    bundle = json.loads(data)
    assert bundle["cases"][0]["reported_by"] is None
    assert "Reported by" not in text


def test_export_leaves_out_notes_not_marked_disclosable_and_says_how_many(world, cast):
    request, data, text = export(world.subject, cast.manager)
    assert SECRET_NOTE not in data and "SECRETNOTE" not in text
    bundle = json.loads(data)
    assert bundle["cases"][0]["notes_not_disclosed"] == 1
    assert len(bundle["cases"][0]["notes"]) == 1
    assert "1 staff note not disclosed" in text
    assert request.contents["notes_not_disclosed"] == 1


def test_export_of_victim_contains_their_own_statements_and_not_the_others(world, cast):
    request, data, text = export(world.victim, cast.manager)
    bundle = json.loads(data)
    assert "VICTIMSTATEMENT" in data and "VICTIMSTATEMENT" in text
    assert "frightened to use the stairs" in text
    assert bundle["person"]["full_name"] == "Vera CANARYVIC"
    # Only the contacts with them, never the alleged perpetrator's interview.
    assert "Sid denied it" not in data
    # The other people on the case are third parties to them too.
    for other in ("Sid Subject", "Cora", "CANARYCOMP", "CANARYWIT", CANARY_PHONE):
        assert other not in data, other
        assert other not in text, other
    # The victim's side reported it, so they are told who reported it.
    assert bundle["cases"][0]["reported_by"] == "Someone on the victim's behalf"
    assert "Reported by: Someone on the victim's behalf" in text
    assert "Vera CANARYVIC" in text


def test_export_includes_the_access_log_about_them_and_logs_itself_on_each_case(
    world, cast, client
):
    client.force_login(cast.officer)
    client.get(f"/cases/people/{world.subject.pk}/")
    request, data, _ = export(world.subject, cast.manager)
    bundle = json.loads(data)
    assert [(a["by"], a["case"]) for a in bundle["access_log"]] == [
        ("Olivia Officer", world.case.reference)
    ]
    assert (
        CaseAccess.objects.filter(
            case=world.case, action=CaseAccess.Action.SUBJECT_ACCESS, object_id=world.subject.pk
        ).count()
        == 1
    )


def test_preparing_twice_or_while_a_claim_lives_does_nothing(world, cast):
    request, _, _ = export(world.subject, cast.manager)
    assert subject_access_prepare(request_id=request.pk) is False
    assert CaseAccess.objects.filter(action=CaseAccess.Action.SUBJECT_ACCESS).count() == 1


def test_export_holds_the_letters_to_the_person_and_none_to_anyone_else(world, cast):
    from cases.models import CaseParty
    from letters.models import Delivery, LetterKind
    from letters.services.issue import letter_issue

    victim_party = CaseParty.objects.get(person=world.victim)
    letter_issue(
        case=world.case,
        kind=LetterKind.ACKNOWLEDGEMENT,
        recipient=victim_party,
        by=cast.officer,
        reason="",
        extra={"next_contact_date": "Monday 4 January 2027"},
        delivery=Delivery.POST,
    )
    _, victim_data, victim_text = export(world.victim, cast.manager)
    letters = json.loads(victim_data)["cases"][0]["letters_to_you"]
    assert [letter["kind"] for letter in letters] == ["Acknowledgement of a report (W08 / C17)"]
    assert "Monday 4 January 2027" in letters[0]["text"]
    assert "Monday 4 January 2027" in victim_text
    _, subject_data, _ = export(world.subject, cast.manager)
    assert json.loads(subject_data)["cases"][0]["letters_to_you"] == []
    assert "Monday 4 January 2027" not in subject_data
