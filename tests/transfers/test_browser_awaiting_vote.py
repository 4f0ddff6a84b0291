"""Journey (W05): a panel member signs in and their home lists the request waiting for
their vote and the meeting it is on, though the next meeting's agenda is empty; the link
opens the request, where they vote."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from policy.formats import uk_datetime
from tests.conftest import PASSWORD
from tests.signin import second_factor_step
from transfers.models import PanelMeeting

from .conftest import open_case, refer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_w05_panel_members_home_lists_the_request_waiting_for_their_vote(
    live_server, page: Page, cast
):
    case = open_case(cast.organisation, cast.officer)
    referral = refer(case, cast.officer)
    # The panel's next meeting sits in half an hour with nothing on its agenda; the request
    # waits on the one after.
    now = timezone.now()
    PanelMeeting.objects.create(
        organisation=cast.organisation,
        meets_at=now + timedelta(minutes=30),
        cutoff_at=now - timedelta(hours=1),
    )

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(cast.panel.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, cast.panel.email)

    card = page.get_by_test_id("home-panel")
    expect(card).to_contain_text("Waiting for your vote")
    expect(card).to_contain_text("0 requests on its agenda")
    waiting = card.get_by_test_id("awaiting-vote")
    meeting_day = uk_datetime(referral.meeting.meets_at)
    expect(waiting).to_contain_text(case.reference)
    expect(waiting.get_by_role("link", name=meeting_day)).to_be_visible()

    waiting.get_by_role("link", name=case.reference).click()
    expect(page).to_have_url(f"{live_server.url}/transfers/panel/requests/{referral.pk}/")
    expect(page.get_by_role("button", name="Record my vote")).to_be_visible()
