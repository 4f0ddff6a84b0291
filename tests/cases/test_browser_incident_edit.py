from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from cases.models import Case
from cases.services.records import incident_record
from policy.formats import uk_datetime
from tests.cases.factories import make_case
from tests.cases.test_browser_cases import serious_accessibility_problems, sign_in
from tests.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_w04_officer_corrects_an_incident_to_add_a_hate_ground_and_sees_it_on_the_case(
    live_server, page: Page, organisation
):
    staff = member(organisation, Role.STAFF, email="sam@wch.test", full_name="Sam Staff")
    officer = member(
        organisation, Role.OFFICER, email="olivia@wch.test", full_name="Olivia Officer"
    )
    case = make_case(organisation, staff, assigned_officer=officer)
    incident = incident_record(
        case=case,
        by=officer,
        occurred_at=timezone.now() - timedelta(days=2),
        location="Heron Court car park",
        description="Shouted at her as she got out of the car.",
        acts=["verbal_abuse"],
    )
    when = uk_datetime(incident.occurred_at)

    sign_in(page, live_server.url, officer.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    page.get_by_test_id("case-row").filter(has_text=case.reference).get_by_role(
        "link", name=case.reference
    ).click()
    expect(page.get_by_test_id("timeline")).not_to_contain_text("because of")
    page.get_by_role("link", name=f"Edit the incident of {when}").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit the incident of")
    expect(page.get_by_label("Verbal abuse or insults")).to_be_checked()
    expect(page.get_by_label("Where it happened")).to_have_value("Heron Court car park")
    assert serious_accessibility_problems(page) == []
    page.get_by_label("Religion or belief").check()
    page.get_by_label("Hostility perceived by").select_option("victim")
    page.get_by_label("Why are you changing this incident?").fill(
        "She told us later he shouted about her headscarf."
    )
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(case.reference)
    expect(page.get_by_text("Incident corrected.")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text(
        "Hostility perceived by the victim because of: Religion or belief"
    )
    assert Case.objects.get(pk=case.pk).hate_ground_recorded
