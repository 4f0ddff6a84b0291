"""An officer who has forgotten their password asks for a link, is told the same as anyone,
gets the e-mail from the worker, sets a new password and signs in; asking too often is
refused with a message and the address kept."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.models import Role
from tests.factories import member
from tests.signin import second_factor_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a-much-longer-pass-2026"


def ask_for_a_link(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_label("E-mail address").fill(email)
    page.get_by_role("button", name="Send reset link").click()


def test_officer_resets_a_forgotten_password_and_is_refused_after_asking_too_often(
    live_server, page: Page, organisation, settings
):
    settings.HAVEN_SITE_URL = live_server.url
    settings.HAVEN_PASSWORD_RESET_LIMIT_PER_EMAIL = 2
    officer = member(
        organisation, Role.OFFICER, email="olivia@wch.test", full_name="Olivia Officer"
    )
    ask_for_a_link(page, live_server.url, officer.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    # The worker (in-process in tests) sent it once the request had committed.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/password/reset/\S+/", mail.outbox[0].body).group(0)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password set")

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(officer.email)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, officer.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Watford Community Housing")
    page.context.clear_cookies()

    ask_for_a_link(page, live_server.url, officer.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    ask_for_a_link(page, live_server.url, officer.email)
    expect(
        page.locator("[data-error-summary]").get_by_text("Too many password reset requests")
    ).to_be_visible()
    expect(page.get_by_label("E-mail address")).to_have_value(officer.email)
    assert len(mail.outbox) == 2
