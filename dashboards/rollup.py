"""The dashboard's figures counted ahead per organisation and month, so a cold view reads a
few thousand counted rows instead of a year's deadlines and incidents.

How it stays right:

- ``rollup_rebuild`` recounts an organisation's whole months from the facts themselves, in
  grouped SQL (one grouped query per fact and filter dimension), and replaces the old rows in
  one transaction. Beat runs it before warming the dashboards (dashboards.cache), every few
  minutes. A full recount was chosen over counts kept by every service that changes a
  fact: a deadline is met, waived or swept overdue, a case changes officer, area or
  category, an incident's acts are corrected, each in a different app and some by bulk
  ``update()``; one recount in one place cannot miss any of them.
- The month the rebuild ran in (and any later one) is never taken from the rows: its facts
  are still arriving. Nor are the ragged days at either end of a period that does not start
  on the 1st or end on a month's last day. Those are counted from the facts, as before, by
  the same query limited to those days (``Split.edges``).
- Rows are counted for the whole organisation and for each area, officer and category
  alone. A dashboard filtered by two of them at once (rare) is counted from the facts.
- With no rebuild yet (a new installation, the tests' own data), every figure is counted
  from the facts.

So whole months are as fresh as the last rebuild (at most HAVEN_DASHBOARD_WARM_SECONDS old,
the same as the cached page already was), and every other day is live.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Case as Conditional
from django.db.models import CharField, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, TruncMonth
from django.utils import timezone

from cases.models import Case, IncidentActEntry, IncidentGroundEntry
from cases.models.choices import HATE_CATEGORIES, OPEN_STATUSES
from deadlines.models import LIVE_STATES, Deadline, DeadlineState
from policy.calendar import LONDON
from support.models import PlanAction, SupportReferral

from .filters import DashboardFilters, london_midnight
from .models import Dimension, MonthlyCount, Rollup


def month_start(moment: datetime) -> datetime:
    local = moment.astimezone(LONDON)
    return london_midnight(date(local.year, local.month, 1))


def _next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


@dataclass(frozen=True)
class Split:
    """A period as the whole months read from the rows (``months_from`` to ``months_to``,
    end exclusive; none when both are ``None``) and the stretches counted from the facts."""

    months_from: datetime | None
    months_to: datetime | None
    edges: tuple[tuple[datetime, datetime], ...]
    dimension: str = ""
    value: str = ""

    def edges_q(self, field: str) -> Q:
        """The facts whose ``field`` falls in the stretches counted directly."""
        q = Q(pk__in=[])
        for start, end in self.edges:
            q |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
        return q


def _dimension(filters: DashboardFilters) -> tuple[str, str] | None:
    chosen = [
        (Dimension.AREA, filters.area.pk if filters.area is not None else None),
        (Dimension.OFFICER, filters.officer.pk if filters.officer is not None else None),
        (Dimension.CATEGORY, filters.category or None),
    ]
    chosen = [(dimension, value) for dimension, value in chosen if value is not None]
    if not chosen:
        return Dimension.ALL, ""
    if len(chosen) == 1:
        return chosen[0][0], str(chosen[0][1])
    return None


def split(filters: DashboardFilters) -> Split:
    """Which of the period's days are read from the monthly rows. The organisation's
    ``Rollup`` is read once per dashboard."""
    whole = Split(None, None, ((filters.start, filters.end),))
    rollup = filters.shared(
        "rollup", lambda: Rollup.objects.filter(organisation=filters.organisation).first()
    )
    dimension = _dimension(filters)
    if rollup is None or dimension is None:
        return whole
    first = filters.date_from if filters.date_from.day == 1 else _next_month(filters.date_from)
    day_after = filters.date_to + timedelta(days=1)
    # The month after the last whole one: the period's last month is whole when it ends on
    # the month's last day.
    after_last = day_after if day_after.day == 1 else filters.date_to.replace(day=1)
    months_from = london_midnight(first)
    # Never a month after the dashboard's own now: its live deadlines are not all overdue.
    months_to = min(london_midnight(after_last), rollup.covers_before, month_start(filters.now))
    if months_from >= months_to:
        return whole
    edges = tuple(
        (start, end)
        for start, end in ((filters.start, months_from), (months_to, filters.end))
        if start < end
    )
    return Split(months_from, months_to, edges, *dimension)


def _whole_months(filters: DashboardFilters, fact: str, period: Split):
    """The counted rows of ``fact`` for the whole months of ``period``, in its dimension."""
    return MonthlyCount.objects.filter(
        organisation=filters.organisation,
        fact=fact,
        dimension=period.dimension,
        value=period.value,
        month__gte=period.months_from,
        month__lt=period.months_to,
    )


def monthly_counts(filters: DashboardFilters, fact: str, period: Split) -> dict[tuple, int]:
    """{(key, detail): count} of ``fact`` over the whole months of ``period``."""
    if period.months_from is None:
        return {}
    return {
        (row["key"], row["detail"]): row["total"]
        for row in _whole_months(filters, fact, period)
        .values("key", "detail")
        .annotate(total=Sum("n"))
        .order_by()
    }


def monthly_counts_by_month(
    filters: DashboardFilters, fact: str, period: Split
) -> dict[tuple[datetime, str], int]:
    """{(month's first moment, key): count} of ``fact`` in each whole month of ``period``."""
    if period.months_from is None:
        return {}
    return {
        (month, key): n
        for month, key, n in _whole_months(filters, fact, period)
        .values_list("month", "key")
        .annotate(total=Sum("n"))
        .order_by()
    }


def add_counts(*counts: dict) -> dict:
    total: dict = {}
    for found in counts:
        for key, n in found.items():
            total[key] = total.get(key, 0) + n
    return total


# --- The facts counted ahead -------------------------------------------------------------
# Each fact is a queryset of an organisation's facts and the field dating them, annotated
# with ``key`` and ``detail`` (text), and the path from it to its case's area, officer and
# category. The dashboard's selectors count the ragged days with the same annotations.


def deadline_outcome() -> Conditional:
    """A deadline as the timescales table counts it in a whole past month: met on time, met
    late, waived, or still live (so overdue: the month is over)."""
    return Conditional(
        When(state=DeadlineState.MET, met_at__lte=F("due_at"), then=Value("on_time")),
        When(state=DeadlineState.MET, met_at__gt=F("due_at"), then=Value("late")),
        When(state=DeadlineState.WAIVED, then=Value("waived")),
        When(state__in=LIVE_STATES, then=Value("live")),
        default=Value("other"),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class Fact:
    name: str
    dated_by: str
    case_prefix: str
    facts: Callable[[int], QuerySet]


FACTS: tuple[Fact, ...] = (
    Fact(
        "deadline",
        "due_at",
        "case__",
        lambda org: Deadline.objects.filter(organisation_id=org, window=False).annotate(
            key=F("rule"), detail=deadline_outcome()
        ),
    ),
    Fact(
        "act",
        "incident__occurred_at",
        "incident__case__",
        lambda org: IncidentActEntry.objects.filter(incident__organisation_id=org).annotate(
            key=F("act"), detail=Value("", output_field=CharField())
        ),
    ),
    Fact(
        "ground",
        "incident__occurred_at",
        "incident__case__",
        lambda org: IncidentGroundEntry.objects.filter(incident__organisation_id=org).annotate(
            key=F("ground"), detail=Value("", output_field=CharField())
        ),
    ),
)


def flag(condition: Q) -> Conditional:
    """ "1" where ``condition`` holds, else "0": a case's yes/no facts as one text detail."""
    return Conditional(
        When(condition, then=Value("1")), default=Value("0"), output_field=CharField()
    )


def flags(*conditions: Q) -> Concat:
    return Concat(*[flag(condition) for condition in conditions], output_field=CharField())


# A case received in a month, as the outcomes count it: closed, closed within three months
# of the report (C26), still open, a course of conduct (W03), hate.
QUARTER = timedelta(days=round(3 * 30.44))
CASE_OUTCOME_FLAGS = ("closed", "closed_in_quarter", "still_open", "course_of_conduct", "hate")


def case_outcome_flags() -> Concat:
    return flags(
        Q(closed_at__isnull=False),
        Q(closed_at__isnull=False, closed_at__lte=F("received_at") + QUARTER),
        Q(status__in=OPEN_STATUSES),
        Q(course_of_conduct=True),
        Q(category__in=HATE_CATEGORIES),
    )


def _cases(org: int) -> QuerySet:
    return Case.objects.filter(organisation_id=org)


FACTS += (
    Fact(
        "case_channel",
        "received_at",
        "",
        lambda org: _cases(org).annotate(
            key=F("channel"), detail=flag(Q(category__in=HATE_CATEGORIES))
        ),
    ),
    Fact(
        "case_category",
        "received_at",
        "",
        lambda org: _cases(org).annotate(
            key=F("category"),
            detail=flags(Q(course_of_conduct=True), ~Q(original_category=F("category"))),
        ),
    ),
    Fact(
        "case_outcome",
        "received_at",
        "",
        lambda org: _cases(org).annotate(
            key=Value("", output_field=CharField()), detail=case_outcome_flags()
        ),
    ),
    Fact(
        "case_area",
        "received_at",
        "",
        lambda org: _cases(org).annotate(
            key=Coalesce(Cast("area", CharField()), Value("")),
            detail=Value("", output_field=CharField()),
        ),
    ),
    Fact(
        "support_offer",
        "offered_at",
        "case__",
        lambda org: SupportReferral.objects.filter(case__organisation_id=org).annotate(
            key=Cast("agency", CharField()),
            detail=Concat(
                "status", Value("|"), flag(Q(referred_at__isnull=False)), output_field=CharField()
            ),
        ),
    ),
    Fact(
        "plan_action",
        "created_at",
        "plan__case__",
        lambda org: PlanAction.objects.filter(plan__case__organisation_id=org).annotate(
            key=F("kind"), detail=F("status")
        ),
    ),
)

_DIMENSION_FIELDS = {
    Dimension.ALL: None,
    Dimension.AREA: "area",
    Dimension.OFFICER: "assigned_officer",
    Dimension.CATEGORY: "category",
}


def _grouped(fact: Fact, organisation_id: int, before: datetime, dimension: str) -> Iterable:
    rows = fact.facts(organisation_id).filter(**{f"{fact.dated_by}__lt": before})
    field = _DIMENSION_FIELDS[dimension]
    value = (
        Value("", output_field=CharField())
        if field is None
        else Coalesce(Cast(f"{fact.case_prefix}{field}", CharField()), Value(""))
    )
    return (
        rows.annotate(month=TruncMonth(fact.dated_by, tzinfo=LONDON), value=value)
        .values("month", "value", "key", "detail")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _grouped_in_one_pass(fact: Fact, organisation_id: int, before: datetime) -> list:
    """The same rows as ``_grouped`` for every dimension, from one read of the facts: the
    ORM's query of the facts with their month, key, detail, area, officer and category, grouped
    by ``GROUPING SETS`` (PostgreSQL)."""
    text = CharField()
    facts = (
        fact.facts(organisation_id)
        .filter(**{f"{fact.dated_by}__lt": before})
        .annotate(
            month=TruncMonth(fact.dated_by, tzinfo=LONDON),
            **{
                f"{dimension}_value": Coalesce(Cast(f"{fact.case_prefix}{field}", text), Value(""))
                for dimension, field in _DIMENSION_FIELDS.items()
                if field is not None
            },
        )
        .values("month", "key", "detail", "area_value", "officer_value", "category_value")
        .order_by()
    )
    inner, params = facts.query.sql_with_params()
    group = '"month", "key", "detail"'
    # Only fixed column names are formatted in; every value is the ORM's parameter.
    sql = (
        f'SELECT "month", "key", "detail", GROUPING(area_value), GROUPING(officer_value), '  # noqa: S608
        "GROUPING(category_value), area_value, officer_value, category_value, COUNT(*) "
        f"FROM ({inner}) AS facts GROUP BY GROUPING SETS (({group}), ({group}, area_value), "
        f"({group}, officer_value), ({group}, category_value))"
    )
    found = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for month, key, detail, *grouping, area, officer, category, n in cursor.fetchall():
            if grouping == [1, 1, 1]:
                dimension, value = Dimension.ALL, ""
            elif grouping[0] == 0:
                dimension, value = Dimension.AREA, area
            elif grouping[1] == 0:
                dimension, value = Dimension.OFFICER, officer
            else:
                dimension, value = Dimension.CATEGORY, category
            # The month comes back as London wall-clock time, as TruncMonth computed it.
            row = {"month": month.replace(tzinfo=LONDON), "value": value, "key": key}
            found.append((dimension, {**row, "detail": detail, "n": n}))
    return found


def rollup_rebuild(*, organisation_id: int, now: datetime | None = None) -> int:
    """Recount the organisation's whole months before the current one; returns the rows
    written. One grouped query per fact and dimension; the old rows are replaced in the
    same transaction, so a dashboard never reads half a rebuild."""
    now = now or timezone.now()
    before = month_start(now)
    with transaction.atomic():
        MonthlyCount.objects.filter(organisation_id=organisation_id).delete()
        written = 0
        for fact in FACTS:
            if connection.vendor == "postgresql":
                found = _grouped_in_one_pass(fact, organisation_id, before)
            else:
                found = [
                    (dimension, row)
                    for dimension in _DIMENSION_FIELDS
                    for row in _grouped(fact, organisation_id, before, dimension)
                ]
            rows = [
                MonthlyCount(
                    organisation_id=organisation_id,
                    fact=fact.name,
                    dimension=dimension,
                    month=row["month"],
                    value=row["value"],
                    key=row["key"],
                    detail=row["detail"],
                    n=row["n"],
                )
                for dimension, row in found
            ]
            MonthlyCount.objects.bulk_create(rows, batch_size=2000)
            written += len(rows)
        Rollup.objects.update_or_create(
            organisation_id=organisation_id,
            defaults={"built_at": now, "covers_before": before},
        )
    return written
