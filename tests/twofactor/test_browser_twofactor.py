"""Journey: a new member follows their invitation, sets a password, sets up an authenticator
app (the test reads the key written on the page and computes the code, as the app would),
keeps their backup codes, signs out and signs back in with a code. Then their admin resets
their lost factor and they set up a new one."""

import re
from base64 import b32decode

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.models import Role
from accounts.services.members import member_add
from tests.cases.test_browser_cases import serious_accessibility_problems
from tests.signin import browser_sign_in, next_code, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "hana-chooses-this-2026"


def test_new_member_sets_a_password_enrols_an_authenticator_and_signs_in_with_a_code(
    live_server, page: Page, cast
):
    member_add(
        organisation=cast.organisation,
        by=cast.admin,
        email="hana.hassan@wch.test",
        full_name="Hana Hassan",
        roles=[Role.OFFICER],
    )
    (invitation,) = [m for m in mail.outbox if m.to == ["hana.hassan@wch.test"]]
    path = re.search(r"https?://[^/\s]+(/password/reset/\S+/)", invitation.body).group(1)

    page.goto(f"{live_server.url}{path}")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password set")
    # The link worked once.
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_text("This link has expired or been used")).to_be_visible()

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill("hana.hassan@wch.test")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    # Nothing else until it is done.
    page.goto(f"{live_server.url}/cases/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    assert serious_accessibility_problems(page) == []

    secret = page.get_by_test_id("secret").inner_text().replace(" ", "")
    key = b32decode(secret).hex()
    page.get_by_label("Code from your app").fill("123")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(
        page.locator("[data-error-summary]").get_by_role("link", name="That code does not match")
    ).to_be_visible()
    page.get_by_label("Code from your app").fill(totp_code(key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    codes = page.get_by_test_id("backup-codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")

    page.get_by_role("button", name="Hana Hassan").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Haven")

    page.get_by_label("E-mail address").fill("hana.hassan@wch.test")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    assert serious_accessibility_problems(page) == []
    from accounts.models import User

    hana = User.objects.get(email="hana.hassan@wch.test")
    page.get_by_label("Code").fill(next_code(hana))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Watford Community Housing")


def test_admin_resets_a_lost_factor_and_the_member_sets_up_a_new_one(live_server, browser, cast):
    admin = browser.new_context().new_page()
    browser_sign_in(admin, live_server.url, cast.admin)
    member = browser.new_context().new_page()
    browser_sign_in(member, live_server.url, cast.officer)
    expect(member.get_by_role("heading", level=1)).to_have_text("Watford Community Housing")

    admin.goto(f"{live_server.url}/accounts/members/{cast.officer.pk}/")
    panel = admin.get_by_test_id("second-factor-panel")
    expect(panel.get_by_test_id("second-factor-state")).to_contain_text("Authenticator app")
    panel.get_by_role("button", name="Reset two-factor sign-in").click()
    expect(
        admin.locator("[data-error-summary]").get_by_role("link", name="Give a reason")
    ).to_be_visible()
    admin.get_by_label("Reason").fill("Lost phone; identity checked in person")
    admin.get_by_role("button", name="Reset two-factor sign-in").click()
    expect(admin.get_by_text("two-factor sign-in is reset")).to_be_visible()
    expect(admin.get_by_test_id("second-factor-events")).to_contain_text(
        "Lost phone; identity checked in person"
    )
    assert any(m.to == [cast.officer.email] for m in mail.outbox)

    member.goto(f"{live_server.url}/cases/")
    expect(member.get_by_role("heading", level=1)).to_have_text("Sign in to Haven")
    expect(member.get_by_text("reset by an organisation admin")).to_be_visible()
    member.get_by_label("E-mail address").fill(cast.officer.email)
    member.get_by_label("Password").fill("correct-horse-battery")
    member.get_by_role("button", name="Sign in").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
