"""Journey: an officer follows the C26 review deadline on the case page to the review form,
records the review, and the deadline shows met."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD, seed_organisations
from accounts.models import Organisation, User
from cases.models import DeadlineRule, DeadlineState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_c26_officer_records_the_case_review_from_the_deadline_panel(live_server, page: Page):
    from cases.models.choices import Category, Channel, ReporterType
    from cases.services.intake import case_open

    seed_organisations()
    wch = Organisation.objects.get(code="WCH")
    officer = User.objects.get(email="officer@wch.example")
    case = case_open(
        organisation=wch,
        logged_by=User.objects.get(email="staff@wch.example"),
        received_at=timezone.now() - timezone.timedelta(days=2),
        channel=Channel.PHONE,
        reporter_type=ReporterType.VICTIM,
        category=Category.HARASSMENT,
        summary="Noise and threats from the flat above.",
        assigned_officer=officer,
    )

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(officer.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/cases/{case.pk}/")

    review = page.locator(f'li[data-rule="{DeadlineRule.C26_CASE_REVIEW}"]')
    expect(review).to_have_attribute("data-state", DeadlineState.OPEN)
    review.get_by_role("link", name="Record the case review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the case review (C26)")

    page.get_by_label("Keep the case open: the action plan continues").check()
    page.get_by_label("What the review found").fill("Two warnings given; no incident since.")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Case review recorded.")).to_be_visible()
    review = page.locator(f'li[data-rule="{DeadlineRule.C26_CASE_REVIEW}"]')
    expect(review).to_have_attribute("data-state", DeadlineState.MET)
    expect(review).to_contain_text("Case reviewed")
    expect(page.get_by_test_id("timeline")).to_contain_text("Two warnings given")
