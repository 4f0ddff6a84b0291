"""W20: the false-report process, its letters and its 10-working-day deadline."""

import threading
from datetime import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections

from cases.models.choices import Status
from deadlines.models import Deadline, DeadlineRule, DeadlineState
from letters.models import ConcernOutcome, LetterKind, LetterStatus
from letters.services.false_report import (
    false_report_concern_decide,
    false_report_concern_raise,
    false_report_evidence_log,
)
from policy.calendar import LONDON
from tests.cases.factories import make_case

from .conftest import CANARY_NAME, letter_pdf_text

pytestmark = pytest.mark.django_db

# Tuesday 28 April 2026; Monday 4 May 2026 is the Early May bank holiday.
RAISED = datetime(2026, 4, 28, 10, 0, tzinfo=LONDON)


def raise_concern(letter_case, cast, capture):
    with capture(execute=True):
        return false_report_concern_raise(
            case=letter_case.case,
            by=cast.officer,
            reasons="The CCTV does not show anyone at the door at the times given.",
        )


def test_w20_concern_letter_gives_ten_working_days_across_a_bank_holiday(
    cast, django_capture_on_commit_callbacks
):
    with time_machine.travel(RAISED, tick=False):
        from .conftest import LetterCase  # noqa: F401

        case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
        from cases.models import CaseParty, Person

        person = Person.objects.create(
            organisation=cast.organisation,
            full_name=CANARY_NAME,
            address="1 Letter Lane",
            postcode="WD17 1AA",
            email="c@example.org",
        )
        CaseParty.objects.create(case=case, person=person, role="complainant")
        with django_capture_on_commit_callbacks(execute=True):
            concern = false_report_concern_raise(
                case=case,
                by=cast.officer,
                reasons="The CCTV does not show anyone at the door at the times given.",
            )
    deadline = Deadline.objects.get(case=case, rule=DeadlineRule.W20_FALSE_REPORT_EVIDENCE)
    # 10 working days from Tuesday 28 April, skipping the weekend and the bank holiday.
    assert deadline.due_at == datetime(2026, 5, 13, 17, 0, tzinfo=LONDON)
    assert concern.evidence_due_at == deadline.due_at
    letter = concern.concern_letter
    letter.refresh_from_db()
    assert letter.kind == LetterKind.FALSE_REPORT_CONCERN and letter.status == LetterStatus.SENT
    text = letter_pdf_text(letter)
    assert "Wednesday 13 May 2026" in text
    assert case.reference in text
    assert CANARY_NAME in text  # to the complainant themselves
    assert "The CCTV does not show anyone at the door" in text
    assert cast.officer.full_name in text


def test_w20_evidence_received_meets_the_deadline_and_resolving_keeps_the_case_going(
    letter_case, cast, django_capture_on_commit_callbacks
):
    concern = raise_concern(letter_case, cast, django_capture_on_commit_callbacks)
    from django.utils import timezone

    false_report_evidence_log(
        concern=concern, by=cast.officer, received_at=timezone.now(), notes="Doorbell video."
    )
    deadline = Deadline.objects.get(
        case=letter_case.case, rule=DeadlineRule.W20_FALSE_REPORT_EVIDENCE
    )
    assert deadline.state == DeadlineState.MET
    false_report_concern_decide(
        concern=concern, by=cast.officer, resolved=True, notes="The video shows it."
    )
    concern.refresh_from_db()
    letter_case.case.refresh_from_db()
    assert concern.outcome == ConcernOutcome.RESOLVED
    assert letter_case.case.status == Status.OPEN
    assert concern.no_further_support_letter is None


def test_w20_not_resolved_sends_the_no_further_support_letter_and_moves_to_closing(
    letter_case, cast, django_capture_on_commit_callbacks
):
    concern = raise_concern(letter_case, cast, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        # The complainant still has time to respond and has sent nothing yet.
        false_report_concern_decide(concern=concern, by=cast.officer, resolved=False, notes="x")
    with (
        time_machine.travel(concern.evidence_due_at.replace(hour=18)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        false_report_concern_decide(
            concern=concern,
            by=cast.officer,
            resolved=False,
            notes="No evidence was provided by the date given.",
        )
    concern.refresh_from_db()
    letter_case.case.refresh_from_db()
    assert concern.outcome == ConcernOutcome.NOT_RESOLVED
    assert letter_case.case.status == Status.CLOSING
    letter = concern.no_further_support_letter
    letter.refresh_from_db()
    assert letter.kind == LetterKind.NO_FURTHER_SUPPORT and letter.status == LetterStatus.SENT
    assert "unable to provide further support" in letter_pdf_text(letter)
    assert letter_case.case.history.filter(status=Status.CLOSING).exists()


def test_w20_one_open_concern_at_a_time_and_reasons_are_required(
    letter_case, cast, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError):
        false_report_concern_raise(case=letter_case.case, by=cast.officer, reasons="  ")
    raise_concern(letter_case, cast, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        raise_concern(letter_case, cast, django_capture_on_commit_callbacks)


def test_double_submit_second_raise_is_refused_clearly_with_one_letter(
    letter_case, cast, django_capture_on_commit_callbacks
):
    from letters.models import FalseReportConcern, Letter

    raise_concern(letter_case, cast, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="There is already an open concern on this case."):
        raise_concern(letter_case, cast, django_capture_on_commit_callbacks)
    assert FalseReportConcern.objects.filter(case=letter_case.case).count() == 1
    assert Letter.objects.filter(kind=LetterKind.FALSE_REPORT_CONCERN).count() == 1


def test_double_submit_race_past_the_check_is_a_clear_refusal_not_an_integrity_error(
    letter_case, cast, django_capture_on_commit_callbacks, monkeypatch
):
    """Two submits at once both pass the check before either saves: the database's
    one-open-concern rule refuses the second, said as the same message, and its letter goes."""
    from letters.models import FalseReportConcern, Letter
    from letters.services import false_report

    raise_concern(letter_case, cast, django_capture_on_commit_callbacks)
    monkeypatch.setattr(false_report, "_open_concern_exists", lambda case: False)
    with pytest.raises(ValidationError, match="There is already an open concern on this case."):
        raise_concern(letter_case, cast, django_capture_on_commit_callbacks)
    assert FalseReportConcern.objects.filter(case=letter_case.case).count() == 1
    assert Letter.objects.filter(kind=LetterKind.FALSE_REPORT_CONCERN).count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time, so two raises cannot overlap",
)
@pytest.mark.django_db(transaction=True)
def test_double_submit_at_the_same_moment_on_postgresql_raises_one_concern(
    letter_case, cast, monkeypatch
):
    from unittest import mock

    from letters import tasks
    from letters.models import FalseReportConcern, Letter
    from letters.services import false_report

    real_check = false_report._open_concern_exists
    both_checked = threading.Barrier(2)
    waited = threading.local()

    def check_then_wait(case):
        found = real_check(case)
        if not getattr(waited, "done", False):
            waited.done = True
            both_checked.wait(timeout=10)  # both passed the first check before either saved
        return found

    monkeypatch.setattr(false_report, "_open_concern_exists", check_then_wait)
    outcomes = []

    def raise_once():
        try:
            false_report_concern_raise(case=letter_case.case, by=cast.officer, reasons="Doubts.")
            outcomes.append("raised")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    with mock.patch.object(tasks.letter_process, "apply_async"):
        threads = [threading.Thread(target=raise_once) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(outcomes) == ["There is already an open concern on this case.", "raised"]
    assert FalseReportConcern.objects.filter(case=letter_case.case).count() == 1
    assert Letter.objects.filter(kind=LetterKind.FALSE_REPORT_CONCERN).count() == 1
