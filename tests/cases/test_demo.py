import pytest
from django.core.management import call_command

from cases.models import Case, Person

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_demo_cases_for_both_organisations_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (Case.objects.count(), Person.objects.count())
    call_command("seed_demo")
    assert counts == (Case.objects.count(), Person.objects.count())
    by_org = set(Case.objects.values_list("organisation__code", flat=True))
    assert by_org == {"WCH", "CAH"}
    assert Case.objects.filter(course_of_conduct=True).count() == 2
    assert (
        Case.objects.filter(category="hate_incident", original_category="harassment").count() == 2
    )
    assert not Case.objects.filter(assigned_officer__isnull=True).exists()


def test_demo_officer_sees_and_opens_the_demo_cases(client, settings):
    from accounts.models import User

    settings.DEBUG = True
    call_command("seed_demo")
    officer = User.objects.get(email="officer@wch.example")
    client.force_login(officer)
    page = client.get("/cases/?scope=all").context["page"]
    # Every WCH demo case (the case files and the panel's demo referrals) is open to them.
    assert len(page) == Case.objects.filter(organisation__code="WCH").count() >= 3
    for case in page:
        assert case.risk_level == "high"
        assert client.get(f"/cases/{case.pk}/").status_code == 200
