"""One journey in a real browser: what an officer does on a case after the first call."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from enforcement.models import EnforcementAction
from risk.models import Assessment
from risk.services import question_set_ensure_default
from support.models import ActionPlan, SupportReferral
from support.services.referrals import agencies_ensure_defaults
from tests.casework.helpers import add_incident, add_perpetrator, case_with_people
from tests.conftest import PASSWORD, fill_date
from tests.factories import member
from tests.signin import second_factor_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class BrowserCast:
    def __init__(self, organisation, officer):
        self.organisation = organisation
        self.officer = officer
        self.staff = member(organisation, Role.STAFF, email="sam@wch.test", full_name="Sam Staff")


def test_officer_assesses_refers_calls_agrees_a_plan_and_warns(
    live_server, page: Page, organisation
):
    officer = member(
        organisation, Role.OFFICER, email="olivia@wch.test", full_name="Olivia Officer"
    )
    cast = BrowserCast(organisation, officer)
    agencies_ensure_defaults(organisation=organisation)
    question_set = question_set_ensure_default(organisation=organisation)
    case, victim = case_with_people(cast, received_at=timezone.now() - timedelta(days=2))
    perp = add_perpetrator(case, officer)
    add_incident(case, officer, [victim, perp], hours_ago=40)
    add_incident(case, officer, [victim, perp], hours_ago=30)
    victim.person.address, victim.person.postcode = "1 Safe Street\nWatford", "WD17 1AA"
    victim.person.save()

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(officer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, officer.email)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.get_by_test_id("assessment-due")).to_be_visible()

    # Risk assessment by telephone, with the victim.
    page.locator("#add-assessment").click()
    page.get_by_label("By telephone").check()
    page.get_by_label("With whom").select_option(label=str(victim))
    for question in question_set.questions.all():
        page.locator(f'input[name="question_{question.pk}"]').last.check()
    page.get_by_role("button", name="Complete the assessment").click()
    expect(page.get_by_test_id("assessment")).to_contain_text("by telephone with Vera Victim")
    expect(page.get_by_test_id("assessment-due")).to_have_count(0)

    # Refer the victim to Victim Support, with consent.
    page.locator("#offer-support").click()
    page.get_by_label("Offered to").select_option(label=str(victim))
    page.get_by_label("Agency").select_option(label="Victim Support")
    page.get_by_label("They consent to a referral").check()
    page.get_by_label("Referral made now").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("referral")).to_contain_text(
        "Victim Support for Vera Victim: Referred"
    )

    # A welfare call.
    page.locator("#log-welfare-call").click()
    page.get_by_label("Called").select_option(label=str(victim))
    page.get_by_label("How they are").fill("Calmer; sleeping better")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("welfare-call")).to_contain_text(
        "Wellbeing: Calmer; sleeping better"
    )

    # An action plan, agreed with the complainant.
    page.locator("#plan-add-action").click()
    page.get_by_label("What will be done").fill("Write to the perpetrator")
    page.get_by_label("Who will do it").fill("Olivia Officer")
    fill_date(page, "id_due_date", timezone.localdate() + timedelta(days=7))
    page.get_by_role("button", name="Save").click()
    page.locator("#plan-agree").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("plan-agreed")).to_be_visible()

    # The plan goes to the victim as a letter (C22), shown on the case's letters panel.
    page.locator("#plan-issue").click()
    page.get_by_label("To").select_option(label="Vera Victim (victim)")
    page.get_by_label("How it goes").select_option("post")
    page.get_by_role("button", name="Save").click()
    expect(page.locator('[data-testid="letter"][data-kind="action_plan"]')).to_contain_text(
        "To Vera Victim (victim)"
    )
    expect(page.locator("#plan-issue")).to_have_count(0)

    # A written warning, with what confirms the behaviour (C24).
    page.locator("#remedies").click()
    page.locator('tr[data-remedy="written_warning"] a').first.click()
    page.get_by_label("What confirms the behaviour").fill("Neighbour saw it; police log 41/88")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("enforcement-action")).to_contain_text("Written warning")

    assessment = Assessment.objects.get(case=case)
    assert assessment.method == "telephone"
    assert SupportReferral.objects.get(case=case).status == "referred"
    plan = ActionPlan.objects.get(case=case)
    assert plan.agreed_at is not None and not plan.needs_issuing
    assert EnforcementAction.objects.get(case=case).remedy == "written_warning"
