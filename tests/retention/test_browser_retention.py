"""One journey in a real browser: a manager sees what goes next month, places a legal hold on
one of those cases from its page, and sees it move to the held list."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from cases.models import Case
from retention.models import LegalHold
from tests.cases.factories import make_case
from tests.conftest import PASSWORD
from tests.factories import member
from tests.signin import second_factor_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_places_a_legal_hold_and_sees_the_next_month_list(
    live_server, page: Page, organisation
):
    manager = member(organisation, Role.MANAGER, email="maya@wch.test", full_name="Maya Manager")
    staff = member(organisation, Role.STAFF, email="sam@wch.test", full_name="Sam Staff")
    # Closed six years ago less ten days: due within the month.
    closed_at = timezone.now() - relativedelta(years=6) + timedelta(days=10)
    held, other = make_case(organisation, staff), make_case(organisation, staff)
    Case.objects.filter(pk__in=[held.pk, other.pk]).update(status="closed", closed_at=closed_at)

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, manager.email)

    page.goto(f"{live_server.url}/retention/")
    due = page.get_by_test_id("due-cases")
    expect(due).to_contain_text(held.reference)
    expect(due).to_contain_text(other.reference)
    expect(page.get_by_text("Kept by a legal hold (0)")).to_be_visible()

    page.get_by_role("link", name=held.reference).first.click()
    panel = page.get_by_test_id("retention-panel")
    expect(panel).to_contain_text("No hold")
    panel.get_by_role("link", name="Place a legal hold").click()
    page.get_by_role("button", name="Place the hold").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter why the case must be kept")).to_be_visible()
    expect(page.get_by_text("Enter why the case must be kept")).to_have_count(2)
    page.get_by_label("Why the case must be kept").fill("Disrepair claim issued 3 March")
    page.get_by_role("button", name="Place the hold").click()
    expect(page.get_by_test_id("retention-panel")).to_contain_text("Held by Maya Manager")

    page.goto(f"{live_server.url}/retention/")
    expect(page.get_by_test_id("due-cases")).not_to_contain_text(held.reference)
    expect(page.get_by_test_id("due-cases")).to_contain_text(other.reference)
    expect(page.get_by_test_id("held-cases")).to_contain_text("Disrepair claim issued 3 March")
    expect(page.get_by_test_id("holds")).to_contain_text(held.reference)
    assert LegalHold.objects.get().placed_by == manager
