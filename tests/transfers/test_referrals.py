"""W17 referrals (and the JV route), C25 management moves, the agenda cut-off and progress."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models.choices import Tenure
from transfers.choices import Reason, ReferralStatus, ReferralType, Route, Urgency
from transfers.models import PanelMeeting, PanelSettings, TransferReferral
from transfers.services.meetings import panel_meeting_schedule
from transfers.services.referrals import transfer_progress_record

from .conftest import open_case, refer

pytestmark = pytest.mark.django_db


def form_data(case, **overrides):
    data = {
        "referral_type": ReferralType.MANAGED_TRANSFER,
        "household": [case.victim.pk, case.child.pk],
        "reasons": [Reason.POLICE_ADVICE, Reason.REPEATED_INCIDENTS],
        "reason_details": "Police advise a move.",
        "urgency": Urgency.URGENT,
        "bedrooms_needed": "2",
        "accessibility_needs": "",
        "areas_to_avoid": "Oxhey",
        "incidents": [case.incident.pk],
        "evidence": [case.evidence_item.pk],
    }
    data.update(overrides)
    return data


def test_w17_officer_refers_household_with_reasons_needs_and_evidence(cast, case, client):
    client.force_login(cast.officer)
    url = reverse("transfers:referral_create", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200
    # Only victims, complainants and their households can be chosen to move.
    choices = {p.full_name for p in page.context["form"].fields["household"].queryset}
    assert choices == {"Vera Victim", "Vic Victim Junior"}
    assert "route" not in page.context["form"].fields
    response = client.post(url, form_data(case))
    referral = TransferReferral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("transfers:referral_detail", args=[referral.pk])
    assert referral.route == Route.PANEL
    assert set(referral.household.all()) == {case.victim, case.child}
    assert {r.reason for r in referral.reasons.all()} == {"police_advice", "repeated_incidents"}
    assert list(referral.evidence.all()) == [case.evidence_item]
    assert referral.meeting is not None and referral.history.count() == 1


def test_w17_jv_route_is_offered_only_for_joint_venture_tenants(cast, client):
    client.force_login(cast.officer)
    ordinary = open_case(cast.organisation, cast.officer)
    jv = open_case(cast.organisation, cast.officer, tenure=Tenure.JV_TENANT, victim_name="Jo JV")

    page = client.get(reverse("transfers:referral_create", args=[ordinary.pk]))
    assert "route" not in page.context["form"].fields
    assert b"jv-route-note" not in page.content
    # Posting the JV route for an ordinary tenant is refused by the service too.
    with pytest.raises(ValidationError, match="only for joint-venture"):
        refer(
            ordinary,
            cast.officer,
            route=Route.JV_LOCAL_AUTHORITY,
            local_authority="Watford Borough Council",
            local_authority_referred_on=timezone.localdate(),
        )

    url = reverse("transfers:referral_create", args=[jv.pk])
    page = client.get(url)
    assert "route" in page.context["form"].fields
    assert b"jv-route-note" in page.content and b"case by case" in page.content
    # A JV household cannot be sent down the ordinary panel route ...
    refused = client.post(url, form_data(jv, route=Route.PANEL))
    assert refused.status_code == 200
    assert "no transfer rights" in str(refused.context["form"].errors["route"])
    assert refused.context["form"]["areas_to_avoid"].value() == "Oxhey"
    # ... and the joint referral to the local authority must be recorded.
    missing = client.post(url, form_data(jv, route=Route.JV_LOCAL_AUTHORITY))
    assert missing.context["form"].errors["local_authority"]
    ok = client.post(
        url,
        form_data(
            jv,
            route=Route.JV_LOCAL_AUTHORITY,
            local_authority="Watford Borough Council",
            local_authority_referred_on=timezone.localdate().isoformat(),
        ),
    )
    assert ok.status_code == 302
    referral = TransferReferral.objects.get(case=jv)
    assert referral.route == Route.JV_LOCAL_AUTHORITY
    assert referral.local_authority == "Watford Borough Council"


def test_c25_management_move_is_a_referral_type(cast, case):
    referral = refer(case, cast.officer, referral_type=ReferralType.MANAGEMENT_MOVE)
    assert referral.get_referral_type_display() == "Voluntary move on management grounds"


def test_w17_one_open_referral_per_case(cast, case, referral):
    with pytest.raises(ValidationError, match="already has an open"):
        refer(case, cast.officer)


def test_w17_household_must_come_from_the_case(cast, case):
    stranger = open_case(cast.organisation, cast.officer, victim_name="Stan Stranger").victim
    with pytest.raises(ValidationError) as problem:
        refer(case, cast.officer, household=[stranger])
    assert "household" in problem.value.error_dict


def test_w05_referral_before_cutoff_goes_to_that_meeting_after_cutoff_to_the_next(cast):
    PanelSettings.objects.create(
        organisation=cast.organisation, meeting_weekday=2, meeting_time=time(10), cutoff_hours=48
    )
    # Wednesday 14 Jan 2026 10:00 UK (GMT) meeting; cut-off Monday 12 Jan 10:00.
    with time_machine.travel(datetime(2026, 1, 12, 9, 59, 59, tzinfo=UTC), tick=False):
        first_case = open_case(cast.organisation, cast.officer)
        before = refer(first_case, cast.officer)
    with time_machine.travel(datetime(2026, 1, 12, 10, 0, 0, tzinfo=UTC), tick=False):
        second_case = open_case(cast.organisation, cast.officer, victim_name="Late Larry")
        after = refer(second_case, cast.officer)
    assert timezone.localtime(before.meeting.meets_at) == timezone.make_aware(
        datetime(2026, 1, 14, 10, 0)
    )
    assert after.meeting.meets_at - before.meeting.meets_at == timedelta(days=7)


def test_w05_meetings_keep_uk_wall_clock_time_across_the_clocks_change(cast):
    PanelSettings.objects.create(
        organisation=cast.organisation, meeting_weekday=2, meeting_time=time(10), cutoff_hours=24
    )
    # Clocks go forward on Sunday 29 March 2026; the Wednesday meeting stays at 10:00 UK.
    with time_machine.travel(datetime(2026, 3, 27, 12, 0, tzinfo=UTC), tick=False):
        meeting = panel_meeting_schedule(organisation=cast.organisation)
    assert meeting.meets_at == datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
    assert timezone.localtime(meeting.meets_at).hour == 10


def test_approved_transfer_tracks_offer_acceptance_and_move_which_closes_it(
    cast, case, referral, client
):
    TransferReferral.objects.filter(pk=referral.pk).update(status=ReferralStatus.APPROVED)
    referral.refresh_from_db()
    with pytest.raises(ValidationError, match="next step is: Offer made"):
        transfer_progress_record(
            referral=referral, by=cast.officer, step=ReferralStatus.MOVED, version=1
        )
    client.force_login(cast.officer)
    url = reverse("transfers:referral_progress", args=[referral.pk])
    for step in (ReferralStatus.OFFER_MADE, ReferralStatus.OFFER_ACCEPTED, ReferralStatus.MOVED):
        referral.refresh_from_db()
        response = client.post(url, {"step": step, "note": "", "version": referral.version})
        assert response.status_code == 302, response.content
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.MOVED and not referral.is_open
    assert referral.offer_made_at and referral.offer_accepted_at and referral.moved_at
    # A stale form (old version) is refused rather than overwriting.
    stale = client.post(url, {"step": ReferralStatus.MOVED, "version": 1})
    assert stale.status_code == 302  # nothing left to progress: redirected with a message
    # Closed: the case can be referred again.
    assert refer(case, cast.officer).status == ReferralStatus.AWAITING_PANEL


def test_progress_with_a_stale_version_is_refused(cast, referral, client):
    TransferReferral.objects.filter(pk=referral.pk).update(
        status=ReferralStatus.APPROVED, version=5
    )
    client.force_login(cast.officer)
    response = client.post(
        reverse("transfers:referral_progress", args=[referral.pk]),
        {"step": ReferralStatus.OFFER_MADE, "version": 4},
    )
    assert response.status_code == 400
    assert b"Someone else has updated" in response.content
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.APPROVED


def test_meeting_task_creates_next_meeting_for_every_organisation(cast):
    from transfers.tasks import schedule_panel_meetings

    with time_machine.travel(datetime(2026, 2, 2, 8, 0, tzinfo=UTC), tick=False):
        schedule_panel_meetings.delay()
        schedule_panel_meetings.delay()  # idempotent
    meetings = PanelMeeting.objects.order_by("organisation__code")
    assert [m.organisation for m in meetings] == [cast.other_organisation, cast.organisation]
    # Default settings: Wednesdays at 10:00, agenda closing 48 hours before.
    assert all(
        timezone.localtime(m.meets_at) == timezone.make_aware(datetime(2026, 2, 4, 10))
        for m in meetings
    )
    assert all(m.meets_at - m.cutoff_at == timedelta(hours=48) for m in meetings)


def test_meeting_task_is_in_the_beat_schedule():
    from config.celery import app

    entries = {e["task"] for e in app.conf.beat_schedule.values()}
    assert "transfers.tasks.schedule_panel_meetings" in entries


def test_w05_panel_home_shows_the_meeting_about_to_sit_after_its_agenda_closed(cast, client):
    PanelSettings.objects.create(
        organisation=cast.organisation, meeting_weekday=2, meeting_time=time(10), cutoff_hours=48
    )
    with time_machine.travel(datetime(2026, 1, 12, 9, 0, tzinfo=UTC), tick=False):
        referral = refer(open_case(cast.organisation, cast.officer), cast.officer)
    # Tuesday: the agenda of Wednesday's meeting is closed, but that meeting is next to sit.
    with time_machine.travel(datetime(2026, 1, 13, 9, 0, tzinfo=UTC), tick=False):
        client.force_login(cast.panel)
        response = client.get(reverse("transfers:panel_home"))
    assert response.context["next_meeting"] == referral.meeting
    assert PanelMeeting.objects.count() == 2  # the following one exists for new referrals


@pytest.mark.parametrize(
    ("approve", "decline", "defer", "outcome"),
    [
        (2, 1, 0, "approve"),
        (1, 2, 0, "decline"),
        (1, 1, 1, "defer"),
        (2, 2, 0, "defer"),
        (0, 1, 2, "defer"),
        (3, 0, 0, "approve"),
    ],
)
def test_w05_outcome_rule_majority_of_votes_cast_tie_defers(approve, decline, defer, outcome):
    from transfers.services.decisions import Tally

    assert Tally(approve=approve, decline=decline, defer=defer, managers=2).outcome == outcome
