"""Browser journey (W21): the officer closes a case with a reason and downloads the letter."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from cases.models import Case
from letters.models import Letter, LetterKind, LetterStatus
from tests.conftest import PASSWORD, fill_date
from tests.signin import second_factor_step

from .conftest import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, live_server, user):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, user.email)


def test_w21_officer_closes_a_case_with_a_reason_and_downloads_the_closure_letter(
    live_server, page: Page, cast, letter_case, tmp_path
):
    case = letter_case.case
    sign_in(page, live_server, cast.officer)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("link", name="Close the case").click()
    page.get_by_label("Reason for closing").select_option("action_complete")
    page.get_by_label("Rationale").fill("Every action in the plan is done; no incidents since May.")
    page.get_by_label("Closure was discussed with the complainant (C26)").check()
    fill_date(page, "id_discussed_on", date(2026, 1, 5))
    page.get_by_role("button", name="Close the case").click()

    expect(page.get_by_text("Case closed. The closure letter is being produced.")).to_be_visible()
    letter_item = page.locator('[data-testid="letter"][data-kind="closure"]')
    expect(letter_item).to_be_visible()
    assert Case.objects.get(pk=case.pk).status == "closed"
    letter = Letter.objects.get(case=case, kind=LetterKind.CLOSURE)
    assert letter.status == LetterStatus.SENT

    with page.expect_download() as download_info:
        letter_item.get_by_role("link", name="Download PDF").click()
    path = tmp_path / "closure.pdf"
    download_info.value.save_as(path)
    text = pdf_text(path.read_bytes())
    assert "All agreed actions are complete" in text
    assert "no incidents since May" in text
    assert "We remain available to you" in text
