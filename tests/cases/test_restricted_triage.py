"""Online-report triage never offers, accepts or hints at a restricted case the triaging user
may not open (NM01 "Add to an existing case")."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from cases.models import Incident, OnlineReport, Person
from cases.models.choices import PartyRole
from cases.services.online import online_report_add_to_case, online_report_submit
from cases.services.parties import party_add
from tests.cases.factories import make_case
from tests.factories import member

pytestmark = pytest.mark.django_db

RECEIVED = timezone.datetime(2026, 11, 20, 22, 40, tzinfo=timezone.get_current_timezone())
ANSWERS = {
    "danger": "no",
    "reporter_type": "victim",
    "description": "Shouted racist abuse at me on the stairs.",
    "acts": ["verbal_abuse"],
    "occurred_on": "2026-11-20",
    "time_of_day": "evening",
    "location": "Oak House",
    "grounds": ["race"],
    "known": "yes",
    "perpetrator_name": "Derek Dunn",
    "contact_choice": "contact",
    "full_name": "Rita Resident",
    "phone": "07700 900123",
    "email": "",
    "leave_message": "no",
    "preferred_language": "English",
    "preferred_format": "standard",
}


def report_in(organisation):
    with time_machine.travel(RECEIVED, tick=False):
        return online_report_submit(
            organisation=organisation, answers=dict(ANSWERS), received_at=RECEIVED
        )


@pytest.fixture
def colleague(cast):
    return member(cast.organisation, Role.OFFICER, full_name="Colin Colleague")


@pytest.fixture
def triage(cast):
    """A restricted case naming the reported resident, and two open cases naming no one."""
    restricted = make_case(
        cast.organisation, cast.staff, assigned_officer=cast.officer, restricted=True
    )
    rita = Person.objects.create(organisation=cast.organisation, full_name="Rita Resident")
    party_add(case=restricted, by=cast.manager, role=PartyRole.VICTIM, person=rita)
    others = [make_case(cast.organisation, cast.staff) for _ in range(2)]
    return {"restricted": restricted, "others": others, "report": report_in(cast.organisation)}


def offered(response):
    return list(response.context["add_form"].fields["case"].queryset)


def test_add_to_case_offers_only_cases_the_triaging_user_may_open(client, triage, colleague):
    client.force_login(colleague)
    response = client.get(reverse("online_reports:detail", args=[triage["report"].pk]))
    assert response.status_code == 200
    assert triage["restricted"] not in offered(response)
    assert triage["restricted"].reference.encode() not in response.content


def test_suggestion_narrowed_to_cases_naming_the_people_does_not_reveal_a_restricted_one(
    client, cast, triage, colleague
):
    """With the restricted case hidden, the colleague sees every open case they may open, as
    if no case named the reporter: the list is not narrowed to nothing, nor counted."""
    client.force_login(colleague)
    response = client.get(reverse("online_reports:detail", args=[triage["report"].pk]))
    assert set(offered(response)) == set(triage["others"])
    # The officer on the restricted case is offered just that case, the one naming Rita.
    client.force_login(cast.officer)
    response = client.get(reverse("online_reports:detail", args=[triage["report"].pk]))
    assert offered(response) == [triage["restricted"]]


def test_hand_made_post_of_a_hidden_case_id_is_refused_beside_the_field(client, triage, colleague):
    report = triage["report"]
    client.force_login(colleague)
    response = client.post(
        reverse("online_reports:add_to_case", args=[report.pk]), {"case": triage["restricted"].pk}
    )
    assert response.status_code == 400
    assert response.context["add_form"].errors["case"] == ["Choose one of the cases offered."]
    report.refresh_from_db()
    assert report.status == OnlineReport.Status.NEW and report.case is None
    assert not Incident.objects.filter(case=triage["restricted"]).exists()


def test_the_service_refuses_to_add_a_report_to_a_case_the_user_may_not_open(
    cast, triage, colleague
):
    with pytest.raises(ValidationError) as refused:
        online_report_add_to_case(report=triage["report"], by=colleague, case=triage["restricted"])
    assert refused.value.message_dict["case"] == ["Choose one of the cases offered."]
    triage["report"].refresh_from_db()
    assert triage["report"].status == OnlineReport.Status.NEW


def test_the_officer_on_the_restricted_case_may_still_add_the_report_to_it(client, cast, triage):
    client.force_login(cast.officer)
    response = client.post(
        reverse("online_reports:add_to_case", args=[triage["report"].pk]),
        {"case": triage["restricted"].pk},
    )
    assert response.status_code == 302
    triage["report"].refresh_from_db()
    assert triage["report"].case == triage["restricted"]


def test_a_report_made_part_of_a_restricted_case_is_hidden_from_a_colleague(
    client, cast, triage, colleague
):
    report = triage["report"]
    online_report_add_to_case(report=report, by=cast.officer, case=triage["restricted"])
    client.force_login(colleague)
    assert client.get(reverse("online_reports:detail", args=[report.pk])).status_code == 404
    queue = client.get(reverse("online_reports:queue") + "?status=all")
    assert report not in queue.context["page_obj"].object_list
    client.force_login(cast.officer)
    assert client.get(reverse("online_reports:detail", args=[report.pk])).status_code == 200
