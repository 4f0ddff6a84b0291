"""Browser journey: a letter issued while the document store is full waits, the officer
sees which and why on the letters list and the case page, and it goes once space returns."""

import errno

import pytest
import time_machine
from playwright.sync_api import Page, expect

from letters import tasks
from letters.models import Delivery, Letter, LetterKind, LetterStatus
from letters.services.issue import letter_issue
from tests.conftest import PASSWORD
from tests.signin import second_factor_step
from tests.storage_faults import use_storage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAITING = "Waiting: the document store is full — will retry."


def test_the_officer_sees_a_waiting_letter_and_why_until_it_goes(
    live_server, page: Page, cast, letter_case, settings, tmp_path
):
    use_storage(settings, tmp_path / "private", refuse=errno.ENOSPC)
    letter = letter_issue(
        case=letter_case.case,
        kind=LetterKind.ACKNOWLEDGEMENT,
        recipient=letter_case.victim,
        by=cast.officer,
        reason="",
        extra={"next_contact_date": "Monday 4 May 2026"},
        delivery=Delivery.EMAIL,
    )
    letter.refresh_from_db()
    assert letter.waiting  # the eager worker met a full store

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(cast.officer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, cast.officer.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Letters").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Letters not yet sent")
    row = page.get_by_test_id("letter")
    expect(row).to_contain_text("Waiting")
    expect(row).to_contain_text(WAITING)
    row.get_by_role("link", name=letter_case.case.reference).click()
    expect(page.get_by_test_id("letter-waiting")).to_contain_text(WAITING)

    use_storage(settings, tmp_path / "private")  # space returns; the sweep's next try
    with time_machine.travel(letter.retry_at, tick=False):
        tasks.letters_requeue.apply()
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.SENT
    page.goto(f"{live_server.url}/letters/")
    expect(page.get_by_text("Every letter has gone.")).to_be_visible()
