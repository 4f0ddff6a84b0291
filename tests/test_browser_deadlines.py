"""Journey: the demo officer's My work lists a new case's 24-hour contact deadline; logging a
phone contact with the complainant marks it met.

The officer follows the deadline to the case and records the call with the case page's
contact form, as they would at their desk.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD, seed_organisations
from accounts.models import Organisation, User
from cases.models import Person
from cases.services.parties import party_add
from deadlines.models import DeadlineRule, DeadlineState
from tests.conftest import fill_date
from tests.signin import second_factor_step

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
    rita = Person.objects.create(organisation=wch, full_name="Rita Resident")
    party_add(case=case, by=staff, role="complainant", person=rita)

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(officer.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, officer.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My work").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")

    row = page.locator(f'tr[data-case="{case.reference}"]')
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Rita Resident")
    expect(row.locator(f'li[data-rule="{DeadlineRule.W08_FIRST_CONTACT}"]')).to_contain_text(
        "Contact the complainant"
    )
    expect(row).to_contain_text("W08 (000 §6.2)")
    expect(row).to_contain_text("within 24 hours")
    expect(
        page.get_by_role("heading", name="Due today")
        .or_(page.get_by_role("heading", name="Due this week"))
        .first
    ).to_be_visible()

    row.get_by_role("link", name=case.reference, exact=True).click()
    page.get_by_role("link", name="Record a contact").click()
    with_whom = page.get_by_label("With (optional)", exact=True)
    with_whom.select_option(label="Complainant: Rita Resident")
    fill_date(page, "id_occurred_at", timezone.localtime())
    page.get_by_label("Method").select_option(label="Telephone call")
    page.get_by_label("Direction").select_option(label="We contacted them")
    page.get_by_label("Purpose").select_option(label="First contact and acknowledgement")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(case.reference)
    panel = page.locator(f'li[data-rule="{DeadlineRule.W08_FIRST_CONTACT}"]')
    expect(panel).to_have_attribute("data-state", DeadlineState.MET)
    assert case.deadlines.get(rule=DeadlineRule.W08_FIRST_CONTACT).state == DeadlineState.MET

    page.goto(f"{live_server.url}/my-work/")
    expect(
        page.locator(f'.deadline-table li[data-rule="{DeadlineRule.W08_FIRST_CONTACT}"]')
    ).to_have_count(0)
    met = page.locator(f'#recently-met-list li[data-rule="{DeadlineRule.W08_FIRST_CONTACT}"]')
    expect(met).to_contain_text(case.reference)
    expect(met).to_contain_text("Met")
    expect(met).to_contain_text("Telephone call logged")
