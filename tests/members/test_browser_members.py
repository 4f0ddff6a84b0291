"""Journey: the demo organisation admin adds a new housing officer with an area; the officer
is on the members list and among the intake form's officers, their page shows the invitation
sent, and the invitation e-mail lets them set a password and sign in."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD, seed_organisations
from accounts.models import Membership, Role
from tests.cases.test_browser_cases import serious_accessibility_problems
from tests.signin import second_factor_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_admin_adds_a_housing_officer_who_can_then_take_cases(live_server, page: Page):
    seed_organisations()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill("admin@wch.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, "admin@wch.example")

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("button", name="Organisation").click()
    nav.get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Members of Watford Community Housing"
    )
    page.get_by_role("link", name="Add a member").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Add a member to Watford Community Housing"
    )
    assert serious_accessibility_problems(page) == []

    page.get_by_label("E-mail address").fill("hana.hassan@wch.example")
    page.get_by_label("Full name").fill("Hana Hassan")
    page.get_by_label("Job title").fill("Housing officer")
    page.get_by_label("Housing officer", exact=True).check()
    page.get_by_label("Oxhey").check()
    page.get_by_role("button", name="Add the member").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Hana Hassan")
    expect(
        page.get_by_text(
            "Hana Hassan (hana.hassan@wch.example) now holds roles in Watford Community Housing."
        )
    ).to_be_visible()
    expect(page.get_by_test_id("member-roles")).to_have_text("Housing officer")
    # The invitation went through the outbox; the page says so (a failure would show here).
    expect(page.get_by_test_id("invitation-status")).to_contain_text("Sent ")
    expect(page.get_by_label("Oxhey")).to_be_checked()
    assert serious_accessibility_problems(page) == []
    officer = Membership.objects.get(user__email="hana.hassan@wch.example", role=Role.OFFICER)
    assert [area.name for area in officer.areas.all()] == ["Oxhey"]

    page.get_by_role("link", name="Back to members").click()
    row = page.get_by_test_id("member-row").filter(has_text="Hana Hassan")
    expect(row).to_contain_text("hana.hassan@wch.example")
    expect(row).to_contain_text("Housing officer")
    expect(row).to_contain_text("Oxhey")

    nav.get_by_role("link", name="Log a report").click()
    officers = page.get_by_label("Officer", exact=True)
    expect(officers.locator("option", has_text="Hana Hassan")).to_have_count(1)

    # The invitation: set a password through the link, then sign in as the new officer.
    (invitation,) = [m for m in mail.outbox if m.to == ["hana.hassan@wch.example"]]
    path = re.search(r"https?://[^/\s]+(/password/reset/\S+/)", invitation.body).group(1)
    page.get_by_role("button", name="Adam Admin").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Haven")
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    page.locator("#id_new_password1").fill("hana-chooses-this-2026")
    page.get_by_label("New password confirmation").fill("hana-chooses-this-2026")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password set")
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill("hana.hassan@wch.example")
    page.get_by_label("Password").fill("hana-chooses-this-2026")
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, "hana.hassan@wch.example")
    expect(page.get_by_role("heading", level=1)).to_have_text("Watford Community Housing")
