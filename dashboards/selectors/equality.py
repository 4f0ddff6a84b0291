"""Equality monitoring of complainants, victims and perpetrators (C27, W22).

Each person is counted once per role, among the people on cases received in the period.
Every count goes through ``suppression.suppress`` here, before any page, chart or CSV sees
it. No totals are shown: with one cell suppressed, a total would give it away.
"""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models import Case as Conditional
from django.db.models import CharField, Count, Q, Value, When

from cases.models import CaseParty
from cases.models.choices import (
    Ethnicity,
    Gender,
    MaritalStatus,
    PartyRole,
    Religion,
    SexualOrientation,
    YesNoPrefer,
)

from ..filters import DashboardFilters
from ..suppression import THRESHOLD, suppress
from ..tables import Table

ROLES = (PartyRole.COMPLAINANT, PartyRole.VICTIM, PartyRole.PERPETRATOR)

CHARACTERISTICS = (
    ("gender", "Gender", Gender),
    ("gender_same_as_birth", "Gender identity the same as sex registered at birth", YesNoPrefer),
    ("ethnicity", "Ethnicity", Ethnicity),
    ("religion", "Religion or belief", Religion),
    ("sexual_orientation", "Sexual orientation", SexualOrientation),
    ("disability", "Disability", YesNoPrefer),
    ("marital_status", "Marriage or civil partnership", MaritalStatus),
    ("pregnant_or_maternity", "Pregnancy or maternity", YesNoPrefer),
)

AGE_BANDS = (
    ("under_18", "Under 18", 0, 18),
    ("18_24", "18 to 24", 18, 25),
    ("25_34", "25 to 34", 25, 35),
    ("35_44", "35 to 44", 35, 45),
    ("45_54", "45 to 54", 45, 55),
    ("55_64", "55 to 64", 55, 65),
    ("65_plus", "65 or over", 65, None),
)
NOT_RECORDED = ("", "Not recorded")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_band(on: date):
    """Age on the last day of the period, as a band, computed in SQL from date of birth."""
    whens = [When(person__date_of_birth__isnull=True, then=Value(""))]
    for key, _label, _low, high in AGE_BANDS:
        if high is not None:
            whens.append(When(person__date_of_birth__gt=_years_before(on, high), then=Value(key)))
    return Conditional(*whens, default=Value("65_plus"), output_field=CharField())


def _parties(filters: DashboardFilters):
    return CaseParty.objects.filter(
        filters.case_q("case__"),
        filters.received_q("case__"),
        role__in=ROLES,
        person__isnull=False,
    )


def _table(slug: str, title: str, choices: list[tuple[str, str]], counts: dict) -> Table:
    rows = [
        [label, *[suppress(counts.get((role.value, value), 0)) for role in ROLES]]
        for value, label in choices
    ]
    return Table(
        slug=slug,
        title=title,
        columns=["", *[f"{role.label}s" for role in ROLES]],
        rows=rows,
        note=f"People counted once per role. Any count below {THRESHOLD} is shown as "
        "“fewer than 5” so no one can be identified.",
    )


def equality_by(*, filters: DashboardFilters, characteristic: str) -> Table:
    """One protected characteristic, by role."""
    field, title, choices = next(c for c in CHARACTERISTICS if c[0] == characteristic)
    counts = equality_counts(filters)[field]
    return _table(f"equality-{field.replace('_', '-')}", title, list(choices.choices), counts)


def equality_by_age(*, filters: DashboardFilters) -> Table:
    counts = equality_counts(filters)[AGE]
    choices = [(key, label) for key, label, *_ in AGE_BANDS] + [NOT_RECORDED]
    return _table("equality-age", "Age", choices, counts)


AGE = "age_band"


def equality_counts(filters: DashboardFilters) -> dict[str, dict[tuple[str, str], int]]:
    """{characteristic or "age_band": {(role, value): people}}, computed once per dashboard
    for all nine breakdowns. On PostgreSQL one query reads the period's parties once and
    groups them nine ways (``GROUPING SETS``); elsewhere, one grouped query per breakdown."""

    def compute():
        if connection.vendor == "postgresql":
            return _counts_in_one_pass(filters)
        return {field: _counts_of(filters, field) for field in (*FIELDS, AGE)}

    return filters.shared("equality_counts", compute)


FIELDS = tuple(field for field, _title, _choices in CHARACTERISTICS)


def _counts_of(filters: DashboardFilters, field: str) -> dict[tuple[str, str], int]:
    parties = _parties(filters)
    if field == AGE:
        parties, column = parties.annotate(band=_age_band(filters.date_to)), "band"
    else:
        column = f"person__{field}"
    return {
        (row["role"], row[column]): row["n"]
        for row in parties.values("role", column)
        .annotate(n=Count("person", distinct=True))
        .order_by()
    }


def _counts_in_one_pass(filters: DashboardFilters) -> dict[str, dict[tuple[str, str], int]]:
    """Each person once per role (the ``DISTINCT`` pairs, scoped by the same ORM filter as
    every other figure), joined to their equality data once, and counted by each
    characteristic in one ``GROUPING SETS`` aggregate: a few hundred rows come back."""
    people = (
        _parties(filters)
        .annotate(band=_age_band(filters.date_to))
        .values("role", "person_id", *[f"person__{field}" for field in FIELDS], "band")
        .distinct()
        .order_by()
    )
    inner, params = people.query.sql_with_params()
    names = ["role", "person_id", *FIELDS, AGE]
    grouped = [*FIELDS, AGE]
    # Only this module's column names are formatted in; the values are the ORM's parameters.
    flags = ", ".join(f"GROUPING({name})" for name in grouped)
    sets = ", ".join(f"(role, {name})" for name in grouped)
    sql = (
        f"SELECT role, {flags}, {', '.join(grouped)}, COUNT(*) "  # noqa: S608
        f"FROM ({inner}) AS people ({', '.join(names)}) GROUP BY GROUPING SETS ({sets})"
    )
    found: dict[str, dict[tuple[str, str], int]] = {name: {} for name in grouped}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for role, *rest in cursor.fetchall():  # 3 roles x the values of 9 breakdowns
            grouping, values, n = rest[: len(grouped)], rest[len(grouped) : -1], rest[-1]
            i = grouping.index(0)  # the one characteristic this row is grouped by
            found[grouped[i]][(role, values[i])] = n
    return found


def unnamed_perpetrators(*, filters: DashboardFilters) -> Table:
    """Perpetrators recorded as unknown or a group have no equality data: say how many."""
    found = CaseParty.objects.filter(
        filters.case_q("case__"),
        filters.received_q("case__"),
        role=PartyRole.PERPETRATOR,
        person__isnull=True,
    ).aggregate(
        unknown=Count("pk", filter=Q(perpetrator_kind="unknown") | Q(perpetrator_kind="")),
        group=Count("pk", filter=Q(perpetrator_kind="group")),
    )
    return Table(
        slug="equality-unnamed-perpetrators",
        title="Perpetrators without a person on file",
        columns=["", "Perpetrators"],
        rows=[
            ["Unknown person", suppress(found["unknown"])],
            ["Group", suppress(found["group"])],
        ],
    )
