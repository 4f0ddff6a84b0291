"""In CI, for real: a Celery worker process against Redis renders a closure letter to PDF."""

import os
from unittest import mock

import pytest
from django.utils import timezone

from cases.models import Case
from letters import tasks
from letters.models import ClosureReason, Letter, LetterStatus
from letters.services.closure import case_close
from tests.workers import celery_processes, wait_for

from .conftest import CANARY_NAME, letter_pdf_text

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def broker_url(broker: str) -> str:
    if broker == "filesystem":
        return "filesystem://"
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis"):
        pytest.skip("CELERY_BROKER_URL does not name a Redis broker (CI sets it).")
    return url


@pytest.mark.parametrize("broker", ["redis", "filesystem"])
def test_w21_a_real_worker_renders_and_sends_the_closure_letter(
    broker, tmp_path, settings, cast, letter_case
):
    url = broker_url(broker)
    # The worker process writes where the test settings say; read the PDF from there too.
    from config.settings.base import VAR_DIR

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(VAR_DIR / "test-private")},
        },
    }
    case = Case.objects.get(pk=letter_case.case.pk)
    # Keep this process's eager Celery out of it: the real worker gets the letter below.
    with mock.patch.object(tasks.letter_process, "apply_async"):
        closure = case_close(
            case=case,
            by=cast.officer,
            reason=ClosureReason.RESOLVED,
            rationale="No further incidents since the injunction.",
            discussed_with_complainant=True,
            discussed_on=timezone.localdate(),
            discussion_notes="",
            expected_version=case.version,
        )
    letter_id = closure.letter_id
    assert Letter.objects.get(pk=letter_id).status == LetterStatus.QUEUED
    with celery_processes(broker_url=url, tmp_path=tmp_path) as (app, queue):
        app.send_task("letters.tasks.letter_process", args=[letter_id], queue=queue)
        wait_for(
            lambda: Letter.objects.get(pk=letter_id).status == LetterStatus.SENT,
            timeout=90,
            logs=tmp_path,
        )
    letter = Letter.objects.get(pk=letter_id)
    text = letter_pdf_text(letter)
    assert "We remain available to you" in text
    assert "No further incidents since the injunction." in text
    assert CANARY_NAME in text


def test_one_real_worker_letters_per_second(tmp_path, settings, cast, letter_case, capsys):
    """The figure in the README: one worker process (solo pool) over the real broker."""
    import time

    from letters.models import Delivery, LetterKind
    from letters.services.issue import letter_issue

    url = broker_url("redis")
    count = 40
    with mock.patch.object(tasks.letter_process, "apply_async"):
        ids = [
            letter_issue(
                case=letter_case.case,
                kind=LetterKind.CLOSURE,
                recipient=letter_case.victim,
                by=cast.officer,
                reason="",
                extra={"closure_reason": "Resolved", "closure_rationale": "Quiet."},
                delivery=Delivery.EMAIL,
            ).pk
            for _ in range(count)
        ]
    with celery_processes(broker_url=url, tmp_path=tmp_path) as (app, queue):
        app.send_task("letters.tasks.letter_process", args=[ids[0]], queue=queue)
        wait_for(lambda: Letter.objects.get(pk=ids[0]).status == LetterStatus.SENT, logs=tmp_path)
        started = time.perf_counter()
        for letter_id in ids[1:]:
            app.send_task("letters.tasks.letter_process", args=[letter_id], queue=queue)
        wait_for(
            lambda: Letter.objects.filter(pk__in=ids, status=LetterStatus.SENT).count() == count,
            timeout=120,
            logs=tmp_path,
        )
        rate = (count - 1) / (time.perf_counter() - started)
    with capsys.disabled():
        print(f"\n{rate:.1f} letters per second from one real worker process")
    assert rate > 0.5
