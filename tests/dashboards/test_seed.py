"""seed_demo fills the dashboards with a year of cases for both demo organisations, once."""

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from accounts.models import Organisation
from cases import demo as case_files
from cases.models import Case, IncidentActEntry
from dashboards.demo import DEMO_CASES
from deadlines.models import Deadline, DeadlineState
from enforcement.models import EnforcementAction
from letters.models import CaseClosure
from policy.models import PolicySettings
from repairs.models import Repair
from support.models import PlanAction, SafeguardingReferral, SupportReferral
from transfers import demo as panel_demo


@pytest.mark.django_db
def test_seed_demo_writes_a_year_of_cases_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = dict(Case.objects.values_list("organisation__code").annotate(n=Count("pk")).order_by())
    call_command("seed_demo")

    # The generated year, plus the hand-written case files and the panel's demo referrals.
    extra = len(case_files.DEMO_CASES) + len(panel_demo.DEMO_CASES)
    assert counts == {code: n + extra for code, n in DEMO_CASES.items()}
    assert Case.objects.count() == sum(counts.values())  # the second run added none
    states = set(Deadline.objects.values_list("state", flat=True))
    assert states == set(DeadlineState.values)  # met, waived, open and overdue all shown
    assert Deadline.objects.filter(state="met", met_at__gt=F("due_at")).exists()
    assert IncidentActEntry.objects.exists()
    assert Case.objects.filter(course_of_conduct=True).exists()
    # The support, actions, satisfaction and costs sections have something to show.
    assert SupportReferral.objects.filter(referred_at__isnull=False).exists()
    assert SafeguardingReferral.objects.exists()
    assert PlanAction.objects.filter(kind="safety_measure").exists()
    assert EnforcementAction.objects.filter(legal_costs__gt=0).exists()
    assert Repair.objects.filter(cleanup_cost__gt=0).exists()
    assert CaseClosure.objects.filter(satisfaction__isnull=False).exists()
    cah = Organisation.objects.get(code="CAH")
    assert PolicySettings.objects.get(organisation=cah).preset == "circle_anglia_2009"
