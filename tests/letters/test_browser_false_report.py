"""Browser journey (W20): the officer raises a false-report concern, logs the evidence that
comes in and resolves the concern; the concern letter is on the case as a PDF."""

import pytest
from playwright.sync_api import Page, expect

from letters.models import ConcernOutcome, FalseReportConcern

from .test_browser_closure import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_w20_officer_raises_and_resolves_a_false_report_concern(
    live_server, page: Page, cast, letter_case
):
    case = letter_case.case
    sign_in(page, live_server, cast.officer)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("link", name="Raise a false-report concern").click()
    page.get_by_label("What the concern is").fill("The dates given do not match the CCTV.")
    page.get_by_role("button", name="Raise the concern and write to the complainant").click()

    expect(page.get_by_test_id("open-concern")).to_contain_text("Further evidence due by")
    concern_letter = page.locator('[data-testid="letter"][data-kind="false_report_concern"]')
    expect(concern_letter.get_by_role("link", name="Download PDF")).to_be_visible()

    page.get_by_role("link", name="Log further evidence").click()
    page.get_by_label("What was received").fill("Doorbell video from the neighbour.")
    page.get_by_role("button", name="Log the evidence").click()
    expect(page.get_by_test_id("open-concern")).to_contain_text("Doorbell video")

    page.get_by_role("link", name="Decide the concern").click()
    page.get_by_label("Resolved: the case goes on").check()
    page.get_by_label("Why").fill("The video supports the account.")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_text("Concern decided.")).to_be_visible()
    expect(page.get_by_test_id("open-concern")).to_have_count(0)
    assert FalseReportConcern.objects.get(case=case).outcome == ConcernOutcome.RESOLVED
