import pytest
from django.core.management import call_command

from accounts.models import Organisation
from transfers.models import TransferReferral
from transfers.selectors import panel_members
from transfers.services.meetings import panel_meeting_schedule

pytestmark = pytest.mark.django_db


def test_w05_demo_panels_can_reach_quorum_and_have_referrals_on_the_next_meeting(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    for organisation in Organisation.objects.all():
        members = panel_members(organisation=organisation)
        assert len(members) >= 3
        assert sum(m["is_manager"] for m in members) >= 2
        referrals = TransferReferral.objects.filter(organisation=organisation)
        assert referrals.count() == 2
        next_meeting = panel_meeting_schedule(organisation=organisation)
        assert all(r.meeting_id == next_meeting.pk for r in referrals)
        assert {r.route for r in referrals} == {"panel", "jv_local_authority"}
