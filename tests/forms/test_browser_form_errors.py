"""Issue 17: every main form's error state in real Chromium — the error summary takes focus,
its links take the keyboard to the field, and axe (WCAG 2.2 A and AA) finds nothing."""

from datetime import time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.deadline_helpers import apply_preset
from tests.signin import second_factor_step
from tests.transfers.conftest import open_case, panellist, refer
from transfers.models import PanelSettings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).resolve().parents[1] / "assets" / "axe.min.js").read_text()
WCAG_22_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def axe_violations(page: Page) -> list:
    page.evaluate(AXE)  # evaluated by the test, not a script tag the CSP would refuse
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_22_A_AA,
    )
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def sign_in(page: Page, base: str, user) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, user.email)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_an_empty_log_a_report_focuses_the_summary_whose_first_link_focuses_the_field(
    live_server, page: Page, cast, area
):
    sign_in(page, live_server.url, cast.staff)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log a report").click()
    page.get_by_role("button", name="Log the report").click()

    expect(page).to_have_title("Error: Log a report · Haven")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    first = summary.get_by_role("link").first
    expect(first).to_have_text("Select how the report was received")
    # By keyboard: Tab to the first problem, Enter, and the cursor is in that field.
    page.keyboard.press("Tab")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_channel")).to_be_focused()
    # A group's link lands on its first box, under the legend that names it.
    summary.get_by_role("link", name="Select what happened").click()
    expect(page.locator("#id_acts_0")).to_be_focused()
    assert axe_violations(page) == []


def test_follow_up_questions_show_only_when_they_apply(live_server, page: Page, cast, area):
    sign_in(page, live_server.url, cast.staff)
    page.goto(f"{live_server.url}/cases/new/")
    officer = page.get_by_label("Officer", exact=True)
    expect(officer).to_be_hidden()
    page.get_by_label("To the officer I choose").check()
    expect(officer).to_be_visible()
    page.get_by_label("To the officer for the area").check()
    expect(officer).to_be_hidden()
    crime_reference = page.get_by_label("Crime reference")
    expect(crime_reference).to_be_hidden()
    page.get_by_label("Told the police?").select_option("yes")
    expect(crime_reference).to_be_visible()
    # Dates in boxes that do not depend on the browser's language: day, month, year, time.
    when = page.locator("#div_id_occurred_at")
    expect(when.get_by_label("Day")).to_be_visible()
    expect(when.get_by_label("Time")).to_be_visible()
    assert when.locator("input").count() == 4


def test_each_main_form_in_its_error_state_has_no_axe_violations(
    live_server, page: Page, cast, area
):
    apply_preset(cast.organisation, "wch_2022")
    tomorrow = timezone.localdate() + timedelta(days=1)
    PanelSettings.objects.create(
        organisation=cast.organisation,
        meeting_weekday=tomorrow.weekday(),
        meeting_time=time(10),
        cutoff_hours=0,
    )
    case = open_case(cast.organisation, cast.officer)
    other = open_case(cast.organisation, cast.officer, victim_name="Rita Resident")
    referral = refer(other, cast.officer)
    base = live_server.url

    sign_in(page, base, cast.officer)
    forms = [
        ("Log a report", "/cases/new/", "Log the report"),
        ("Add incident", f"/cases/{case.pk}/incidents/add/", "Save"),
        ("Record a contact", f"/cases/{case.pk}/contacts/add/", "Save"),
        ("Risk assessment", f"/risk/cases/{case.pk}/assessments/new/", "Complete the assessment"),
        ("Transfer referral", f"/transfers/cases/{case.pk}/refer/", "Refer to the Housing Panel"),
    ]
    problems = {}
    for name, path, button in forms:
        page.goto(f"{base}{path}")
        page.get_by_role("button", name=button).click()
        expect(page.locator("[data-error-summary]"), name).to_be_focused()
        assert page.title().startswith("Error: "), name
        problems[name] = axe_violations(page)

    page.context.clear_cookies()
    sign_in(page, base, panellist(cast.organisation, manager=True, full_name="Cara Chair"))
    page.goto(f"{base}/transfers/panel/requests/{referral.pk}/")
    page.get_by_role("button", name="Record my vote").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Select your vote")
    problems["Panel vote"] = axe_violations(page)

    page.context.clear_cookies()
    sign_in(page, base, cast.admin)
    page.goto(f"{base}/accounts/members/add/")
    page.get_by_role("button", name="Add the member").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Choose at least one role.")
    problems["Member invite"] = axe_violations(page)
    page.goto(f"{base}/policy/settings/")
    page.locator("#id_reminder_lead_hours").fill("-3")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    problems["Policy settings"] = axe_violations(page)

    assert {name: found for name, found in problems.items() if found} == {}
