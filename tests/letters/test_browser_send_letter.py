"""Browser journey: the officer sends a letter and is offered only the parties its kind may
be addressed to, with nobody preselected when more than one fits."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from cases.models import CaseParty
from cases.models.choices import PartyRole
from letters.models import Letter, LetterKind
from tests.conftest import PASSWORD, fill_date
from tests.signin import second_factor_step

from .conftest import person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, live_server, user):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, user.email)


def test_send_a_letter_offers_only_the_fitting_recipients_and_preselects_nobody(
    live_server, page: Page, cast, letter_case
):
    case = letter_case.case
    CaseParty.objects.create(
        case=case,
        role=PartyRole.COMPLAINANT,
        person=person(cast.organisation, "Carol Complainant", address="4 Fourth Road"),
    )
    sign_in(page, live_server, cast.officer)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("link", name="Send a letter").click()
    page.locator("#id_kind").select_option(LetterKind.ACKNOWLEDGEMENT)
    to = page.locator("#id_recipient")
    options = to.locator("option").all_inner_texts()
    assert options[0] == "Choose who the letter is to"
    assert sorted(options[1:]) == ["CANARY-VICTIM (victim)", "Carol Complainant (complainant)"]
    expect(to).to_have_value("")

    page.locator("#id_delivery").select_option("post")
    fill_date(page, "id_next_contact_on", date(2030, 1, 7))
    page.get_by_role("button", name="Send the letter").click()
    expect(page.locator("#id_recipient_error")).to_contain_text("Select who the letter is to")
    assert not Letter.objects.filter(case=case).exists()

    page.locator("#id_recipient").select_option(str(letter_case.victim.pk))
    page.get_by_role("button", name="Send the letter").click()
    expect(page.get_by_text("queued for the worker")).to_be_visible()
    letter = Letter.objects.get(case=case)
    assert letter.recipient == letter_case.victim and letter.kind == LetterKind.ACKNOWLEDGEMENT
