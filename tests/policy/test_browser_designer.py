"""Journey: the demo organisation admin writes a new landlord's policy in the browser, tries
it with a report on the Friday before the August bank holiday and publishes it.

The policy: first contact within 1 working day where there is violence or a threat of it or
a hate ground, otherwise 3 working days; the alleged perpetrator contacted within 5 working
days of being added; a welfare call every 14 days, or as agreed with the complainant; the
complainant contacted 28 days after closure.

Due times worked out by hand (working hours 09:00-17:00, Mon 31 Aug 2026 a bank holiday):
a report on Fri 28 Aug 2026 at 16:30 counts from Friday, so 1 working day is the close of
Tue 1 Sep and 3 working days the close of Thu 3 Sep; a perpetrator added at the same time,
5 working days: Tue 1, Wed 2, Thu 3, Fri 4, Mon 7 Sep, 17:00; the welfare call 14 calendar
days on, Fri 11 Sep 16:30; the case closed on Fri 2 Oct at 10:00, 28 days on across the
clocks going back, Fri 30 Oct 10:00.
"""

import pytest
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD, seed_organisations
from accounts.models import Organisation
from policy.schema import document_of
from policy.selectors import version_in_force
from tests.signin import second_factor_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNITS = {
    "working_days": "working days (to the close of the last one)",
    "days": "calendar days",
}


def _timescale(page: Page, index: int, unit: str, amount: int, **conditions):
    row = page.locator(f'[data-timescale-form="{index}"]')
    row.get_by_label("Unit", exact=True).select_option(label=UNITS[unit])
    row.get_by_label("Amount").fill(str(amount))
    if conditions:
        row.locator("summary").click()
        for label, value in conditions.items():
            row.get_by_label(label).select_option(label=value)


def _matcher(page: Page, index: int, action: str, *ticks: str):
    row = page.locator(f'[data-matcher-form="{index}"]')
    row.get_by_label("Action", exact=True).select_option(label=action)
    for tick in ticks:
        row.get_by_label(tick, exact=True).check()


def _rule(page: Page, *, title, clause, promise, subject, starts_on):
    page.get_by_role("link", name="Add a rule").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a rule")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Clause reference").fill(clause)
    page.get_by_label("The promise, in your policy's words").fill(promise)
    page.get_by_label("What it is about").select_option(label=subject)
    page.get_by_label("What starts it").select_option(label=starts_on)


def _save(page: Page):
    page.get_by_role("button", name="Save the rule").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft:")


def test_an_admin_writes_tries_and_publishes_a_policy_in_the_browser(live_server, page: Page):
    seed_organisations()
    wch = Organisation.objects.get(code="WCH")

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill("admin@wch.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, "admin@wch.example")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("button", name="Organisation").click()
    nav.get_by_role("link", name="Policy", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Policy for Watford Community Housing"
    )

    # A new landlord's policy: start a draft and clear out the preset's rules.
    page.get_by_role("button", name="Start a draft").click()
    rules = page.locator("#draft-rules [data-rule]")
    while rules.count():
        before = rules.count()
        rules.first.get_by_role("button", name="Delete").click()
        expect(rules).to_have_count(before - 1)

    page.get_by_label("Title of the policy").fill("Tenancy standards 2027")
    page.get_by_role("button", name="Save the title").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft: Tenancy standards 2027")

    # First contact: quicker with violence or a hate ground. Two more timescale rows.
    _rule(
        page,
        title="Contact the complainant",
        clause="3.1",
        promise="We will contact you within 1 working day if there is violence or a hate "
        "incident, otherwise within 3 working days.",
        subject="Contact the complainant",
        starts_on="a report is received",
    )
    page.get_by_role("button", name="Add another timescale").click()
    page.get_by_role("button", name="Add another timescale").click()
    _timescale(page, 0, "working_days", 1, **{"Violence or a threat of it": "Yes"})
    _timescale(page, 1, "working_days", 1, **{"A hate ground recorded": "Yes"})
    _timescale(page, 2, "working_days", 3)
    _matcher(page, 0, "a contact (reached)", "the complainant or victim")
    _save(page)

    _rule(
        page,
        title="Contact the alleged perpetrator",
        clause="3.4",
        promise="We will contact the person complained about within 5 working days.",
        subject="Contact the alleged perpetrator",
        starts_on="an alleged perpetrator is added to the case",
    )
    _timescale(page, 0, "working_days", 5)
    _matcher(page, 0, "a contact (reached)", "the alleged perpetrator")
    _save(page)

    _rule(
        page,
        title="Keep in touch",
        clause="3.6",
        promise="We will phone you every two weeks, or as often as we agree with you.",
        subject="Regular contact with the complainant",
        starts_on="a report is received",
    )
    _timescale(page, 0, "days", 14)
    _matcher(page, 0, "a contact (reached)", "the complainant or victim")
    page.get_by_label("Starts again when met, while the case is open").check()
    page.get_by_label("A frequency agreed with the complainant replaces the timescale").check()
    _save(page)

    _rule(
        page,
        title="Check the problem has not returned",
        clause="5.2",
        promise="We will contact you four weeks after we close your case.",
        subject="Contact after closure",
        starts_on="the case is closed",
    )
    _timescale(page, 0, "days", 28)
    _matcher(page, 0, "a contact (reached)", "the complainant or victim")
    _save(page)

    expect(page.locator("#draft-rules [data-rule]")).to_have_count(4)
    expect(page.locator("#policy-problems")).to_have_count(0)

    # Try it: a harassment report late on the Friday before the bank holiday, with fear of
    # violence, a perpetrator added at once, and the case closed on 2 October.
    page.get_by_role("link", name="Try it").click()
    page.get_by_label("Report received").fill("2026-08-28T16:30")
    page.get_by_label("Category").select_option(label="Harassment")
    page.get_by_label("The complainant fears violence").check()
    page.get_by_label("An alleged perpetrator is added to the case", exact=True).check()
    page.get_by_label("The case is closed", exact=True).check()
    page.get_by_label("When the case is closed").fill("2026-10-02T10:00")
    page.get_by_role("button", name="Show the deadlines").click()

    def due(code):
        return page.locator(f'#trial-deadlines tr[data-rule="{code}"] [data-due]')

    expect(due("contact_the_complainant")).to_have_text("Tue 1 Sep 2026, 17:00")
    expect(page.locator('tr[data-rule="contact_the_complainant"]')).to_contain_text(
        "Within 1 working day where violence or a threat of it"
    )
    expect(due("contact_the_alleged_perpetrator")).to_have_text("Mon 7 Sep 2026, 17:00")
    expect(due("keep_in_touch")).to_have_text("Fri 11 Sep 2026, 16:30")
    expect(due("check_the_problem_has_not_returned")).to_have_text("Fri 30 Oct 2026, 10:00")

    # Without violence or a hate ground, 3 working days.
    page.get_by_label("The complainant fears violence").uncheck()
    page.get_by_role("button", name="Show the deadlines").click()
    expect(due("contact_the_complainant")).to_have_text("Thu 3 Sep 2026, 17:00")

    # Publish it now.
    page.goto(f"{live_server.url}/policy/draft/")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status").first).to_contain_text("is published and takes effect")
    expect(page.locator('[data-version="in-force"]')).to_contain_text("Adam Admin")
    expect(page.locator("#policy-rules [data-rule]")).to_have_count(4)
    expect(
        page.get_by_role("heading", name="The rules in force: Tenancy standards 2027")
    ).to_be_visible()

    in_force = version_in_force(wch.pk)
    assert in_force.published_by.email == "admin@wch.example"
    rules = {rule["code"]: rule for rule in document_of(in_force)["rules"]}
    assert [t["conditions"] for t in rules["contact_the_complainant"]["timescales"]] == [
        {"violence": True},
        {"hate_ground": True},
        {},
    ]
    assert rules["keep_in_touch"]["agreed_frequency"] is True
    assert rules["contact_the_alleged_perpetrator"]["met_by"] == [
        {"action": "contact", "roles": ["perpetrator"]}
    ]
