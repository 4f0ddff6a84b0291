"""W21, C26: closing a case, its letter, the appeal, satisfaction and a follow-up case;
the C17 acknowledgement. (The C22 plan letter: test_action_plan_letters.py.)"""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.models.choices import Status
from deadlines.models import Deadline, DeadlineRule, DeadlineState
from letters.models import ClosureReason, Delivery, LetterKind, LetterStatus, SatisfactionMethod
from letters.selectors import satisfaction_summary
from letters.services.closure import (
    case_close,
    case_closure_appeal,
    case_open_follow_up,
    closure_satisfaction_record,
)
from letters.services.issue import letter_issue_by_officer
from policy.settings import Preset
from tests.deadline_helpers import apply_preset

from .conftest import CANARY_NAME, letter_pdf_text

pytestmark = pytest.mark.django_db


def close(letter_case, cast, capture, **overrides):
    case = Case.objects.get(pk=letter_case.case.pk)
    fields = {
        "reason": ClosureReason.RESOLVED,
        "rationale": "No incidents for three months and the complainant feels safe.",
        "discussed_with_complainant": True,
        "discussed_on": timezone.localdate(),
        "discussion_notes": "Happy for the case to close.",
    }
    fields.update(overrides)
    with capture(execute=True):
        return case_close(case=case, by=cast.officer, expected_version=case.version, **fields)


def test_w21_closing_needs_a_reason_and_a_rationale(
    letter_case, cast, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as error:
        close(letter_case, cast, django_capture_on_commit_callbacks, reason="", rationale=" ")
    assert set(error.value.message_dict) == {"reason", "rationale"}
    assert Case.objects.get(pk=letter_case.case.pk).status == Status.OPEN


def test_w21_closure_letter_is_rendered_and_sent_saying_the_landlord_remains_available(
    letter_case, cast, django_capture_on_commit_callbacks
):
    closure = close(letter_case, cast, django_capture_on_commit_callbacks)
    case = Case.objects.get(pk=letter_case.case.pk)
    assert case.status == Status.CLOSED and case.closed_at == closure.closed_at
    letter = closure.letter
    letter.refresh_from_db()
    assert letter.kind == LetterKind.CLOSURE and letter.recipient == letter_case.victim
    assert letter.status == LetterStatus.SENT and letter.sent_at
    text = letter_pdf_text(letter)
    assert "We remain available to you" in text
    assert ClosureReason.RESOLVED.label in text
    assert "No incidents for three months" in text
    assert CANARY_NAME in text and case.reference in text
    # No open deadline survives the closure.
    assert (
        not Deadline.objects.filter(case=case, state=DeadlineState.OPEN)
        .exclude(rule=DeadlineRule.C26_APPEAL_WINDOW)
        .exists()
    )


def test_c26_closure_must_be_discussed_with_the_complainant_or_say_why_not(
    letter_case, cast, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as error:
        close(
            letter_case, cast, django_capture_on_commit_callbacks, discussed_with_complainant=False
        )
    assert "discussed_with_complainant" in error.value.message_dict
    closure = close(
        letter_case,
        cast,
        django_capture_on_commit_callbacks,
        reason=ClosureReason.NO_CONTACT,
        discussed_with_complainant=False,
        discussion_notes="Three calls and two letters unanswered.",
    )
    assert not closure.discussed_with_complainant


def test_c26_appeal_within_the_window_reopens_the_case(
    letter_case, cast, django_capture_on_commit_callbacks
):
    apply_preset(cast.organisation, Preset.CIRCLE_ANGLIA_2009)
    closure = close(letter_case, cast, django_capture_on_commit_callbacks)
    window = Deadline.objects.get(case=letter_case.case, rule=DeadlineRule.C26_APPEAL_WINDOW)
    assert closure.appeal_until == window.due_at
    assert window.due_at - closure.closed_at == timedelta(days=28)
    assert "appeal" in letter_pdf_text(closure.letter)
    case = case_closure_appeal(
        closure=closure, by=cast.officer, grounds="Incidents have restarted."
    )
    assert case.status == Status.OPEN and case.closed_at is None
    window.refresh_from_db()
    assert window.state == DeadlineState.MET
    assert Deadline.objects.filter(
        case=case, rule=DeadlineRule.W13_WELFARE_CALL, state=DeadlineState.OPEN
    ).exists()


def test_c26_no_appeal_after_the_window_closes(
    letter_case, cast, django_capture_on_commit_callbacks
):
    apply_preset(cast.organisation, Preset.CIRCLE_ANGLIA_2009)
    closure = close(letter_case, cast, django_capture_on_commit_callbacks)
    with (
        time_machine.travel(closure.appeal_until + timedelta(minutes=1)),
        pytest.raises(ValidationError),
    ):
        case_closure_appeal(closure=closure, by=cast.officer, grounds="Late.")


def test_c26_satisfaction_recorded_by_phone_once(
    letter_case, cast, django_capture_on_commit_callbacks
):
    closure = close(letter_case, cast, django_capture_on_commit_callbacks)
    closure_satisfaction_record(
        closure=closure, score=4, comment="", method=SatisfactionMethod.PHONE, by=cast.officer
    )
    with pytest.raises(ValidationError):
        closure_satisfaction_record(
            closure=closure, score=1, comment="", method=SatisfactionMethod.PHONE, by=cast.officer
        )
    summary = satisfaction_summary(organisation=cast.organisation)
    assert summary["closed"] == 1 and summary["responses"] == 1 and summary["by_score"][4] == 1


def test_c26_feedback_link_carries_no_personal_data_and_works_once(
    client, letter_case, cast, django_capture_on_commit_callbacks
):
    closure = close(letter_case, cast, django_capture_on_commit_callbacks)
    url = reverse("feedback", args=[closure.feedback_token])
    assert str(letter_case.case.pk) not in url.replace(closure.feedback_token, "")
    assert letter_case.case.reference not in url
    assert url in letter_pdf_text(closure.letter).replace(" ", "")
    page = client.get(url)
    assert page.status_code == 200
    assert CANARY_NAME not in page.content.decode()
    assert letter_case.case.reference not in page.content.decode()
    response = client.post(url, {"score": "5", "comment": "Thank you"})
    assert response.status_code == 200
    closure.refresh_from_db()
    assert closure.satisfaction == 5 and closure.satisfaction_method == SatisfactionMethod.LINK
    assert client.get(url).status_code == 404


def test_a_new_report_about_the_same_people_after_closure_opens_a_linked_case(
    letter_case, cast, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError):
        case_open_follow_up(
            previous=letter_case.case,
            by=cast.officer,
            received_at=timezone.now(),
            channel="phone",
            reporter_type="victim",
            summary="Again",
        )
    close(letter_case, cast, django_capture_on_commit_callbacks)
    old = Case.objects.get(pk=letter_case.case.pk)
    new = case_open_follow_up(
        previous=old,
        by=cast.officer,
        received_at=timezone.now(),
        channel="phone",
        reporter_type="victim",
        summary="The shouting has started again.",
    )
    assert new.previous_case == old and new.pk != old.pk and new.status == Status.OPEN
    assert sorted(new.parties.values_list("person_id", "role")) == sorted(
        old.parties.values_list("person_id", "role")
    )


def test_c17_acknowledgement_says_who_handles_the_case_and_when_they_will_be_in_touch(
    letter_case, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_issue_by_officer(
            case=letter_case.case,
            kind=LetterKind.ACKNOWLEDGEMENT,
            recipient=letter_case.victim,
            by=cast.officer,
            delivery=Delivery.POST,
            reason="",
        )
    text = letter_pdf_text(letter)
    assert f"handled by {cast.officer.full_name}" in text
    assert "will next be in touch with you by" in text
    deadline = Deadline.objects.get(case=letter_case.case, rule=DeadlineRule.W08_FIRST_CONTACT)
    from letters.merge import long_date

    assert long_date(deadline.due_at) in text
