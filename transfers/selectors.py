"""Reads of referrals and panel meetings, scoped to the user's organisation and role."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts import permissions
from accounts.models import Membership, Role
from cases.disclosure import PANEL, identity_strings, withheld_strings
from cases.models import Case, Person
from cases.selectors import cases_visible_to

from .choices import ReferralStatus
from .models import PanelMeeting, PanelVote, TransferReferral


def referrals_visible_to(*, user, access) -> QuerySet[TransferReferral]:
    """Managers: every referral of the organisation. Officers: the ones they made or whose
    case they are assigned to. Everyone else: none (the panel reads summaries instead)."""
    if access.organisation is None:
        return TransferReferral.objects.none()
    referrals = TransferReferral.objects.filter(organisation=access.organisation)
    if access.can({Role.MANAGER}):
        return referrals
    if access.can({Role.OFFICER}):
        # Never one whose case they may no longer open (restricted after the referral).
        return referrals.filter(Q(referred_by=user) | Q(case__assigned_officer=user)).filter(
            case__in=cases_visible_to(user=user, access=access)
        )
    return TransferReferral.objects.none()


def referral_list(*, user, access) -> QuerySet[TransferReferral]:
    return (
        referrals_visible_to(user=user, access=access)
        .select_related("case", "meeting", "referred_by")
        .order_by("-referred_at", "-pk")
    )


def referral_get_for_user(*, user, access, pk: int) -> TransferReferral:
    try:
        return (
            referrals_visible_to(user=user, access=access)
            .select_related("case", "meeting", "referred_by", "case__assigned_officer")
            .prefetch_related("household", "reasons", "evidence", "incidents__acts")
            .get(pk=pk)
        )
    except TransferReferral.DoesNotExist as missing:
        raise Http404("No such referral.") from missing


def referrals_for_case(*, case: Case) -> QuerySet[TransferReferral]:
    """The case page's transfers panel: the case's referrals with decision and progress."""
    return (
        TransferReferral.objects.filter(case=case)
        .select_related("meeting", "referred_by")
        .prefetch_related("decisions__meeting")
        .order_by("-referred_at")
    )


def meetings_for_panel(*, access) -> QuerySet[PanelMeeting]:
    if access.organisation is None:
        return PanelMeeting.objects.none()
    return PanelMeeting.objects.filter(organisation=access.organisation).annotate(
        agenda_size=Count("agenda", distinct=True),
        decisions_made=Count("decisions", distinct=True),
    )


def next_meeting_to_sit(*, organisation) -> PanelMeeting:
    """The meeting the panel holds next: still open, sitting today or later. Its agenda may
    already be closed to new referrals (those go to the one after)."""
    from .services.meetings import panel_meeting_schedule

    scheduled = panel_meeting_schedule(organisation=organisation)
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    earlier = (
        PanelMeeting.objects.filter(
            organisation=organisation, closed_at__isnull=True, meets_at__gte=today
        )
        .order_by("meets_at")
        .first()
    )
    return earlier or scheduled


def meeting_get_for_panel(*, access, pk: int) -> PanelMeeting:
    try:
        return PanelMeeting.objects.filter(organisation=access.organisation).get(pk=pk)
    except PanelMeeting.DoesNotExist as missing:
        raise Http404("No such meeting.") from missing


def agenda_for(*, meeting: PanelMeeting) -> QuerySet[TransferReferral]:
    """What the meeting considers: the requests on its agenda and those it decided."""
    return (
        TransferReferral.objects.filter(Q(meeting=meeting) | Q(decisions__meeting=meeting))
        .distinct()
        .select_related("case")
        .prefetch_related(
            Prefetch("household", queryset=Person.objects.only("pk", "full_name")),
            "reasons",
            Prefetch(
                "votes",
                queryset=PanelVote.objects.filter(meeting=meeting).select_related("member"),
                to_attr="meeting_votes",
            ),
            Prefetch(
                "decisions",
                queryset=meeting.decisions.all(),
                to_attr="meeting_decisions",
            ),
        )
        .order_by("referred_at", "pk")
    )


def panel_referral_get(*, access, pk: int) -> TransferReferral:
    """One request as the panel sees it: its summary, never the case file (W05)."""
    try:
        return (
            TransferReferral.objects.filter(organisation=access.organisation)
            .select_related("case", "meeting")
            .prefetch_related(
                Prefetch(
                    "household",
                    queryset=Person.objects.select_related("tenancy_holder"),
                ),
                "reasons",
                "evidence",
                "incidents__acts",
                "incidents__grounds",
                Prefetch("votes", queryset=PanelVote.objects.select_related("member", "meeting")),
                "decisions__meeting",
                "decisions__voters",
            )
            .get(pk=pk)
        )
    except TransferReferral.DoesNotExist as missing:
        raise Http404("No such request.") from missing


def panel_withheld_strings(*, referral: TransferReferral) -> list[str]:
    """The identities the panel summary's free text must not carry (C11, as for letters):
    the case's people the panel may not read about without consent, never the household."""
    parties = list(referral.case.parties.select_related("person"))
    household = {s for person in referral.household.all() for s in identity_strings(person)}
    withheld = withheld_strings(parties=parties, reader_role=PANEL)
    return [w for w in withheld if w not in household]


def panel_members(*, organisation) -> list[dict]:
    """The panel's members and whether each counts as a manager (W05)."""
    members = (
        Membership.objects.filter(organisation=organisation, role=Role.PANEL)
        .select_related("user")
        .order_by("user__full_name")
    )
    managers = set(
        Membership.objects.filter(organisation=organisation, role=Role.MANAGER).values_list(
            "user_id", flat=True
        )
    ) | set(organisation.panel_marks.filter(is_manager=True).values_list("user_id", flat=True))
    return [{"user": m.user, "is_manager": m.user_id in managers} for m in members]


def can_download_minutes(access) -> bool:
    return access.can(permissions.SIT_ON_PANEL | {Role.MANAGER})


def requests_awaiting_vote(*, user, access) -> QuerySet[TransferReferral]:
    """The requests on an open meeting's agenda that this panel member has not voted on at
    that meeting, soonest meeting first: what their home page asks them to do. A deferred
    request rolled to a later meeting asks again, as its vote is per meeting (W05)."""
    if access.organisation is None or not access.can(permissions.SIT_ON_PANEL):
        return TransferReferral.objects.none()
    voted = PanelVote.objects.filter(
        referral=OuterRef("pk"), meeting=OuterRef("meeting"), member=user
    )
    return (
        TransferReferral.objects.filter(
            organisation=access.organisation,
            status=ReferralStatus.AWAITING_PANEL,
            meeting__isnull=False,
            meeting__closed_at__isnull=True,
        )
        .exclude(Exists(voted))
        .select_related("case", "meeting")
        .order_by("meeting__meets_at", "referred_at", "pk")
    )
