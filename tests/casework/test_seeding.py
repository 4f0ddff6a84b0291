import pytest
from django.core.management import call_command

from accounts.models import Organisation, Role
from risk.models import QuestionSet
from support.models import Agency
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_the_risk_matrix_and_w12_agencies_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (QuestionSet.objects.count(), Agency.objects.count())
    call_command("seed_demo")
    assert (QuestionSet.objects.count(), Agency.objects.count()) == counts
    for organisation in Organisation.objects.all():
        assert QuestionSet.objects.filter(organisation=organisation).count() == 1
        names = set(organisation.agencies.values_list("name", flat=True))
        assert {
            "Victim Support",
            "HPFT Wellbeing Service",
            "MIND",
            "Mencap",
            "Age Concern",
        } <= names


def test_an_organisation_created_in_the_admin_gets_the_matrix_and_agencies(client):
    superuser = member(Organisation.objects.create(name="Seed Org", code="SEED"), Role.ORG_ADMIN)
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    response = client.post(
        "/admin/accounts/organisation/add/",
        {
            "name": "New Homes",
            "code": "NEW",
            "homes_owned": "100",
            "created_at_0": "2026-11-23",
            "created_at_1": "10:00:00",
            "areas-TOTAL_FORMS": "0",
            "areas-INITIAL_FORMS": "0",
            "areas-MIN_NUM_FORMS": "0",
            "areas-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    created = Organisation.objects.get(code="NEW")
    assert QuestionSet.objects.filter(organisation=created).exists()
    assert Agency.objects.filter(organisation=created, name="Victim Support").exists()
