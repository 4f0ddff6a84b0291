"""Journey: the demo officer's My work lists a new case's 24-hour contact deadline; logging a
phone contact with the complainant marks it met.

The contact is logged through ``contact_log`` (the service the case page's contact form will
call) until that form is on the main branch; the rest is the real browser.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD, seed_organisations
from accounts.models import Organisation, User
from cases.models import DeadlineRule, DeadlineState
from cases.models.choices import ContactPurpose
from tests.deadline_helpers import log_phone_call

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_my_work_lists_the_24_hour_contact_and_a_phone_call_meets_it(live_server, page: Page):
    from cases.models.choices import Category, Channel, ReporterType
    from cases.services.intake import case_open

    seed_organisations()
    wch = Organisation.objects.get(code="WCH")
    officer = User.objects.get(email="officer@wch.example")
    staff = User.objects.get(email="staff@wch.example")
    case = case_open(
        organisation=wch,
        logged_by=staff,
        received_at=timezone.now() - timezone.timedelta(minutes=30),
        channel=Channel.PHONE,
        reporter_type=ReporterType.VICTIM,
        category=Category.HATE_CRIME,
        summary="Abuse shouted in the stairwell.",
        assigned_officer=officer,
    )

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(officer.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My work").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")

    row = page.locator(f'tr[data-rule="{DeadlineRule.W08_FIRST_CONTACT}"]')
    expect(row).to_contain_text(case.reference)
    expect(row).to_contain_text("Contact the complainant (W08 / C17)")
    expect(row).to_contain_text("within 24 hours")
    expect(
        page.get_by_role("heading", name="Due today")
        .or_(page.get_by_role("heading", name="Due this week"))
        .first
    ).to_be_visible()

    log_phone_call(case, by=officer, at=timezone.now(), purpose=ContactPurpose.FIRST_CONTACT)
    assert case.deadlines.get(rule=DeadlineRule.W08_FIRST_CONTACT).state == DeadlineState.MET

    page.reload()
    expect(page.locator(f'tr[data-rule="{DeadlineRule.W08_FIRST_CONTACT}"]')).to_have_count(0)
    met = page.locator(f'#recently-met-list li[data-rule="{DeadlineRule.W08_FIRST_CONTACT}"]')
    expect(met).to_contain_text(case.reference)
    expect(met).to_contain_text("Met")
    expect(met).to_contain_text("Telephone call logged")
