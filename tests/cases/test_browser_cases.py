from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Membership, Role
from cases.models import Case
from tests.cases.factories import PersonFactory
from tests.conftest import PASSWORD, fill_date
from tests.factories import AreaFactory, member
from tests.signin import second_factor_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).resolve().parents[1] / "assets" / "axe.min.js").read_text()


def serious_accessibility_problems(page: Page) -> list[str]:
    """axe-core's serious and critical WCAG 2 A/AA findings on the current page."""
    page.evaluate(AXE)
    result = page.evaluate("async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})")
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, email)


def test_staff_logs_hate_crime_by_phone_and_officer_sees_it_high_risk(
    live_server, page: Page, organisation
):
    area = AreaFactory(organisation=organisation, name="Oxhey")
    staff = member(organisation, Role.STAFF, email="sam@wch.test", full_name="Sam Staff")
    officer = member(
        organisation, Role.OFFICER, email="olivia@wch.test", full_name="Olivia Officer"
    )
    Membership.objects.get(user=officer).areas.add(area)
    known = PersonFactory(organisation=organisation, full_name="Amina Yusuf", postcode="WD19 4EZ")

    sign_in(page, live_server.url, staff.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log a report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a report")
    assert serious_accessibility_problems(page) == []
    page.get_by_label("Channel").select_option("phone")
    page.get_by_label("Reported by").select_option("victim")
    page.get_by_label("Category").select_option("hate_crime")
    page.locator("#id_summary").fill("Shouted racist abuse at her door.")
    page.get_by_label("Area (optional)", exact=True).select_option(label="Oxhey")
    page.get_by_label("Where it happened").fill("Flat 4, Heron Court")
    fill_date(page, "id_occurred_at", timezone.localtime(timezone.now() - timedelta(hours=2)))
    page.get_by_label("Verbal abuse or insults").check()
    page.get_by_label("Race or ethnicity").check()
    page.get_by_label("Perceived by").select_option("victim")
    page.locator("#id_victim-full_name").fill("Amina Yusuf")
    page.locator("#id_victim-phone").fill("07700 900123")
    # People already on file who may be the same person are suggested as the name is entered.
    suggestion = page.get_by_label("Amina Yusuf, WD19 4EZ")
    expect(suggestion).to_be_visible()
    suggestion.check()
    page.get_by_label("Unknown", exact=True).check()
    page.locator("#id_perpetrator-description").fill("Man in a grey hoodie")
    page.get_by_role("button", name="Log the report").click()

    case = Case.objects.get()
    assert case.parties.get(role="victim").person == known
    expect(page.get_by_role("heading", level=1)).to_have_text(case.reference)
    expect(page.get_by_text(f"Case {case.reference} logged as High Risk")).to_be_visible()
    expect(page.get_by_test_id("safety-checklist")).to_be_visible()
    assert serious_accessibility_problems(page) == []

    page.get_by_role("button", name="Sam Staff").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server.url, officer.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    row = page.get_by_test_id("case-row").filter(has_text=case.reference)
    expect(row).to_contain_text("High Risk")
    expect(row).to_contain_text("Hate crime")
    expect(row).to_contain_text("Amina Yusuf")
    expect(row).to_contain_text("Olivia Officer")
    assert serious_accessibility_problems(page) == []
    row.get_by_role("link", name=case.reference).click()
    expect(page.get_by_test_id("party")).to_have_count(2)
    expect(page.get_by_test_id("risk")).to_have_text("High Risk")


def test_searching_the_case_list_by_name_keeps_the_name_out_of_every_url(
    live_server, page: Page, organisation
):
    from cases.services.parties import party_add
    from tests.cases.factories import make_case

    manager = member(organisation, Role.MANAGER, email="maya@wch.test", full_name="Maya Manager")
    grace = PersonFactory(organisation=organisation, full_name="Grace Okafor", known_as="Bibi")
    for _ in range(27):
        party_add(case=make_case(organisation, manager), by=manager, person=grace, role="victim")
    make_case(organisation, manager, summary="Nobody by that name.")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    sign_in(page, live_server.url, manager.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    page.get_by_label("Reference or name").fill("Grace Okafor")
    page.get_by_label("Sort by").select_option(label="Reference")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    expect(page.get_by_test_id("case-row")).to_have_count(25)
    expect(page.get_by_label("Reference or name")).to_have_value("Grace Okafor")
    assert "sort=reference" in page.url and "search=" in page.url
    assert serious_accessibility_problems(page) == []
    page.get_by_role("link", name="Next").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(page.get_by_test_id("case-row")).to_have_count(2)

    # The name she is known by, words in any order, finds the same cases.
    page.get_by_label("Reference or name").fill("bibi OKAFOR")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    expect(page.get_by_test_id("case-row").first).to_contain_text("Grace Okafor")

    assert requested, "the browser's requests were not seen"
    leaked = [url for url in requested if "grace" in url.lower() or "okafor" in url.lower()]
    assert leaked == []
