"""Browser journey: a manager finds the person, records their subject access request, reads
the bundle the worker prepared (third parties withheld), releases it and downloads the PDF."""

import pytest
from playwright.sync_api import Page, expect

from subject_access.models import SubjectAccessDownload, SubjectAccessRequest, SubjectAccessStatus
from tests.conftest import PASSWORD
from tests.signin import second_factor_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_records_reviews_and_releases_a_subject_access_request(
    live_server, page: Page, cast, world
):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(cast.manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, cast.manager.email)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("button", name="Organisation").click()
    nav.get_by_role("link", name="Subject access and rectification").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Subject access and rectification")

    page.get_by_label("Name of the person making the request").fill("Sid")
    page.get_by_role("button", name="Find").click()
    found = page.get_by_test_id("people-found")
    expect(found).to_contain_text("Sid Subject")
    assert "Sid" not in page.url  # the name is posted, never in the address
    found.get_by_role("link", name="Subject access").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Record a subject access request")
    page.get_by_label("How you confirmed their identity").fill("Passport seen at the office")
    page.get_by_role("button", name="Record the request").click()

    # The worker (eager in tests) has prepared it: the manager reads it before releasing.
    expect(page.get_by_test_id("state")).to_have_text("Ready for review")
    bundle = page.get_by_test_id("bundle")
    expect(bundle).to_contain_text("Sid Subject")
    expect(bundle).to_contain_text("Sid denied it")
    expect(bundle).to_contain_text("[withheld]")
    expect(bundle).not_to_contain_text("CANARY")
    expect(bundle).to_contain_text("1 staff note not disclosed")

    # Releasing without confirming the review is refused in the error summary and beside the
    # field, the note kept.
    page.get_by_label("How it goes to the person").fill("Handed over at the office")
    page.get_by_role("button", name="Release the bundle").click()
    refusal = "Confirm you have read the whole bundle before releasing it."
    expect(page.locator("[data-error-summary]").get_by_role("link", name=refusal)).to_be_visible()
    expect(page.get_by_text(refusal)).to_have_count(2)
    expect(page.get_by_label("How it goes to the person")).to_have_value(
        "Handed over at the office"
    )
    page.get_by_label(
        "I have read the whole bundle and other people's details are withheld"
    ).check()
    page.get_by_role("button", name="Release the bundle").click()
    expect(page.get_by_test_id("state")).to_have_text("Released to the person")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF bundle").click()
    request = SubjectAccessRequest.objects.get()
    assert download.value.suggested_filename == f"{request.reference}.pdf"
    assert request.status == SubjectAccessStatus.RELEASED
    assert (
        SubjectAccessDownload.objects.filter(
            request=request, user=cast.manager, after_release=True
        ).count()
        == 1
    )
    expect(page.get_by_test_id("sar-audit")).to_contain_text("Released to the person")
