"""The weekly Housing Panel (W05): scheduling meetings ahead and closing them."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Organisation, User
from policy.formats import uk_date

from ..choices import ReferralStatus
from ..models import PanelMeeting, PanelSettings

UK = ZoneInfo(settings.TIME_ZONE)


def panel_settings_for(*, organisation: Organisation) -> PanelSettings:
    settings_row, _ = PanelSettings.objects.get_or_create(organisation=organisation)
    return settings_row


def next_meeting_time(*, panel_settings: PanelSettings, after: datetime) -> datetime:
    """The first weekly meeting time (UK wall-clock time) strictly after ``after``."""
    local = after.astimezone(UK)
    days_ahead = (panel_settings.meeting_weekday - local.weekday()) % 7
    day = local.date() + timedelta(days=days_ahead)
    candidate = datetime.combine(day, panel_settings.meeting_time, tzinfo=UK)
    if candidate <= after:
        candidate = datetime.combine(day + timedelta(days=7), panel_settings.meeting_time, UK)
    return candidate


def _meeting_get_or_create(*, organisation, panel_settings, meets_at) -> PanelMeeting:
    cutoff_at = meets_at - timedelta(hours=panel_settings.cutoff_hours)
    try:
        with transaction.atomic():
            meeting, _ = PanelMeeting.objects.get_or_create(
                organisation=organisation,
                meets_at=meets_at,
                defaults={"cutoff_at": cutoff_at, "location": panel_settings.location},
            )
    except IntegrityError:
        # Two schedulers raced; the other one created it.
        meeting = PanelMeeting.objects.get(organisation=organisation, meets_at=meets_at)
    return meeting


def panel_meeting_schedule(*, organisation: Organisation, now: datetime | None = None):
    """Make sure the next meeting whose agenda is still open exists (W05: weekly).

    Creates the next weekly meeting and, once that meeting's cut-off has passed, the one
    after it too, so a new referral always has a meeting to go to. Idempotent.
    """
    now = now or timezone.now()
    panel_settings = panel_settings_for(organisation=organisation)
    meets_at = next_meeting_time(panel_settings=panel_settings, after=now)
    meeting = _meeting_get_or_create(
        organisation=organisation, panel_settings=panel_settings, meets_at=meets_at
    )
    while meeting.cutoff_at <= now or meeting.is_closed:
        meets_at = next_meeting_time(panel_settings=panel_settings, after=meeting.meets_at)
        meeting = _meeting_get_or_create(
            organisation=organisation, panel_settings=panel_settings, meets_at=meets_at
        )
    return meeting


def panel_meetings_schedule_all(*, now: datetime | None = None) -> int:
    """The scheduler's sweep: every organisation gets its next meeting in advance."""
    count = 0
    for organisation in Organisation.objects.order_by("pk"):
        panel_meeting_schedule(organisation=organisation, now=now)
        count += 1
    return count


def meeting_for_new_referral(*, organisation: Organisation, at: datetime) -> PanelMeeting:
    """W05: a referral made before a meeting's cut-off goes on that meeting's agenda."""
    meeting = (
        PanelMeeting.objects.filter(
            organisation=organisation, closed_at__isnull=True, cutoff_at__gt=at
        )
        .order_by("meets_at")
        .first()
    )
    return meeting or panel_meeting_schedule(organisation=organisation, now=at)


def meeting_after(*, meeting: PanelMeeting) -> PanelMeeting:
    """The next meeting after ``meeting`` (deferred and undecided requests roll to it)."""
    later = (
        PanelMeeting.objects.filter(
            organisation_id=meeting.organisation_id,
            closed_at__isnull=True,
            meets_at__gt=meeting.meets_at,
        )
        .order_by("meets_at")
        .first()
    )
    if later is not None:
        return later
    panel_settings = panel_settings_for(organisation=meeting.organisation)
    return _meeting_get_or_create(
        organisation=meeting.organisation,
        panel_settings=panel_settings,
        meets_at=next_meeting_time(panel_settings=panel_settings, after=meeting.meets_at),
    )


def panel_meeting_close(*, meeting: PanelMeeting, by: User) -> list[int]:
    """Close a meeting. Requests without a valid decision roll to the next meeting.

    Returns the primary keys of the requests that rolled over.
    """
    if meeting.is_closed:
        raise ValidationError("This meeting is already closed.")
    now = timezone.now()
    if now < meeting.meets_at - timedelta(hours=12):
        raise ValidationError("A meeting can only be closed on the day it sits.")
    with transaction.atomic():
        locked = PanelMeeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.is_closed:
            raise ValidationError("This meeting is already closed.")
        following = meeting_after(meeting=locked)
        rolled = []
        for referral in locked.agenda.filter(status=ReferralStatus.AWAITING_PANEL):
            referral.meeting = following
            referral.version += 1
            sat_on = timezone.localtime(locked.meets_at)
            referral._change_reason = (  # type: ignore[attr-defined]
                f"No valid decision at the meeting of {uk_date(sat_on)}; rolled to the next one"
            )
            referral.save(update_fields=["meeting", "version"])
            rolled.append(referral.pk)
        locked.closed_at = now
        locked.closed_by = by
        locked._change_reason = "Meeting closed"  # type: ignore[attr-defined]
        locked.save(update_fields=["closed_at", "closed_by"])
    meeting.refresh_from_db()
    return rolled
