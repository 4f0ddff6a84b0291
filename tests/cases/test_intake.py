from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseParty, Incident, Person
from cases.models.choices import RiskLevel, Status
from tests.cases.conftest import local
from tests.cases.factories import PersonFactory

pytestmark = pytest.mark.django_db
URL = reverse("cases:log")


def test_w09_staff_member_logs_report_and_case_is_high_risk_with_area_officer(
    client, cast, report_data
):
    client.force_login(cast.staff)
    response = client.post(URL, report_data)
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("cases:detail", args=[case.pk])
    assert case.risk_level == RiskLevel.HIGH
    assert case.assigned_officer == cast.officer
    assert case.status == Status.OPEN
    assert case.reference.startswith("WCH-") and case.created_by == cast.staff
    roles = sorted(p.role for p in case.parties.all())
    assert roles == ["perpetrator", "victim"]
    unknown = case.parties.get(role="perpetrator")
    assert unknown.person is None and unknown.perpetrator_kind == "unknown"
    incident = Incident.objects.get(case=case)
    assert set(incident.grounds.values_list("ground", flat=True)) == {"race"}
    assert incident.crime_reference == "HC/123/26"
    assert incident.parties.count() == 2


def test_w09_officer_can_be_chosen_by_hand(client, cast, report_data):
    client.force_login(cast.staff)
    report_data.update(assignment="hand", assigned_officer=str(cast.manager.pk))
    client.post(URL, report_data)
    assert Case.objects.get().assigned_officer == cast.manager


def test_w07_c13_channel_and_reporter_are_recorded(client, cast, report_data):
    client.force_login(cast.staff)
    report_data.update(channel="hotline", reporter_type="on_behalf")
    client.post(URL, report_data)
    case = Case.objects.get()
    assert (case.channel, case.reporter_type) == ("hotline", "on_behalf")


def test_w11_what_was_already_done_is_recorded(client, cast, report_data):
    client.force_login(cast.staff)
    client.post(URL, report_data)
    assert Case.objects.get().prior_action == "She told her neighbour and called 101."


def test_report_received_earlier_than_now_is_accepted(client, cast, report_data):
    client.force_login(cast.staff)
    report_data["received_at"] = local(timezone.now() - timedelta(days=3))
    report_data["occurred_at"] = local(timezone.now() - timedelta(days=4))
    client.post(URL, report_data)
    assert Case.objects.get().received_at < timezone.now() - timedelta(days=2)


def test_w02_staff_victim_explains_hr_procedure_and_opens_no_case(client, cast, report_data):
    client.force_login(cast.staff)
    report_data["scope-victim_is_staff"] = "on"
    response = client.post(URL, report_data)
    assert response.status_code == 200
    assert b"Human Resources policies" in response.content
    assert Case.objects.count() == 0 and Person.objects.count() == 0


def test_c03_complaint_about_contractor_explains_complaints_procedure(client, cast, report_data):
    client.force_login(cast.staff)
    report_data["scope-about_staff_or_contractor"] = "on"
    response = client.post(URL, report_data)
    assert b"Complaints policy and procedure" in response.content
    assert Case.objects.count() == 0


def test_received_in_the_future_is_refused_beside_the_field_with_input_kept(
    client, cast, report_data
):
    client.force_login(cast.staff)
    report_data["received_at"] = local(timezone.now() + timedelta(days=1))
    response = client.post(URL, report_data)
    assert response.status_code == 400
    form = response.context["report_form"]
    assert form.errors["received_at"] == ["A report cannot be received in the future."]
    assert b"Racist abuse shouted at her on the stairwell." in response.content
    assert b"Amina Yusuf" in response.content
    assert Case.objects.count() == 0


def test_incident_in_the_future_is_refused_beside_the_field(client, cast, report_data):
    client.force_login(cast.staff)
    report_data["occurred_at"] = local(timezone.now() + timedelta(hours=2))
    response = client.post(URL, report_data)
    assert response.status_code == 400
    assert "occurred_at" in response.context["report_form"].errors
    assert b"Block B stairwell" in response.content
    assert Case.objects.count() == 0


def test_date_of_birth_after_the_incident_is_refused_beside_the_field(client, cast, report_data):
    client.force_login(cast.staff)
    report_data["occurred_at"] = local(timezone.now() - timedelta(days=30))
    report_data["victim-date_of_birth"] = (timezone.localdate() - timedelta(days=5)).isoformat()
    response = client.post(URL, report_data)
    assert response.status_code == 400
    assert response.context["victim_form"].errors["date_of_birth"] == [
        "That date of birth is after the incident."
    ]
    assert b"Amina Yusuf" in response.content
    assert Case.objects.count() == 0


def test_existing_person_is_suggested_and_can_be_chosen(client, cast, report_data):
    existing = PersonFactory(
        organisation=cast.organisation, full_name="Amina Yusuf", postcode="WD17 1AA"
    )
    client.force_login(cast.staff)
    response = client.post(URL, report_data)
    assert response.status_code == 200
    assert list(response.context["victim_matches"]) == [existing]
    assert Case.objects.count() == 0
    report_data["victim-match"] = str(existing.pk)
    client.post(URL, report_data)
    case = Case.objects.get()
    assert case.parties.get(role="victim").person == existing
    assert Person.objects.count() == 1


def test_choosing_a_new_person_creates_one_despite_a_suggestion(client, cast, report_data):
    PersonFactory(organisation=cast.organisation, full_name="Amina Yusuf")
    client.force_login(cast.staff)
    report_data["victim-match"] = "new"
    client.post(URL, report_data)
    assert Person.objects.filter(full_name="Amina Yusuf").count() == 2


def test_another_organisations_person_is_never_suggested(client, cast, report_data):
    PersonFactory(organisation=cast.other_organisation, full_name="Amina Yusuf")
    client.force_login(cast.staff)
    response = client.post(URL, report_data)
    assert response.status_code == 302
    assert CaseParty.objects.get(role="victim").person.organisation == cast.organisation


def test_named_perpetrator_and_complainant_are_added(client, cast, report_data):
    client.force_login(cast.officer)
    report_data.update(
        {
            "victim-role": "complainant",
            "perpetrator-kind": "named",
            "perpetrator-full_name": "Derek Stone",
            "perpetrator-tenure": "tenant",
        }
    )
    client.post(URL, report_data)
    case = Case.objects.get()
    assert sorted(case.parties.values_list("role", flat=True)) == [
        "complainant",
        "perpetrator",
        "victim",
    ]
    assert case.parties.get(role="perpetrator").person.full_name == "Derek Stone"


def test_c19_intake_with_threats_of_violence_starts_the_faster_timescale(client, cast, report_data):
    from deadlines.models import DeadlineRule
    from tests.deadline_helpers import apply_preset

    apply_preset(cast.organisation, "circle_anglia_2009")  # WCH 2022 has no C19

    client.force_login(cast.staff)
    report_data["acts"] = ["verbal_abuse", "threats"]
    assert client.post(URL, report_data).status_code == 302
    contact = Case.objects.get().deadlines.get(rule=DeadlineRule.C19_OFFICER_CONTACT)
    assert contact.due_at == contact.started_at + timedelta(days=1)
    assert contact.clause.endswith("within 1 day (violence or a threat of it)")


def test_c19_intake_with_fear_of_violence_starts_the_faster_timescale(client, cast, report_data):
    from deadlines.models import DeadlineRule
    from tests.deadline_helpers import apply_preset

    apply_preset(cast.organisation, "circle_anglia_2009")  # WCH 2022 has no C19

    client.force_login(cast.staff)
    report_data["fear_of_violence"] = "on"
    assert client.post(URL, report_data).status_code == 302
    contact = Case.objects.get().deadlines.get(rule=DeadlineRule.C19_OFFICER_CONTACT)
    assert contact.due_at == contact.started_at + timedelta(days=1)
    # Faster from the start: nothing to bring forward.
    assert contact.history.count() == 1
