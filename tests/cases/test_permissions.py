"""Every cases view tried by each member of the fixed cast (and by nobody signed in)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseParty
from cases.services.evidence import evidence_attach
from cases.services.records import incident_record
from tests.cases.factories import PersonFactory, make_case
from tests.cases.test_records import PNG

pytestmark = pytest.mark.django_db

ROLES = ["staff", "officer", "manager", "panel", "admin", "outsider"]
LOGGERS = dict(zip(ROLES, [200, 200, 200, 403, 200, 200], strict=True))
VIEWERS = dict(zip(ROLES, [200, 200, 200, 403, 200, 404], strict=True))
WORKERS = dict(zip(ROLES, [403, 200, 200, 403, 403, 404], strict=True))
MANAGERS = dict(zip(ROLES, [403, 403, 200, 403, 200, 404], strict=True))
DOWNLOADERS = dict(zip(ROLES, [403, 200, 200, 403, 200, 404], strict=True))

MATRIX = [
    ("list", lambda w: reverse("cases:list"), LOGGERS),
    ("log", lambda w: reverse("cases:log"), LOGGERS),
    ("detail", lambda w: reverse("cases:detail", args=[w["case"].pk]), VIEWERS),
    ("edit", lambda w: reverse("cases:edit", args=[w["case"].pk]), WORKERS),
    ("recategorise", lambda w: reverse("cases:recategorise", args=[w["case"].pk]), WORKERS),
    ("party_add", lambda w: reverse("cases:party_add", args=[w["case"].pk]), WORKERS),
    ("incident_add", lambda w: reverse("cases:incident_add", args=[w["case"].pk]), WORKERS),
    (
        "incident_parties",
        lambda w: reverse("cases:incident_parties", args=[w["case"].pk, w["incident"].pk]),
        WORKERS,
    ),
    (
        "incident_edit",
        lambda w: reverse("cases:incident_edit", args=[w["case"].pk, w["incident"].pk]),
        WORKERS,
    ),
    ("contact_add", lambda w: reverse("cases:contact_add", args=[w["case"].pk]), WORKERS),
    ("note_add", lambda w: reverse("cases:note_add", args=[w["case"].pk]), WORKERS),
    ("evidence_add", lambda w: reverse("cases:evidence_add", args=[w["case"].pk]), WORKERS),
    ("person", lambda w: reverse("cases:person", args=[w["person"].pk]), WORKERS),
    ("person_edit", lambda w: reverse("cases:person_edit", args=[w["person"].pk]), WORKERS),
    ("reassign", lambda w: reverse("cases:reassign", args=[w["case"].pk]), MANAGERS),
    ("restrict", lambda w: reverse("cases:restrict", args=[w["case"].pk]), MANAGERS),
    ("audit", lambda w: reverse("cases:audit", args=[w["case"].pk]), MANAGERS),
    (
        "evidence_download",
        lambda w: reverse("cases:evidence_download", args=[w["case"].pk, w["evidence"].pk]),
        DOWNLOADERS,
    ),
]


@pytest.fixture
def world(cast):
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    person = PersonFactory(organisation=cast.organisation)
    CaseParty.objects.create(case=case, person=person, role="victim")
    evidence = evidence_attach(
        case=case,
        by=cast.officer,
        upload=SimpleUploadedFile("x.png", PNG),
        kind="photo",
        description="Door",
    )
    incident = incident_record(
        case=case,
        by=cast.officer,
        occurred_at=timezone.now() - timedelta(hours=3),
        description="Shouting",
        acts=["verbal_abuse"],
    )
    return {"case": case, "person": person, "evidence": evidence, "incident": incident}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "make_url", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_permission_matrix(client, cast, world, role, name, make_url, expected):
    client.force_login(cast.by_role()[role])
    assert client.get(make_url(world)).status_code == expected[role]


@pytest.mark.parametrize(("name", "make_url", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_signed_out_visitors_are_sent_to_sign_in(client, world, name, make_url, expected):
    response = client.get(make_url(world))
    assert response.status_code == 302 and response.url.startswith("/login/")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", 403),
        ("officer", 302),
        ("manager", 302),
        ("panel", 403),
        ("admin", 403),
        ("outsider", 404),
    ],
)
def test_permission_matrix_party_remove(client, cast, world, role, expected):
    party = CaseParty.objects.create(
        case=world["case"], role="perpetrator", perpetrator_kind="unknown"
    )
    client.force_login(cast.by_role()[role])
    url = reverse("cases:party_remove", args=[world["case"].pk, party.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == expected
    assert CaseParty.objects.filter(pk=party.pk).exists() == (expected != 302)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", 403),
        ("officer", 302),
        ("manager", 302),
        ("panel", 403),
        ("admin", 403),
        ("outsider", 404),
    ],
)
def test_permission_matrix_incident_edit_post(client, cast, world, role, expected):
    incident = world["incident"]
    client.force_login(cast.by_role()[role])
    response = client.post(
        reverse("cases:incident_edit", args=[world["case"].pk, incident.pk]),
        {
            "occurred_at": timezone.localtime(incident.occurred_at).strftime("%Y-%m-%dT%H:%M"),
            "description": "Shouting",
            "acts": ["graffiti"],
            "police_reported": "unknown",
            "version": incident.version,
            "reason": "Wrong act recorded",
        },
    )
    assert response.status_code == expected
    acts = set(incident.acts.values_list("act", flat=True))
    assert acts == ({"graffiti"} if expected == 302 else {"verbal_abuse"})


def test_outsider_list_shows_none_of_our_cases(client, cast, world):
    client.force_login(cast.outsider)
    assert list(client.get(reverse("cases:list")).context["page"]) == []


def test_outsider_cannot_post_to_our_case(client, cast, world):
    client.force_login(cast.outsider)
    response = client.post(reverse("cases:note_add", args=[world["case"].pk]), {"text": "x"})
    assert response.status_code == 404
    assert not world["case"].notes.exists()
