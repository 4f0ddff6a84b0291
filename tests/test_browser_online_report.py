"""Browser journeys for online reporting, in real Chromium on a phone-sized window."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from cases.models import Case, OnlineReport
from cases.models.choices import Channel
from tests.conftest import PASSWORD
from tests.factories import member
from tests.signin import second_factor_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "assets" / "axe.min.js"
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Only the test browser bypasses CSP, to inject axe-core; the pages keep their strict CSP.
    return {**browser_context_args, "bypass_csp": True}


def assert_no_axe_violations(page: Page, where: str) -> None:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    violations = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]
    assert violations == [], f"{where}: {violations}"


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()


def report_hate_incident(
    page: Page, base: str, *, check_axe: bool, double_click_send: bool = False
) -> str:
    """A resident's report, one question per page. Returns the reference shown."""
    page.goto(f"{base}/report/WCH/")
    steps = ["start"]
    if check_axe:
        assert_no_axe_violations(page, "start")
    page.get_by_role("button", name="Start now").click()

    def step(name, answer):
        steps.append(name)
        if check_axe:
            assert_no_axe_violations(page, name)
        answer()

    # An empty answer first: the error summary must be accessible too.
    step("danger (error)", lambda: continue_(page))
    expect(page.get_by_role("alert")).to_contain_text("Select yes if you are in danger now")
    step("danger", lambda: (page.get_by_label("No", exact=True).check(), continue_(page)))
    step("who", lambda: (page.get_by_label("It happened to me").check(), continue_(page)))
    step(
        "what",
        lambda: (
            page.get_by_label("Tell us what happened").fill(
                "A neighbour shouted racist abuse at me and my children on the stairs."
            ),
            page.get_by_label("Shouting, swearing or insults").check(),
            continue_(page),
        ),
    )
    step(
        "when-where",
        lambda: (
            page.get_by_label("Where did it happen?").fill("Stairwell of Oak House"),
            page.get_by_label("Time of day (optional)").select_option("evening"),
            continue_(page),
        ),
    )
    step("why", lambda: (page.get_by_label("Race or ethnic background").check(), continue_(page)))
    step(
        "who-did-it",
        lambda: (
            page.get_by_label("Yes", exact=True).check(),
            page.get_by_label("Their name, if you know it (optional)").fill("Derek Dunn"),
            continue_(page),
        ),
    )
    step("contact", lambda: (page.get_by_label("Yes, you can contact me").check(), continue_(page)))
    step(
        "your-details",
        lambda: (
            page.get_by_label("Your name").fill("Rita Resident"),
            page.get_by_label("A safe e-mail address (optional)").fill("rita@example.test"),
            continue_(page),
        ),
    )
    step(
        "safe-contact",
        lambda: (
            page.get_by_label("When is it safe to contact you? (optional)").fill("Weekdays"),
            page.get_by_label("No", exact=True).check(),
            continue_(page),
        ),
    )
    if double_click_send:
        # Chromium drops the first of two quick form submissions before it leaves the page;
        # a slow network does not, and both POSTs arrive: send them both, as fetch does.
        page.evaluate(
            """async () => {
                const form = document.querySelector("form[enctype]");
                const send = () => fetch(form.action || location.href,
                    {method: "POST", body: new FormData(form), redirect: "manual"});
                await Promise.all([send(), send()]);
            }"""
        )
        page.goto(f"{base}/report/WCH/sent/")
    else:
        step("send", lambda: page.get_by_role("button", name="Send report").click())
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    if check_axe:
        assert_no_axe_violations(page, "sent")
    expect(page.get_by_text("Rita")).to_have_count(0)
    return page.get_by_test_id("reference").inner_text()


def test_axe_finds_no_violations_on_any_step_of_the_form(live_server, page: Page, organisation):
    page.set_viewport_size(PHONE)
    report_hate_incident(page, live_server.url, check_axe=True)
    page.goto(f"{live_server.url}/report/WCH/privacy/")
    assert_no_axe_violations(page, "privacy")


def test_double_send_from_the_browser_saves_one_report_and_sends_one_acknowledgement(
    live_server, page: Page, organisation
):
    from django.core import mail

    reference = report_hate_incident(page, live_server.url, check_axe=False, double_click_send=True)
    report = OnlineReport.objects.get()
    assert report.reference == reference
    assert [m.subject for m in mail.outbox] == [f"Your reference {reference}"]


def test_axe_finds_no_violations_on_safety_and_victim_steps(live_server, page: Page, organisation):
    page.goto(f"{live_server.url}/report/WCH/danger/")
    page.get_by_label("Yes", exact=True).check()
    continue_(page)
    expect(page.get_by_role("heading", name="Call 999 now")).to_be_visible()
    assert_no_axe_violations(page, "safety")
    page.get_by_role("button", name="I am safe, continue").click()
    page.get_by_label("I am reporting for someone else").check()
    continue_(page)
    page.goto(f"{live_server.url}/report/WCH/victim/")
    assert_no_axe_violations(page, "victim")
    # Too long an answer: the error summary and field error, with the text kept.
    page.goto(f"{live_server.url}/report/WCH/what/")
    # The browser stops at maxlength; an older one would not, and the server says why.
    page.eval_on_selector("#id_description", "el => el.removeAttribute('maxlength')")
    page.get_by_label("Tell us what happened").fill("x" * 5001)
    continue_(page)
    expect(page.get_by_role("alert")).to_contain_text("at most 5000 characters")
    assert_no_axe_violations(page, "what (error)")
    page.get_by_role("link", name="Ensure this value has at most 5000 characters").click()
    expect(page.get_by_label("Tell us what happened")).to_be_focused()


def test_keyboard_only_resident_can_answer_a_step(live_server, page: Page, organisation):
    page.goto(f"{live_server.url}/report/WCH/danger/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.get_by_label("No", exact=True).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Continue")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Who are you?")).to_be_visible()


def test_resident_reports_on_a_phone_and_officer_opens_a_case_from_triage(
    live_server, page: Page, browser, organisation
):
    page.set_viewport_size(PHONE)
    reference = report_hate_incident(page, live_server.url, check_axe=False)
    report = OnlineReport.objects.get(reference=reference)
    assert report.channel == Channel.WEBSITE

    officer = member(
        organisation, Role.OFFICER, email="olivia@wch.test", full_name="Olivia Officer"
    )
    staff_context = browser.new_context(viewport=PHONE)
    officer_page = staff_context.new_page()
    officer_page.goto(f"{live_server.url}/login/")
    officer_page.get_by_label("E-mail address").fill(officer.email)
    officer_page.get_by_label("Password").fill(PASSWORD)
    officer_page.get_by_role("button", name="Sign in").click()
    second_factor_step(officer_page, officer.email)
    officer_page.goto(f"{live_server.url}/online-reports/")
    officer_page.get_by_role("link", name=reference).click()
    expect(officer_page.get_by_text("A neighbour shouted racist abuse")).to_be_visible()
    officer_page.get_by_label("Category").select_option("hate_incident")
    officer_page.get_by_role("button", name="Open a case").click()
    expect(
        officer_page.get_by_role("alert").or_(officer_page.get_by_role("status"))
    ).to_contain_text("opened from " + reference)
    case = Case.objects.get()
    assert case.received_at == report.received_at
    assert case.channel == Channel.WEBSITE
    assert case.parties.filter(person__full_name="Derek Dunn").exists()
    staff_context.close()
