import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from tests.conftest import PASSWORD
from tests.factories import member
from tests.signin import second_factor_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_signs_in_and_sees_their_organisation(live_server, page: Page, organisation):
    officer = member(
        organisation, Role.OFFICER, email="olivia@wch.test", full_name="Olivia Officer"
    )
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")
    page.get_by_label("E-mail address").fill(officer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, officer.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Watford Community Housing")
    expect(page.get_by_test_id("current-organisation")).to_have_text("Watford Community Housing")
    expect(page.get_by_text("Signed in as Olivia Officer · Housing officer")).to_be_visible()
