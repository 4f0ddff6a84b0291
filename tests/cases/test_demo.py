import pytest
from django.core.management import call_command

from cases.demo import DEMO_CASES
from cases.models import Case, Person

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_demo_cases_for_both_organisations_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (Case.objects.count(), Person.objects.count())
    call_command("seed_demo")
    assert counts == (Case.objects.count(), Person.objects.count())
    # The hand-written case files (beside the generated history for the dashboards).
    files = Case.objects.filter(summary__in=[spec.summary for spec in DEMO_CASES])
    assert files.count() == 2 * len(DEMO_CASES)
    by_org = set(files.values_list("organisation__code", flat=True))
    assert by_org == {"WCH", "CAH"}
    assert files.filter(course_of_conduct=True).count() == 2
    assert files.filter(category="hate_incident", original_category="harassment").count() == 2
    assert not files.filter(assigned_officer__isnull=True).exists()


def test_demo_officer_sees_and_opens_the_demo_cases(client, settings):
    from accounts.models import User

    settings.DEBUG = True
    call_command("seed_demo")
    officer = User.objects.get(email="officer@wch.example")
    client.force_login(officer)
    page = client.get("/cases/?scope=all").context["page"]
    # Every WCH demo case (case files, panel referrals, a year of history) is open to them.
    assert page.paginator.count == Case.objects.filter(organisation__code="WCH").count() > 100
    files = Case.objects.filter(
        organisation__code="WCH", summary__in=[spec.summary for spec in DEMO_CASES]
    )
    for case in files:
        assert case.risk_level == "high"
        assert client.get(f"/cases/{case.pk}/").status_code == 200
