"""Browser: an officer attaches evidence while the document store is full, is told beside
the file field with the description kept, and attaches it once space has returned."""

import errno

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from cases.models import Evidence
from tests.cases.factories import make_case
from tests.conftest import PASSWORD
from tests.factories import member
from tests.signin import second_factor_step
from tests.storage_faults import files_under, use_storage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n" + b"0" * 2048


def test_an_upload_to_a_full_store_is_refused_beside_the_field_and_works_once_space_returns(
    live_server, page: Page, organisation, settings, tmp_path
):
    staff = member(organisation, Role.STAFF, email="sam@wch.test")
    officer = member(organisation, Role.OFFICER, email="olivia@wch.test")
    case = make_case(organisation, staff, assigned_officer=officer)
    private = tmp_path / "private"
    use_storage(settings, private, refuse=errno.ENOSPC)

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(officer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    second_factor_step(page, officer.email)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_role("link", name="Attach evidence").click()
    page.get_by_label("Kind").select_option("document")
    page.get_by_label("Description").fill("Noise diary kept by the complainant")
    files = {"name": "diary.pdf", "mimeType": "application/pdf", "buffer": PDF}
    page.get_by_label("File").set_input_files(files)
    page.get_by_role("button", name="Save").click()

    # Beside the file field, the description kept, nothing stored.
    feedback = page.locator("#id_file_error")
    expect(feedback.first).to_contain_text("The document store is full")
    expect(page.get_by_label("Description")).to_have_value("Noise diary kept by the complainant")
    assert Evidence.objects.count() == 0 and files_under(private) == []

    use_storage(settings, private)  # space returns
    page.get_by_label("File").set_input_files(files)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Evidence attached.")).to_be_visible()
    (evidence,) = Evidence.objects.all()
    assert files_under(private) == [private / evidence.file.name]
