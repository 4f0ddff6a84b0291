"""W19 / C05 for every remedy: which wait for a conviction under each policy preset.

WCH (000 §11.2): a tenant or leaseholder faces no legal injunction and no termination of the
tenancy (demotion, possession, a management move) until convicted of an offence related to
the incidents. Both injunctions are legal injunctions: the Housing Act 1996 s153 one and the
civil injunction under the Anti-social Behaviour, Crime and Policing Act 2014. Warnings, an
Acceptable Behaviour Contract and what the police or a criminal court do stay open.
Circle Anglia (004 §2.3, C05): every remedy is open without a conviction.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models.choices import TenancyType
from enforcement.models import Remedy
from enforcement.remedies import CONVICTION_REMEDIES
from enforcement.selectors import enforcement_panel
from enforcement.services import conviction_record, enforcement_action_record
from tests.casework.helpers import add_incident, add_perpetrator, case_with_people

pytestmark = pytest.mark.django_db

WAIT_FOR_CONVICTION = {
    Remedy.INJUNCTION,
    Remedy.CIVIL_INJUNCTION,
    Remedy.DEMOTION,
    Remedy.POSSESSION_GROUND_2,
    Remedy.POSSESSION_GROUND_14,
    Remedy.MANAGEMENT_MOVE,
}


def _setup(cast, preset, remedy):
    case, victim = case_with_people(cast, preset=preset)
    # The tenancy type that the possession ground under test fits, so W19 is the only bar.
    tenancy = TenancyType.SECURE if remedy == Remedy.POSSESSION_GROUND_2 else TenancyType.ASSURED
    party = add_perpetrator(case, cast.officer, tenancy_type=tenancy)
    add_incident(case, cast.officer, [victim, party], hours_ago=30)
    add_incident(case, cast.officer, [victim, party], hours_ago=5)
    return case, party


def _option(case, party, remedy):
    row = next(r for r in enforcement_panel(case=case)["perpetrators"] if r["party"] == party)
    return next(o for o in row["remedies"] if o.remedy == remedy)


def _record(case, cast, party, remedy):
    return enforcement_action_record(
        case=case,
        by=cast.officer,
        party=party,
        remedy=remedy,
        action_date=timezone.localdate(),
        confirmation="Seen by the caretaker." if remedy == Remedy.WRITTEN_WARNING else "",
    )


def test_w19_the_remedies_that_wait_for_a_conviction_are_both_injunctions_and_termination():
    assert set(CONVICTION_REMEDIES) == WAIT_FOR_CONVICTION


@pytest.mark.parametrize("remedy", list(Remedy))
def test_w19_under_wch_each_remedy_waits_for_a_conviction_or_not(cast, remedy):
    case, party = _setup(cast, "wch_2022", remedy)
    option = _option(case, party, remedy)
    if remedy in WAIT_FOR_CONVICTION:
        assert not option.open
        assert any("W19" in reason for reason in option.reasons)
        with pytest.raises(ValidationError) as refused:
            _record(case, cast, party, remedy)
        assert "W19" in " ".join(refused.value.message_dict["remedy"])
        conviction_record(
            case=case,
            by=cast.officer,
            party=party,
            offence="Racially aggravated harassment",
            convicted_on=timezone.localdate() - timedelta(days=3),
        )
        assert _option(case, party, remedy).open
    else:
        assert option.open, option.reasons
    assert _record(case, cast, party, remedy).pk


@pytest.mark.parametrize("remedy", list(Remedy))
def test_c05_under_circle_anglia_each_remedy_is_open_without_a_conviction(cast, remedy):
    case, party = _setup(cast, "circle_anglia_2009", remedy)
    option = _option(case, party, remedy)
    assert option.open, option.reasons
    assert _record(case, cast, party, remedy).pk


def test_w19_civil_injunction_against_someone_without_a_tenancy_is_not_held_to_w19(cast):
    """W19 is about tenants and leaseholders; against anyone else a 2014 Act injunction stays
    a remedy Haven can record (W18 closes only tenancy action)."""
    from cases.models.choices import Tenure

    case, victim = case_with_people(cast, preset="wch_2022")
    party = add_perpetrator(case, cast.officer, tenure=Tenure.NOT_RESIDENT)
    add_incident(case, cast.officer, [victim, party], hours_ago=30)
    add_incident(case, cast.officer, [victim, party], hours_ago=5)
    assert _option(case, party, Remedy.CIVIL_INJUNCTION).open
