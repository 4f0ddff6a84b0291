import pytest

from accounts.models import Membership


@pytest.fixture
def officer_area(cast, area):
    """The cast's officer covers the Central area, so a report there has an officer."""
    Membership.objects.get(user=cast.officer, organisation=cast.organisation).areas.add(area)
    return area
