"""W05: a panel member's home and the panel page list the requests waiting for their vote,
with the meeting each is on, even when the next meeting's agenda is empty."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.transfers.conftest import open_case, panellist, refer
from transfers.models import PanelMeeting
from transfers.services.decisions import panel_vote_cast

pytestmark = pytest.mark.django_db


def _earlier_empty_meeting(referral) -> PanelMeeting:
    """The panel's next meeting, sooner than the one the request is on, with nothing on
    its agenda (its agenda closed before the request was made)."""
    now = timezone.now()
    return PanelMeeting.objects.create(
        organisation=referral.organisation,
        meets_at=now + timedelta(minutes=30),
        cutoff_at=now - timedelta(hours=1),
    )


def test_w05_panel_home_lists_the_request_waiting_for_my_vote_and_its_meeting(
    cast, referral, client
):
    empty = _earlier_empty_meeting(referral)
    client.force_login(cast.panel)
    response = client.get(reverse("home"))
    body = response.content.decode()
    # The next meeting is the empty one; the request waits on the later one, and is listed.
    assert response.context["figures"]["panel"]["next_meeting"].pk == empty.pk
    assert response.context["figures"]["panel"]["next_meeting"].agenda_size == 0
    assert [r.pk for r in response.context["figures"]["panel"]["awaiting_vote"]] == [referral.pk]
    assert reverse("transfers:panel_request", args=[referral.pk]) in body
    assert reverse("transfers:meeting_agenda", args=[referral.meeting.pk]) in body
    assert referral.case.reference in body
    panel_page = client.get(reverse("transfers:panel_home")).content.decode()
    assert 'data-testid="awaiting-vote"' in panel_page
    assert reverse("transfers:panel_request", args=[referral.pk]) in panel_page


def test_w05_a_request_leaves_my_list_once_i_vote_but_stays_on_my_colleagues(
    cast, referral, client
):
    colleague = panellist(cast.organisation, manager=False)
    panel_vote_cast(referral=referral, member=cast.panel, vote="approve", comment="Agreed.")
    client.force_login(cast.panel)
    response = client.get(reverse("home"))
    assert response.context["figures"]["panel"]["awaiting_vote"] == []
    assert b"No request is waiting for your vote." in response.content
    client.force_login(colleague)
    response = client.get(reverse("home"))
    assert [r.pk for r in response.context["figures"]["panel"]["awaiting_vote"]] == [referral.pk]


def test_w05_no_other_organisations_requests_and_none_for_those_off_the_panel(
    cast, referral, client
):
    other_case = open_case(cast.other_organisation, cast.outsider)
    refer(other_case, cast.outsider)
    foreign = panellist(cast.other_organisation, manager=True)
    client.force_login(foreign)
    assert client.get(reverse("home")).context["figures"]["panel"]["awaiting_vote"] != []
    assert referral.case.reference.encode() not in client.get(reverse("home")).content
    for user in (cast.officer, cast.manager):
        client.force_login(user)
        assert "panel" not in client.get(reverse("home")).context["figures"]
    # A manager reads the panel page, but has no vote to give there.
    panel_page = client.get(reverse("transfers:panel_home"))
    assert panel_page.context["awaiting_vote"] == []
    assert b'data-testid="awaiting-vote"' not in panel_page.content
