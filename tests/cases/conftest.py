from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Membership


@pytest.fixture
def officer_area(cast, area):
    """The cast's officer covers the Central area."""
    Membership.objects.get(user=cast.officer, organisation=cast.organisation).areas.add(area)
    return area


def local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def report_data(officer_area):
    """A complete, valid 'Log a report' submission: a hate crime reported by phone."""
    now = timezone.now()
    return {
        "received_at": local(now - timedelta(hours=1)),
        "channel": "phone",
        "reporter_type": "victim",
        "category": "hate_crime",
        "summary": "Racist abuse shouted at her on the stairwell.",
        "area": str(officer_area.pk),
        "location": "Block B stairwell",
        "prior_action": "She told her neighbour and called 101.",
        "assignment": "area",
        "occurred_at": local(now - timedelta(hours=3)),
        "acts": ["verbal_abuse", "discriminatory_language"],
        "grounds": ["race"],
        "perceived_by": "victim",
        "police_reported": "yes",
        "crime_reference": "HC/123/26",
        "victim-role": "victim",
        "victim-full_name": "Amina Yusuf",
        "victim-date_of_birth": "1984-05-02",
        "victim-phone": "07700 900123",
        "victim-postcode": "WD17 1AA",
        "victim-tenure": "tenant",
        "victim-preferred_language": "Somali",
        "perpetrator-kind": "unknown",
        "perpetrator-description": "Man in his 20s, grey hoodie",
        "perpetrator-tenure": "unknown",
    }
