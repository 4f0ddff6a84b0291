"""Journey (C19, C20, C21): an officer records an incident with threats of violence on a
Circle Anglia case, and the case page's deadline panel shows the officer contact brought
forward from 5 days to 1 day, with the clause saying why.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD, seed_organisations
from accounts.models import Organisation, User
from deadlines.models import DeadlineRule
from policy.calendar import add_days
from policy.formats import uk_datetime
from tests.conftest import fill_date
from tests.signin import second_factor_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_c19_threats_recorded_bring_the_officer_contact_forward_on_the_case_page(
    live_server, page: Page
):
    from cases.models.choices import Category, Channel, ReporterType
    from cases.services.intake import case_open

    seed_organisations()
    cah = Organisation.objects.get(code="CAH")  # on the Circle Anglia 2009 preset
    officer = User.objects.get(email="officer@cah.example")
    staff = User.objects.get(email="staff@cah.example")
    received = (timezone.now() - timedelta(hours=2)).replace(second=0, microsecond=0)
    case = case_open(
        organisation=cah,
        logged_by=staff,
        received_at=received,
        channel=Channel.PHONE,
        reporter_type=ReporterType.VICTIM,
        category=Category.HARASSMENT,
        summary="Banging on the wall at night.",
        assigned_officer=officer,
    )
    standard = uk_datetime(add_days(received, 5))
    faster = uk_datetime(add_days(received, 1))

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(officer.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, officer.email)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(case.reference)
    contact = page.locator(f'li[data-state][data-rule="{DeadlineRule.C19_OFFICER_CONTACT}"]')
    expect(contact).to_contain_text("within 5 days")
    expect(contact.locator("time")).to_have_text(standard)

    # The case page offers it twice: in the task list and among the case's actions.
    page.get_by_role("link", name="Record an incident").first.click()
    fill_date(page, "id_occurred_at", timezone.localtime(received - timedelta(hours=1)))
    page.locator("#id_description").fill("He said he would break her legs.")
    page.get_by_label("Threats of violence").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(case.reference)
    contact.get_by_text("Why is this due?").click()
    expect(contact).to_contain_text("C19 (004 §4.8): within 1 day (violence or a threat of it)")
    expect(contact.locator("time")).to_have_text(faster)
    interview = page.locator(f'li[data-state][data-rule="{DeadlineRule.C20_INTERVIEW}"]')
    expect(interview).to_contain_text("within 5 days (violence or a threat of it)")
