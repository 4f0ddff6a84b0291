"""Panel votes and decisions (W05): who may vote, when a decision stands, what it is."""

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Role, User

from ..choices import ReferralStatus, Vote
from ..models import PanelDecision, PanelMeeting, PanelMember, PanelVote, TransferReferral
from .decision_letters import decision_letter_issue
from .meetings import meeting_after
from .notifications import decision_officer_notify_queue

# W05: the shape of a valid decision. Policy, kept as data in one place.
QUORUM_VOTERS = 3
QUORUM_MANAGERS = 2


def is_panel_member(*, user: User, organisation_id: int) -> bool:
    return Membership.objects.filter(
        user=user, organisation_id=organisation_id, role=Role.PANEL
    ).exists()


def counts_as_manager(*, user: User, organisation_id: int) -> bool:
    """A member is a manager if they hold the MANAGER role there or are marked as one."""
    return (
        Membership.objects.filter(
            user=user, organisation_id=organisation_id, role=Role.MANAGER
        ).exists()
        or PanelMember.objects.filter(
            user=user, organisation_id=organisation_id, is_manager=True
        ).exists()
    )


@dataclass(frozen=True)
class Tally:
    approve: int
    decline: int
    defer: int
    managers: int

    @property
    def voters(self) -> int:
        return self.approve + self.decline + self.defer

    @property
    def quorum_problem(self) -> str:
        """Why no decision can stand yet, or "" when the W05 quorum is met."""
        problems = []
        if self.voters < QUORUM_VOTERS:
            problems.append(f"{self.voters} of the {QUORUM_VOTERS} members needed have voted")
        if self.managers < QUORUM_MANAGERS:
            problems.append(f"{self.managers} of the {QUORUM_MANAGERS} managers needed have voted")
        return "; ".join(problems)

    @property
    def outcome(self) -> str:
        """The outcome rule when votes are split: the choice with most votes cast wins;
        a tie for the most votes defers the request to the next meeting."""
        counts = {Vote.APPROVE: self.approve, Vote.DECLINE: self.decline, Vote.DEFER: self.defer}
        most = max(counts.values())
        leaders = [choice for choice, n in counts.items() if n == most]
        return leaders[0] if len(leaders) == 1 else Vote.DEFER


def tally_of(votes) -> Tally:
    choices = Counter(v.vote for v in votes)
    return Tally(
        approve=choices[Vote.APPROVE],
        decline=choices[Vote.DECLINE],
        defer=choices[Vote.DEFER],
        managers=sum(1 for v in votes if v.counted_as_manager),
    )


def _check_on_agenda(referral: TransferReferral) -> PanelMeeting:
    """The meeting whose agenda the request is on, if votes and decisions are still open."""
    meeting = referral.meeting
    if referral.status != ReferralStatus.AWAITING_PANEL or meeting is None:
        raise ValidationError("This request is not awaiting the panel.")
    if meeting.is_closed:
        raise ValidationError("That meeting is closed.")
    return meeting


def panel_vote_cast(
    *, referral: TransferReferral, member: User, vote: str, comment: str
) -> PanelVote:
    """Record (or change) a member's vote on a request at its current meeting."""
    if not is_panel_member(user=member, organisation_id=referral.organisation_id):
        raise ValidationError("Only members of this organisation's Housing Panel may vote.")
    if vote not in Vote.values:
        raise ValidationError({"vote": "Choose approve, decline or defer."})
    if not comment.strip():
        raise ValidationError({"comment": "Give a reason for your vote."})
    _check_on_agenda(referral)
    with transaction.atomic():
        locked = TransferReferral.objects.select_for_update().get(pk=referral.pk)
        if locked.status != ReferralStatus.AWAITING_PANEL or locked.meeting_id != (
            referral.meeting_id
        ):
            raise ValidationError("This request has been decided or moved; reload the page.")
        ballot, _ = PanelVote.objects.update_or_create(
            referral=locked,
            meeting_id=locked.meeting_id,
            member=member,
            defaults={
                "vote": vote,
                "comment": comment.strip(),
                "counted_as_manager": counts_as_manager(
                    user=member, organisation_id=referral.organisation_id
                ),
                "cast_at": timezone.now(),
            },
        )
    return ballot


def panel_decision_record(*, referral: TransferReferral, by: User) -> PanelDecision:
    """Record the panel's decision from the votes at the current meeting, if W05 allows.

    Raises ValidationError naming what is missing when the quorum is not met; the request
    then stays open on the agenda. A deferral moves it to the next meeting; approval starts
    the transfer's progress; the decision letter goes to the household in the same
    transaction (W17); the officer is told by e-mail (reference only).
    """
    if not is_panel_member(user=by, organisation_id=referral.organisation_id):
        raise ValidationError("Only members of this organisation's Housing Panel may decide.")
    _check_on_agenda(referral)
    with transaction.atomic():
        locked = (
            TransferReferral.objects.select_for_update(of=("self",))
            .select_related("meeting")
            .get(pk=referral.pk)
        )
        meeting = _check_on_agenda(locked)
        votes = list(PanelVote.objects.filter(referral=locked, meeting=meeting))
        tally = tally_of(votes)
        if tally.quorum_problem:
            raise ValidationError(f"No valid decision yet (W05): {tally.quorum_problem}.")
        now = timezone.now()
        decision = PanelDecision.objects.create(
            referral=locked,
            meeting=meeting,
            outcome=tally.outcome,
            approve_votes=tally.approve,
            decline_votes=tally.decline,
            defer_votes=tally.defer,
            manager_votes=tally.managers,
            decided_at=now,
            recorded_by=by,
        )
        decision.voters.set([v.member_id for v in votes])
        if decision.outcome == Vote.APPROVE:
            locked.status = ReferralStatus.APPROVED
            locked.decided_at = now
            reason = "Approved by the Housing Panel"
        elif decision.outcome == Vote.DECLINE:
            locked.status = ReferralStatus.DECLINED
            locked.decided_at = now
            reason = "Declined by the Housing Panel"
        else:
            locked.meeting = meeting_after(meeting=meeting)
            reason = "Deferred by the Housing Panel to the next meeting"
        locked.version += 1
        locked._change_reason = reason  # type: ignore[attr-defined]
        locked.save(update_fields=["status", "decided_at", "meeting", "version"])
        # W17: the household's letter is saved with the decision and rendered on commit.
        decision_letter_issue(decision=decision, by=by)
        # The officer's e-mail, in the outbox with the decision: sent once after commit, or by
        # the outbox sweep if the broker is down.
        decision_officer_notify_queue(decision_id=decision.pk)
    referral.refresh_from_db()
    return decision
