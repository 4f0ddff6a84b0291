"""The false-report and closure pages, end to end through the views, and their permissions."""

from unittest import mock

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.models.choices import Status
from letters import tasks
from letters.models import ConcernOutcome, FalseReportConcern, Letter, LetterKind, LetterStatus
from letters.services.closure import case_close
from letters.services.false_report import false_report_concern_raise
from policy.settings import Preset
from tests.deadline_helpers import apply_preset

pytestmark = pytest.mark.django_db

ROLES = ("staff", "officer", "manager", "panel", "admin", "outsider")
WORKERS = {"staff": 403, "officer": 200, "manager": 200, "panel": 403, "admin": 403}


def closed(letter_case, cast):
    case = Case.objects.get(pk=letter_case.case.pk)
    with mock.patch.object(tasks.letter_process, "apply_async"):
        return case_close(
            case=case,
            by=cast.officer,
            reason="resolved",
            rationale="Quiet for months.",
            discussed_with_complainant=True,
            discussed_on=timezone.localdate(),
            discussion_notes="",
            expected_version=case.version,
        )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["letters:concern_evidence", "letters:concern_decide"])
def test_permission_matrix_for_concern_pages(client, cast, letter_case, name, role):
    with mock.patch.object(tasks.letter_process, "apply_async"):
        false_report_concern_raise(case=letter_case.case, by=cast.officer, reasons="Doubts.")
    client.force_login(cast.by_role()[role])
    response = client.get(reverse(name, args=[letter_case.case.pk]))
    assert response.status_code == WORKERS.get(role, 404)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["letters:appeal", "letters:satisfaction"])
def test_permission_matrix_for_after_closure_pages(client, cast, letter_case, name, role):
    closed(letter_case, cast)
    client.force_login(cast.by_role()[role])
    response = client.get(reverse(name, args=[letter_case.case.pk]))
    assert response.status_code == WORKERS.get(role, 404)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_for_trying_a_failed_letter_again(client, cast, letter_case, role):
    closure = closed(letter_case, cast)
    Letter.objects.filter(pk=closure.letter_id).update(status=LetterStatus.FAILED)
    client.force_login(cast.by_role()[role])
    with mock.patch.object(tasks.letter_process, "apply_async"):
        response = client.post(
            reverse("letters:retry", args=[letter_case.case.pk, closure.letter_id])
        )
    expected = {200: 302}.get(WORKERS.get(role, 404), WORKERS.get(role, 404))
    assert response.status_code == expected
    status = Letter.objects.get(pk=closure.letter_id).status
    assert (status == LetterStatus.QUEUED) == (expected == 302)


def test_w20_officer_raises_logs_evidence_and_resolves_a_concern_through_the_pages(
    client, cast, letter_case, django_capture_on_commit_callbacks
):
    client.force_login(cast.officer)
    pk = letter_case.case.pk
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("letters:concern_raise", args=[pk]), {"reasons": "Dates do not match."}
        )
    assert response.status_code == 302
    concern = FalseReportConcern.objects.get(case_id=pk)
    assert concern.concern_letter.kind == LetterKind.FALSE_REPORT_CONCERN
    page = client.get(reverse("cases:detail", args=[pk])).content.decode()
    assert 'data-testid="open-concern"' in page and "Further evidence due by" in page
    received = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    client.post(
        reverse("letters:concern_evidence", args=[pk]),
        {"received_at": received, "notes": "Bus ticket for that evening."},
    )
    client.post(
        reverse("letters:concern_decide", args=[pk]),
        {"resolved": "yes", "notes": "The ticket confirms the account."},
    )
    concern.refresh_from_db()
    assert concern.outcome == ConcernOutcome.RESOLVED
    assert Case.objects.get(pk=pk).status == Status.OPEN


def test_c26_appeal_and_satisfaction_through_the_pages(client, cast, letter_case):
    apply_preset(cast.organisation, Preset.CIRCLE_ANGLIA_2009)
    closure = closed(letter_case, cast)
    client.force_login(cast.officer)
    pk = letter_case.case.pk
    page = client.get(reverse("cases:detail", args=[pk])).content.decode()
    assert "Record an appeal" in page and "Record satisfaction" in page
    client.post(reverse("letters:satisfaction", args=[pk]), {"score": "2", "comment": "Slow"})
    closure.refresh_from_db()
    assert closure.satisfaction == 2 and closure.satisfaction_method == "phone"
    with time_machine.travel(timezone.now()):
        client.post(reverse("letters:appeal", args=[pk]), {"grounds": "It has started again."})
    assert Case.objects.get(pk=pk).status == Status.OPEN


def test_follow_up_case_through_the_page(client, cast, letter_case):
    closed(letter_case, cast)
    client.force_login(cast.officer)
    pk = letter_case.case.pk
    response = client.post(
        reverse("letters:follow_up", args=[pk]),
        {
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "phone",
            "reporter_type": "victim",
            "summary": "More shouting.",
        },
    )
    new = Case.objects.get(previous_case_id=pk)
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:detail", args=[new.pk]
    )


def test_double_submit_of_raise_a_concern_shows_the_refusal_not_a_500(
    client, cast, letter_case, monkeypatch
):
    from letters.services import false_report

    client.force_login(cast.officer)
    url = reverse("letters:concern_raise", args=[letter_case.case.pk])
    data = {"reasons": "The CCTV does not show anyone at the door."}
    with mock.patch.object(tasks.letter_process, "apply_async"):
        first = client.post(url, data)
        # The second click raced past the check: only the database's rule stops it.
        monkeypatch.setattr(false_report, "_open_concern_exists", lambda case: False)
        second = client.post(url, data)
    assert first.status_code == 302
    assert second.status_code == 200
    assert "There is already an open concern on this case." in second.content.decode()
    assert FalseReportConcern.objects.filter(case=letter_case.case).count() == 1
    assert Letter.objects.filter(kind=LetterKind.FALSE_REPORT_CONCERN).count() == 1
