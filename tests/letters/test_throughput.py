"""How many letters one worker renders a second (reported in the README). One worker runs
one task at a time, so rendering back to back in one process is what it does."""

import time
from unittest import mock

import pytest

from letters import tasks
from letters.models import Delivery, LetterKind, LetterStatus
from letters.services.delivery import letter_process
from letters.services.issue import letter_issue

pytestmark = pytest.mark.django_db

LETTERS = 30


def test_one_worker_renders_letters_at_a_useful_rate(letter_case, cast, capsys):
    with mock.patch.object(tasks.letter_process, "apply_async"):
        letters = [
            letter_issue(
                case=letter_case.case,
                kind=LetterKind.CLOSURE,
                recipient=letter_case.victim,
                by=cast.officer,
                reason="",
                extra={"closure_reason": "Resolved", "closure_rationale": "Quiet for months."},
                delivery=Delivery.EMAIL,
            )
            for _ in range(LETTERS)
        ]
    letter_process(letter_id=letters[0].pk)  # fonts and stylesheets warm, as in a worker
    started = time.perf_counter()
    for letter in letters[1:]:
        letter_process(letter_id=letter.pk)
    rate = (LETTERS - 1) / (time.perf_counter() - started)
    with capsys.disabled():
        print(f"\n{rate:.1f} letters per second rendered, stored and e-mailed by one worker")
    assert all(letter.status == LetterStatus.SENT for letter in type(letters[0]).objects.all())
    assert rate > 1
