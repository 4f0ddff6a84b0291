"""A colleague adding a person to their own case is never offered someone who appears only on
a restricted case, and a tampered choice of that person is refused beside the question."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from cases.models import CaseParty
from cases.models.choices import PartyRole
from cases.services.parties import party_add
from tests.cases.factories import PersonFactory, make_case
from tests.conftest import PASSWORD
from tests.factories import member
from tests.signin import second_factor_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).resolve().parents[1] / "assets" / "axe.min.js").read_text()


def serious_accessibility_problems(page: Page) -> list[str]:
    page.evaluate(AXE)
    result = page.evaluate("async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})")
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_colleague_is_not_offered_a_hidden_person_and_a_tampered_choice_is_refused(
    live_server, page: Page, organisation
):
    staff = member(organisation, Role.STAFF, full_name="Sam Staff")
    officer = member(organisation, Role.OFFICER, full_name="Olivia Officer")
    colleague = member(organisation, Role.OFFICER, email="colin@wch.test", full_name="Colin C")
    restricted = make_case(organisation, staff, assigned_officer=officer, restricted=True)
    hidden = PersonFactory(organisation=organisation, full_name="Hana Hidden", postcode="WD17 1AA")
    party_add(case=restricted, by=officer, role=PartyRole.VICTIM, person=hidden)
    mine = make_case(organisation, staff, assigned_officer=colleague)

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(colleague.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, colleague.email)
    page.goto(f"{live_server.url}/cases/{mine.pk}/parties/add/")
    page.locator("#id_party-role").select_option("witness")
    page.locator("#id_person-full_name").fill("Hana Hidden")
    page.locator("#id_person-postcode").fill("WD17 1AA")
    page.locator("#id_person-tenure").select_option("tenant")
    page.locator("#id_person-full_name").press("Tab")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("person-match")).to_have_count(0)  # nobody is suggested

    # A hand-made choice of the hidden person's id, as a tampered page would send it.
    page.evaluate(
        """id => {
            const radio = document.createElement('input');
            radio.type = 'radio'; radio.name = 'person-match'; radio.value = id;
            radio.checked = true; radio.hidden = true;
            document.querySelector('#person-matches').appendChild(radio);
        }""",
        str(hidden.pk),
    )
    page.get_by_role("button", name="Add to the case").click()
    expect(page.get_by_test_id("person-match-error")).to_have_text(
        "Choose one of the people offered."
    )
    expect(page.locator("#id_person-full_name")).to_have_value("Hana Hidden")
    assert serious_accessibility_problems(page) == []
    assert not CaseParty.objects.filter(case=mine).exists()

    # Choosing a new person, as offered, goes through.
    page.get_by_label("None of these: a new person").check()
    page.get_by_role("button", name="Add to the case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(mine.reference)
    party = CaseParty.objects.get(case=mine)
    assert party.person != hidden and party.person.full_name == "Hana Hidden"
