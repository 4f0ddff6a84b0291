"""Journey (C20, W10): an officer opens a case whose interview is overdue; the case page's
"What needs doing next" lists it first among the deadlines with how late it is, and its
button opens the form that records the interview."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from policy.settings import Preset
from tests.conftest import PASSWORD
from tests.deadline_helpers import apply_preset, complainant, open_case
from tests.signin import second_factor_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_c20_case_page_task_list_shows_the_overdue_interview_with_its_button(
    live_server, page: Page, cast
):
    apply_preset(cast.organisation, Preset.CIRCLE_ANGLIA_2009)
    # C20: interview within 10 days of the report; this one came in 12 days ago.
    case = open_case(cast, received_at=timezone.now() - timedelta(days=12))
    complainant(case)

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(cast.officer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, cast.officer.email)
    page.goto(f"{live_server.url}/cases/{case.pk}/")

    tasks = page.get_by_test_id("next-steps")
    expect(tasks.get_by_role("heading", name="What needs doing next")).to_be_visible()
    interview = tasks.locator('li[data-rule="c20_interview"]')
    expect(interview).to_contain_text("Interview the complainant")
    expect(interview.get_by_test_id("task-status")).to_contain_text("Overdue by 2 days")
    # The clause is behind "Why is this due?", closed until asked for.
    clause = interview.get_by_text("C20 (004 §4.9)", exact=False)
    expect(clause).to_be_hidden()
    interview.get_by_text("Why is this due?").click()
    expect(clause).to_be_visible()
    # The W10 risk assessment is listed too, after the overdue deadlines.
    expect(
        tasks.get_by_text(
            "Complete the risk assessment: a High Risk case needs one (W10)", exact=True
        )
    ).to_be_visible()

    button = interview.get_by_role("link", name="Record the contact")
    expect(button).to_be_visible()
    button.click()
    expect(page).to_have_url(f"{live_server.url}/cases/{case.pk}/contacts/add/")
