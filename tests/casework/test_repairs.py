from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from deadlines.models import Deadline, DeadlineRule
from repairs.models import Repair
from repairs.services import repair_report, repair_update
from tests.casework.helpers import case_with_people

pytestmark = pytest.mark.django_db


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_w16_damage_reported_from_the_case_with_reference_status_and_costs(client, cast):
    case, victim = case_with_people(cast)
    client.force_login(cast.officer)
    response = client.post(
        reverse("repairs:new", args=[case.pk]),
        {
            "kind": "arson",
            "description": "Front door scorched",
            "reported_at": local(timezone.now() - timedelta(hours=1)),
            "repair_reference": "CSC-88812",
        },
    )
    assert response.status_code == 302
    repair = Repair.objects.get(case=case)
    assert (repair.repair_reference, repair.status) == ("CSC-88812", "reported")
    # WCH sets no repair timescale (W16): no deadline.
    assert not Deadline.objects.filter(case=case, rule=DeadlineRule.C19_REPAIR).exists()
    client.post(
        reverse("repairs:edit", args=[case.pk, repair.pk]),
        {
            "status": "done",
            "repair_reference": "CSC-88812",
            "completed_at": local(timezone.now()),
            "repair_cost": "420.00",
            "cleanup_cost": "80.50",
        },
    )
    repair.refresh_from_db()
    assert (repair.status, repair.repair_cost, repair.cleanup_cost) == (
        "done",
        Decimal("420.00"),
        Decimal("80.50"),
    )
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "repairs £420.00, clean-up £80.50" in page


def test_c19_offensive_graffiti_is_due_within_24_hours_of_its_report(cast):
    case, victim = case_with_people(cast, preset="circle_anglia_2009")
    reported_at = timezone.now() - timedelta(hours=3)
    with pytest.raises(ValidationError):
        repair_report(
            case=case,
            by=cast.officer,
            kind="vandalism",
            description="Broken window",
            reported_at=reported_at,
            offensive=True,
        )
    repair = repair_report(
        case=case,
        by=cast.officer,
        kind="graffiti",
        description="Racist slogan on the door",
        reported_at=reported_at,
        offensive=True,
    )
    deadline = Deadline.objects.get(case=case, rule=DeadlineRule.C19_REPAIR)
    assert deadline.source_key == repair.source_key
    assert deadline.due_at == reported_at + timedelta(hours=24)
    other = repair_report(
        case=case,
        by=cast.officer,
        kind="graffiti",
        description="Tag on the bin store",
        reported_at=reported_at,
    )
    assert not Deadline.objects.filter(source_key=other.source_key).exists()
    repair_update(
        repair=repair,
        by=cast.officer,
        status="done",
        repair_reference="CSC-1",
        repair_cost=Decimal("0"),
        cleanup_cost=Decimal("95"),
    )
    deadline.refresh_from_db()
    assert deadline.state == "met" and not deadline.met_late
