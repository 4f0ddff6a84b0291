"""Signed-in pages and downloads of case data are never stored by a browser or a proxy."""

import pytest
from django.urls import reverse

from cases.models import CaseParty
from cases.models.choices import PartyRole
from tests.cases.factories import PersonFactory, make_case

pytestmark = pytest.mark.django_db


def assert_not_stored(response):
    assert "no-store" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


@pytest.fixture
def case(cast):
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    vera = PersonFactory(organisation=cast.organisation, full_name="Vera Victim")
    CaseParty.objects.create(case=case, role=PartyRole.VICTIM, person=vera)
    return case


@pytest.mark.parametrize("name", ["cases:detail", "cases:audit", "cases:person", "cases:list"])
def test_no_store_on_the_case_page_person_page_audit_trail_and_list(client, cast, case, name):
    client.force_login(cast.manager)
    args = {
        "cases:detail": [case.pk],
        "cases:audit": [case.pk],
        "cases:person": [case.parties.get().person_id],
        "cases:list": [],
    }[name]
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert_not_stored(response)


def test_no_store_on_an_evidence_download_keeps_the_views_own_header(
    client, cast, case, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    client.force_login(cast.officer)
    client.post(
        reverse("cases:evidence_add", args=[case.pk]),
        {
            "file": SimpleUploadedFile("door.png", png, content_type="image/png"),
            "kind": "photo",
            "description": "The door",
        },
    )
    evidence = case.evidence.get()
    response = client.get(reverse("cases:evidence_download", args=[case.pk, evidence.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Pragma"] == "no-cache"


def test_no_store_on_pages_for_signed_out_visitors_too(client):
    """The sign-in page and the redirect to it: nothing is kept either."""
    assert_not_stored(client.get(reverse("login")))
    redirect = client.get(reverse("cases:list"))
    assert redirect.status_code == 302
    assert_not_stored(redirect)


def test_no_store_leaves_a_views_own_cache_control_alone():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from system.middleware import NoStoreMiddleware

    def cacheable(request):
        response = HttpResponse("public")
        response["Cache-Control"] = "public, max-age=60"
        return response

    response = NoStoreMiddleware(cacheable)(RequestFactory().get("/"))
    assert response["Cache-Control"] == "public, max-age=60"
    assert not response.has_header("Pragma")
