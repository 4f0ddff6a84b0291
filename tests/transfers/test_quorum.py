"""W05: a decision stands only with three voters, two of them managers."""

from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from transfers.choices import ReferralStatus, Vote
from transfers.models import PanelDecision, PanelMember
from transfers.services.decisions import panel_decision_record, panel_vote_cast

from .conftest import panellist

pytestmark = pytest.mark.django_db


def vote_all(referral, members, votes):
    for person, choice in zip(members, votes, strict=True):
        panel_vote_cast(referral=referral, member=person, vote=choice, comment="Considered.")


def test_w05_three_voters_with_one_manager_is_not_a_valid_decision(cast, referral):
    members = [
        panellist(cast.organisation, manager=True),
        panellist(cast.organisation, manager=False),
        cast.panel,
    ]
    vote_all(referral, members, [Vote.APPROVE] * 3)
    with pytest.raises(ValidationError, match="1 of the 2 managers needed"):
        panel_decision_record(referral=referral, by=members[0])
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_PANEL
    assert not PanelDecision.objects.exists()


def test_w05_three_voters_with_two_managers_is_a_valid_decision(
    cast, referral, django_capture_on_commit_callbacks
):
    members = [
        panellist(cast.organisation, manager=True, full_name="Manager One"),
        panellist(cast.organisation, manager=True, full_name="Manager Two"),
        cast.panel,
    ]
    vote_all(referral, members, [Vote.APPROVE, Vote.APPROVE, Vote.DECLINE])
    with django_capture_on_commit_callbacks(execute=True):
        decision = panel_decision_record(referral=referral, by=cast.panel)
    referral.refresh_from_db()
    assert decision.outcome == Vote.APPROVE
    assert (decision.approve_votes, decision.decline_votes, decision.manager_votes) == (2, 1, 2)
    assert set(decision.voters.all()) == set(members)
    assert referral.status == ReferralStatus.APPROVED and referral.decided_at is not None
    # The officer is told, with the case reference and nothing personal.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cast.officer.email]
    assert referral.case.reference in message.subject
    assert "Vera" not in message.body and "Approve" in message.body


def test_w05_two_managers_alone_are_not_a_valid_decision(cast, referral):
    members = [panellist(cast.organisation, manager=True) for _ in range(2)]
    vote_all(referral, members, [Vote.APPROVE] * 2)
    with pytest.raises(ValidationError, match="2 of the 3 members needed"):
        panel_decision_record(referral=referral, by=members[0])


def test_w05_member_marked_as_manager_counts_towards_the_quorum(cast, referral):
    marked = panellist(cast.organisation, manager=False)
    PanelMember.objects.create(organisation=cast.organisation, user=marked, is_manager=True)
    members = [marked, panellist(cast.organisation, manager=True), cast.panel]
    vote_all(referral, members, [Vote.DECLINE] * 3)
    decision = panel_decision_record(referral=referral, by=marked)
    assert decision.outcome == Vote.DECLINE and decision.manager_votes == 2
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED


def test_w05_member_not_on_the_panel_cannot_vote(cast, referral, client):
    # A manager of the organisation who does not sit on the panel.
    with pytest.raises(ValidationError, match="Only members"):
        panel_vote_cast(referral=referral, member=cast.manager, vote=Vote.APPROVE, comment="x")
    client.force_login(cast.manager)
    response = client.post(
        reverse("transfers:panel_request", args=[referral.pk]),
        {"vote": Vote.APPROVE, "comment": "x"},
    )
    assert response.status_code == 403
    # A panel member of another organisation.
    outsider = panellist(cast.other_organisation, manager=True)
    with pytest.raises(ValidationError, match="Only members"):
        panel_vote_cast(referral=referral, member=outsider, vote=Vote.APPROVE, comment="x")
    assert not referral.votes.exists()


def test_w05_split_vote_tie_defers_to_the_next_meeting(cast, referral):
    members = [panellist(cast.organisation, manager=True) for _ in range(2)]
    members += [cast.panel, panellist(cast.organisation, manager=False)]
    first_meeting = referral.meeting
    vote_all(referral, members, [Vote.APPROVE, Vote.DECLINE, Vote.APPROVE, Vote.DECLINE])
    decision = panel_decision_record(referral=referral, by=cast.panel)
    referral.refresh_from_db()
    assert decision.outcome == Vote.DEFER
    assert referral.status == ReferralStatus.AWAITING_PANEL
    assert referral.meeting.meets_at > first_meeting.meets_at
    # At the next meeting the slate is clean: earlier votes do not count there.
    with pytest.raises(ValidationError, match="0 of the 3"):
        panel_decision_record(referral=referral, by=cast.panel)


def test_w05_a_member_may_change_their_vote_before_the_decision(cast, referral):
    panel_vote_cast(referral=referral, member=cast.panel, vote=Vote.DEFER, comment="Wait")
    panel_vote_cast(referral=referral, member=cast.panel, vote=Vote.APPROVE, comment="Agreed")
    assert list(referral.votes.values_list("vote", flat=True)) == [Vote.APPROVE]


def test_w05_vote_needs_a_comment(cast, referral, client):
    client.force_login(cast.panel)
    response = client.post(
        reverse("transfers:panel_request", args=[referral.pk]), {"vote": Vote.APPROVE}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    assert not referral.votes.exists()


def test_w05_decision_email_missed_at_the_time_is_sent_by_the_sweep_once(cast, referral):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from outbox import tasks
    from outbox.services import outbox_sweep

    members = [panellist(cast.organisation, manager=True) for _ in range(2)] + [cast.panel]
    vote_all(referral, members, [Vote.DECLINE] * 3)
    with mock.patch.object(tasks.send_emails, "apply_async", side_effect=OSError("broker down")):
        decision = panel_decision_record(referral=referral, by=cast.panel)
    assert mail.outbox == []
    assert outbox_sweep().requeued == 0  # too recent: the on-commit hand-over may be running
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        outbox_sweep()
        outbox_sweep()
    officer_mail = [m for m in mail.outbox if "Housing Panel decision" in m.subject]
    assert len(officer_mail) == 1 and "Decline" in officer_mail[0].body
    decision.refresh_from_db()
    assert decision.officer_notified_at is not None
