from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models.choices import TenancyType, Tenure
from enforcement.models import EnforcementAction, Remedy
from enforcement.remedies import TENANCY_REMEDIES
from enforcement.selectors import enforcement_panel
from enforcement.services import conviction_record, enforcement_action_record
from tests.casework.helpers import add_incident, add_perpetrator, case_with_people

pytestmark = pytest.mark.django_db


def options(case, party, on=None):
    row = next(
        r for r in enforcement_panel(case=case, on=on)["perpetrators"] if r["party"] == party
    )
    return {o.remedy: o for o in row["remedies"]}


def setup(cast, preset, **perp):
    case, victim = case_with_people(cast, preset=preset)
    party = add_perpetrator(case, cast.officer, **perp)
    add_incident(case, cast.officer, [victim, party], hours_ago=30)
    add_incident(case, cast.officer, [victim, party], hours_ago=5)
    return case, victim, party


# An assured tenant: every tenancy remedy but possession on Ground 2 (secure tenancies) applies.
ASSURED_REMEDIES = TENANCY_REMEDIES - {Remedy.POSSESSION_GROUND_2}


def test_w19_same_perpetrator_under_wch_needs_a_conviction_for_tenancy_remedies(cast):
    case, victim, party = setup(cast, "wch_2022", tenancy_type=TenancyType.ASSURED)
    before = options(case, party)
    for remedy in TENANCY_REMEDIES:
        assert not before[remedy].open
        assert "W19" in before[remedy].reasons[0]
    assert before[Remedy.VERBAL_WARNING].open
    with pytest.raises(ValidationError) as refused:
        enforcement_action_record(
            case=case,
            by=cast.officer,
            party=party,
            remedy=Remedy.DEMOTION,
            action_date=timezone.localdate(),
        )
    assert "W19" in refused.value.message_dict["remedy"][0]
    conviction_record(
        case=case,
        by=cast.officer,
        party=party,
        offence="Racially aggravated harassment",
        convicted_on=timezone.localdate() - timedelta(days=3),
    )
    after = options(case, party)
    assert all(after[remedy].open for remedy in ASSURED_REMEDIES)
    assert not after[Remedy.POSSESSION_GROUND_2].open


def test_w19_c05_same_perpetrator_under_circle_anglia_is_open_at_once(cast):
    case, victim, party = setup(cast, "circle_anglia_2009", tenancy_type=TenancyType.ASSURED)
    now = options(case, party)
    assert all(now[remedy].open for remedy in ASSURED_REMEDIES)
    action = enforcement_action_record(
        case=case,
        by=cast.officer,
        party=party,
        remedy=Remedy.POSSESSION_GROUND_14,
        action_date=timezone.localdate(),
        status="applied",
        legal_costs=1250,
        other_costs=80,
    )
    assert action.pk


def test_w18_no_tenancy_remedy_against_a_non_resident(cast):
    case, victim, party = setup(cast, "circle_anglia_2009", tenure=Tenure.NOT_RESIDENT)
    now = options(case, party)
    for remedy in TENANCY_REMEDIES:
        assert not now[remedy].open
        assert "W18" in now[remedy].reasons[0]
    assert now[Remedy.RESTRAINING_ORDER].open
    assert now[Remedy.WRITTEN_WARNING].open


def test_c25_no_injunction_under_18_from_date_of_birth_at_the_application_date(cast):
    today = timezone.localdate()
    eighteenth = today + timedelta(days=10)
    if (eighteenth.month, eighteenth.day) == (2, 29):  # no 29 Feb eighteen years earlier
        eighteenth += timedelta(days=1)
    dob = date(eighteenth.year - 18, eighteenth.month, eighteenth.day)
    case, victim, party = setup(cast, "circle_anglia_2009", dob=dob)
    assert not options(case, party)[Remedy.INJUNCTION].open
    with pytest.raises(ValidationError):
        enforcement_action_record(
            case=case, by=cast.officer, party=party, remedy=Remedy.INJUNCTION, action_date=today
        )
    assert not options(case, party, on=eighteenth - timedelta(days=1))[Remedy.INJUNCTION].open
    assert options(case, party, on=eighteenth)[Remedy.INJUNCTION].open
    # An application proposed for the 18th birthday is allowed.
    action = enforcement_action_record(
        case=case,
        by=cast.officer,
        party=party,
        remedy=Remedy.INJUNCTION,
        action_date=eighteenth,
        with_notice=False,
        power_of_arrest=True,
        legal_costs=900,
    )
    assert (action.with_notice, action.power_of_arrest) == (False, True)


def test_c24_written_warning_only_with_some_confirmation(client, cast):
    case, victim, party = setup(cast, "wch_2022")
    client.force_login(cast.officer)
    url = reverse("enforcement:action_new", args=[case.pk])
    data = {
        "party": party.pk,
        "remedy": "written_warning",
        "status": "applied",
        "action_date": timezone.localdate().isoformat(),
        "confirmation": "",
        "with_notice": "unknown",
        "legal_costs": "0",
        "other_costs": "0",
        "notes": "",
    }
    refused = client.post(url, data)
    assert "No written warning without some confirmation" in refused.content.decode()
    assert not EnforcementAction.objects.exists()
    response = client.post(url, {**data, "confirmation": "Neighbour at no. 4 witnessed it"})
    assert response.status_code == 302
    assert EnforcementAction.objects.get().remedy == "written_warning"


def test_c09_legal_remedies_flagged_with_only_one_non_hate_incident(cast):
    case, victim = case_with_people(cast, preset="circle_anglia_2009")
    party = add_perpetrator(case, cast.officer)
    add_incident(case, cast.officer, [victim, party])
    one = options(case, party)
    assert any("C09" in w for w in one[Remedy.CIVIL_INJUNCTION].warnings)
    assert not one[Remedy.VERBAL_WARNING].warnings
    hate, hate_victim = case_with_people(cast, preset="circle_anglia_2009", category="hate_crime")
    hate_party = add_perpetrator(hate, cast.officer, full_name="Harry Hate")
    add_incident(hate, cast.officer, [hate_victim, hate_party])
    assert not options(hate, hate_party)[Remedy.CIVIL_INJUNCTION].warnings


def test_c25_external_costs_recorded_per_action_and_totalled(client, cast):
    case, victim, party = setup(cast, "circle_anglia_2009")
    enforcement_action_record(
        case=case,
        by=cast.officer,
        party=party,
        remedy=Remedy.CIVIL_INJUNCTION,
        action_date=timezone.localdate(),
        legal_costs=1500,
        other_costs=120,
    )
    enforcement_action_record(
        case=case,
        by=cast.officer,
        party=party,
        remedy=Remedy.MANAGEMENT_MOVE,
        action_date=timezone.localdate(),
        other_costs=300,
    )
    client.force_login(cast.officer)
    page = client.get(reverse("enforcement:remedies", args=[case.pk])).content.decode()
    assert "legal £1500.00, other £420.00" in page


@pytest.mark.parametrize(
    ("tenure", "tenancy_type", "ground_2", "ground_14"),
    [
        (Tenure.TENANT, TenancyType.SECURE, True, False),
        (Tenure.TENANT, TenancyType.FLEXIBLE, True, False),
        (Tenure.TENANT, TenancyType.ASSURED, False, True),
        (Tenure.JV_TENANT, TenancyType.ASSURED_SHORTHOLD, False, True),
        (Tenure.TENANT, TenancyType.INTRODUCTORY, False, False),
        (Tenure.TENANT, TenancyType.NOT_KNOWN, False, False),
        (Tenure.LEASEHOLDER, TenancyType.NOT_KNOWN, False, False),
    ],
)
def test_c25_possession_ground_2_for_secure_and_ground_14_for_assured_tenancies(
    cast, tenure, tenancy_type, ground_2, ground_14
):
    case, victim, party = setup(
        cast, "circle_anglia_2009", tenure=tenure, tenancy_type=tenancy_type
    )
    now = options(case, party)
    assert now[Remedy.POSSESSION_GROUND_2].open is ground_2
    assert now[Remedy.POSSESSION_GROUND_14].open is ground_14
    for remedy in (Remedy.POSSESSION_GROUND_2, Remedy.POSSESSION_GROUND_14):
        if not now[remedy].open:
            reason = now[remedy].reasons[0]
            assert "C25" in reason
            if tenure == Tenure.LEASEHOLDER:
                assert "a lease is not a tenancy" in reason
            elif not tenancy_type:
                assert "record the type" in reason


def test_c25_a_household_member_answers_through_the_holders_tenancy_type(cast):
    case, victim = case_with_people(cast, preset="circle_anglia_2009")
    holder = add_perpetrator(
        case, cast.officer, full_name="Tina Tenant", tenancy_type=TenancyType.SECURE
    ).person
    son = add_perpetrator(
        case,
        cast.officer,
        full_name="Sam Son",
        tenure=Tenure.HOUSEHOLD_MEMBER,
        tenancy_holder=holder,
    )
    now = options(case, son)
    assert now[Remedy.POSSESSION_GROUND_2].open
    assert "Ground 14 is for assured tenancies" in now[Remedy.POSSESSION_GROUND_14].reasons[0]
    with pytest.raises(ValidationError):
        enforcement_action_record(
            case=case,
            by=cast.officer,
            party=son,
            remedy=Remedy.POSSESSION_GROUND_14,
            action_date=timezone.localdate(),
        )
