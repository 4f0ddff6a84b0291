"""Hand-built cases for the dashboard tests: every figure has a known answer."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from cases.models import Case, CaseParty, Incident, IncidentActEntry, IncidentGroundEntry, Person
from cases.models.choices import Category, Channel, PartyRole, Status
from dashboards.filters import DashboardFilters
from deadlines.models import Deadline, DeadlineRule, DeadlineState
from policy.calendar import LONDON

_numbers = itertools.count(1)

# A fixed "now" for every hand-built data set: the figures do not drift with the clock.
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=LONDON)


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def filters_for(organisation, *, date_from=date(2026, 1, 1), date_to=date(2026, 6, 14), **kw):
    return DashboardFilters(
        organisation=organisation,
        date_from=date_from,
        date_to=date_to,
        reporting_year=kw.pop("reporting_year", 2025),
        now=kw.pop("now", NOW),
        **kw,
    )


def make_case(organisation, *, by, received_at: datetime, **fields) -> Case:
    closed_at = fields.pop("closed_at", None)
    category = fields.pop("category", Category.HARASSMENT)
    return Case.objects.create(
        organisation=organisation,
        reference=f"{organisation.code}-T-{next(_numbers):05d}",
        category=category,
        original_category=fields.pop("original_category", category),
        status=Status.CLOSED if closed_at else fields.pop("status", Status.OPEN),
        closed_at=closed_at,
        received_at=received_at,
        channel=fields.pop("channel", Channel.PHONE),
        reporter_type="victim",
        summary="Test case",
        created_by=by,
        **fields,
    )


def make_deadline(
    case,
    *,
    due_at,
    state=DeadlineState.OPEN,
    met_at=None,
    waived_by=None,
    rule=DeadlineRule.W08_FIRST_CONTACT,
    started_at=None,
):
    return Deadline.objects.create(
        case=case,
        organisation_id=case.organisation_id,
        rule=rule,
        clause="W08",
        started_by="Report received",
        started_at=started_at or due_at - timedelta(hours=24),
        due_at=due_at,
        state=state,
        met_at=met_at,
        waived_by=waived_by,
        waived_reason="Not needed" if waived_by else "",
    )


def make_incident(case, *, by, occurred_at, acts=(), grounds=(), location="") -> Incident:
    incident = Incident.objects.create(
        case=case,
        organisation_id=case.organisation_id,
        occurred_at=occurred_at,
        description="x",
        recorded_by=by,
        location=location,
    )
    IncidentActEntry.objects.bulk_create([IncidentActEntry(incident=incident, act=a) for a in acts])
    IncidentGroundEntry.objects.bulk_create(
        [IncidentGroundEntry(incident=incident, ground=g) for g in grounds]
    )
    if grounds:  # as incident_record() keeps it (W04)
        Case.objects.filter(pk=case.pk).update(hate_ground_recorded=True)
    return incident


def add_party(case, role=PartyRole.COMPLAINANT, **person_fields) -> CaseParty:
    person = Person.objects.create(
        organisation=case.organisation,
        full_name=person_fields.pop("full_name", "P"),
        **person_fields,
    )
    return CaseParty.objects.create(case=case, person=person, role=role)


def cells(table) -> dict:
    """A table as {first cell: rest of the row}."""
    return {row[0]: row[1:] for row in table.rows}
