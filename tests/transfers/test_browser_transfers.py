"""The managed-transfer journey in real Chromium (W17, W05)."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.signin import second_factor_step
from transfers.models import PanelSettings

from .conftest import open_case, panellist

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(browser, live_server, user):
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, user.email)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return page


def test_w17_w05_officer_refers_panel_of_three_approves_officer_sees_decision(
    live_server, browser, cast
):
    # The weekly meeting sits tomorrow and its agenda stays open until it sits.
    tomorrow = timezone.localdate() + timedelta(days=1)
    PanelSettings.objects.create(
        organisation=cast.organisation,
        meeting_weekday=tomorrow.weekday(),
        meeting_time=time(10),
        cutoff_hours=0,
    )
    case = open_case(cast.organisation, cast.officer)
    case.victim.address, case.victim.postcode = "12 Unsafe Street\nWatford", "WD17 3XY"
    case.victim.save()
    chair = panellist(cast.organisation, manager=True, full_name="Charlotte Chair")
    deputy = panellist(cast.organisation, manager=True, full_name="Dev Deputy")

    officer = sign_in(browser, live_server, cast.officer)
    officer.goto(f"{live_server.url}/transfers/cases/{case.pk}/refer/")
    officer.get_by_label("Managed transfer (unsafe to stay)").check()
    officer.get_by_label("Vera Victim").check()
    officer.get_by_label("Vic Victim Junior").check()
    officer.get_by_label("Police advice").check()
    officer.get_by_label("Why the household cannot stay").fill("Police advise an urgent move.")
    officer.get_by_label("Urgency").select_option("urgent")
    officer.get_by_label("Bedrooms needed").fill("2")
    officer.get_by_label("Photo: Photo of the damaged door").check()
    officer.get_by_role("button", name="Refer to the Housing Panel").click()
    expect(officer.get_by_test_id("referral-status")).to_contain_text("Awaiting the Housing Panel")

    for member, vote in ((chair, "Approve"), (deputy, "Approve"), (cast.panel, "Approve")):
        page = sign_in(browser, live_server, member)
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Housing panel"
        ).click()
        page.get_by_role("link", name="Open the agenda").click()
        page.get_by_role("link", name=case.reference).click()
        expect(page.get_by_test_id("panel-summary")).to_contain_text("Vera Victim")
        expect(page.get_by_test_id("panel-summary")).not_to_contain_text("Wendy Witness")
        page.get_by_label(vote).check()
        page.get_by_label("Comment").fill(f"{member.full_name}: the move is needed.")
        page.get_by_role("button", name="Record my vote").click()
        expect(page.get_by_text("Your vote is recorded.")).to_be_visible()
        if member is not cast.panel:
            expect(page.get_by_test_id("quorum-problem")).to_be_visible()
    page.get_by_role("button", name="Record the panel's decision").click()
    expect(page.get_by_text("Decision recorded: Approve; the decision letter")).to_be_visible()
    expect(page.get_by_test_id("agenda-item")).to_contain_text("Approve")

    officer.reload()
    expect(officer.get_by_test_id("referral-status")).to_contain_text("Approved")
    expect(officer.get_by_test_id("decision")).to_contain_text("Approve")
    expect(officer.get_by_test_id("decision")).to_contain_text("Charlotte Chair")
    expect(officer.get_by_test_id("decision-letter")).to_contain_text("Decision letter issued")
    officer.get_by_role("button", name="Record offer made").click()
    expect(officer.get_by_test_id("referral-status")).to_contain_text("Offer made")
