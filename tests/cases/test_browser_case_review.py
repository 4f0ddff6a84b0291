"""Journeys on the case page: an officer follows the C26 review deadline to the review form
and records the review; an officer records the welfare-call frequency agreed with the
complainant (W13 / C22) and the next call moves with it."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD, seed_organisations
from accounts.models import Organisation, User
from deadlines.models import DeadlineRule, DeadlineState
from tests.signin import second_factor_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _case_and_officer():
    from cases.models.choices import Category, Channel, ReporterType
    from cases.services.intake import case_open

    seed_organisations()
    # On the Circle Anglia 2009 preset: C26's review, and calls "unless the plan says otherwise".
    cah = Organisation.objects.get(code="CAH")
    officer = User.objects.get(email="officer@cah.example")
    return case_open(
        organisation=cah,
        logged_by=User.objects.get(email="staff@cah.example"),
        received_at=timezone.now() - timezone.timedelta(days=2),
        channel=Channel.PHONE,
        reporter_type=ReporterType.VICTIM,
        category=Category.HARASSMENT,
        summary="Noise and threats from the flat above.",
        assigned_officer=officer,
    ), officer


def _sign_in_and_open(page: Page, live_server, officer, case) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(officer.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, officer.email)
    page.goto(f"{live_server.url}/cases/{case.pk}/")


def test_c26_officer_records_the_case_review_from_the_deadline_panel(live_server, page: Page):
    case, officer = _case_and_officer()
    _sign_in_and_open(page, live_server, officer, case)

    review = page.locator(f'li[data-state][data-rule="{DeadlineRule.C26_CASE_REVIEW}"]')
    expect(review).to_have_attribute("data-state", DeadlineState.OPEN)
    review.get_by_role("link", name="Record the case review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the case review (C26)")

    page.get_by_label("Keep the case open: the action plan continues").check()
    page.get_by_label("What the review found").fill("Two warnings given; no incident since.")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Case review recorded.")).to_be_visible()
    review = page.locator(f'li[data-state][data-rule="{DeadlineRule.C26_CASE_REVIEW}"]')
    expect(review).to_have_attribute("data-state", DeadlineState.MET)
    expect(review).to_contain_text("Case reviewed")
    expect(page.get_by_test_id("timeline")).to_contain_text("Two warnings given")


def test_w13_c22_officer_records_the_agreed_call_frequency(live_server, page: Page):
    case, officer = _case_and_officer()
    _sign_in_and_open(page, live_server, officer, case)

    page.get_by_role("link", name="How often to call the complainant").click()
    page.get_by_label("Welfare calls every (days)").fill("200")
    page.get_by_label("What was agreed, with whom and when").fill("Agreed on the phone today.")
    page.get_by_role("button", name="Save").click()
    expect(
        page.locator("[data-error-summary]").get_by_text("Enter a number of days from 1 to 90.")
    ).to_be_visible()
    expect(page.get_by_label("What was agreed, with whom and when")).to_have_value(
        "Agreed on the phone today."
    )

    page.get_by_label("Welfare calls every (days)").fill("3")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("agreed-contact")).to_have_text(
        "Every 3 days, as agreed with the complainant (C22)"
    )
    call = page.locator(f'li[data-state][data-rule="{DeadlineRule.W13_WELFARE_CALL}"]')
    expect(call).to_contain_text("every 3 days (as agreed with the complainant)")
