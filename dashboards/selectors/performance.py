"""Performance against every timescale of the organisation's policy (C27, W23, C26).

Each function is one section of the dashboard: one or two aggregate queries, no loop over
cases or deadlines in Python.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Case as Conditional
from django.db.models import CharField, Count, F, Min, Q, Value, When

from cases.models.choices import OPEN_STATUSES, RiskLevel
from deadlines.models import LIVE_STATES, Deadline, DeadlineRule, DeadlineState
from policy.engine import timescale_words
from policy.formats import uk_datetime
from policy.selectors import rules_in_force
from policy.vocabulary import Subject

from .. import rollup
from ..filters import DashboardFilters
from ..tables import Chart, Table, chart_from_columns, percent, series


def _rules(filters: DashboardFilters) -> list:
    """The rules of the policy in force, read once per dashboard (none before an organisation
    has a policy: its deadlines are then named by their codes' usual titles)."""
    return filters.shared("policy-rules", lambda: rules_in_force(filters.organisation.pk))


def _timescale_text(rule) -> str:
    """The rule's timescales as the policy states them: "1 day where violence...; 5 days"."""
    parts = []
    for timescale in rule.timescales.all():
        words = timescale_words(timescale.unit, timescale.amount, every=rule.repeats)
        parts.append(f"{words} ({timescale.note})" if timescale.note else words)
    return "; otherwise ".join(parts)


def _title(code: str, rules_by_code: dict) -> str:
    if code in rules_by_code:
        return rules_by_code[code].title
    return DeadlineRule(code).label if code in DeadlineRule.values else code


EMPTY_OUTCOMES = {"on_time": 0, "late": 0, "overdue": 0, "pending": 0, "waived": 0}
# A whole month's deadline outcome as counted ahead (dashboards.rollup), as a column here.
MONTHLY_OUTCOMES = {"on_time": "on_time", "late": "late", "live": "overdue", "waived": "waived"}


def _deadline_counts(filters: DashboardFilters) -> dict[str, dict[str, int]]:
    """{rule: {outcome: deadlines}} of the deadlines due in the period: the whole months
    from the monthly counts, the other days from the deadlines themselves."""
    period = rollup.split(filters)
    now = filters.now
    counts: dict[str, dict[str, int]] = {}
    if period.edges:
        for row in (
            Deadline.objects.filter(filters.carried_q(), period.edges_q("due_at"), window=False)
            .values("rule")
            .annotate(
                on_time=Count("pk", filter=Q(state=DeadlineState.MET, met_at__lte=F("due_at"))),
                late=Count("pk", filter=Q(state=DeadlineState.MET, met_at__gt=F("due_at"))),
                overdue=Count("pk", filter=Q(state__in=LIVE_STATES, due_at__lte=now)),
                pending=Count("pk", filter=Q(state__in=LIVE_STATES, due_at__gt=now)),
                waived=Count("pk", filter=Q(state=DeadlineState.WAIVED)),
            )
            .order_by()
        ):
            counts[row.pop("rule")] = row
    for (rule, outcome), n in rollup.monthly_counts(filters, "deadline", period).items():
        if outcome in MONTHLY_OUTCOMES:
            found = counts.setdefault(rule, dict(EMPTY_OUTCOMES))
            found[MONTHLY_OUTCOMES[outcome]] += n
    return counts


def deadline_performance(*, filters: DashboardFilters) -> Table:
    """C27 "response against target time": every deadline that fell due in the period, by
    rule: met on time, met late, still open past its due time, still open and not yet due.
    Waived deadlines are counted but left out of the denominator: a manager waived them
    with a recorded reason, so they were neither kept nor broken."""
    counts = _deadline_counts(filters)
    rules = [rule for rule in _rules(filters) if not rule.window]
    by_code = {rule.code: rule for rule in rules}
    # The policy's rules in its order, then any the data has that the policy no longer has.
    codes = [*by_code, *sorted(code for code in counts if code not in by_code)]
    rows = []
    for code in codes:
        row = counts.get(code) or EMPTY_OUTCOMES
        counted = row["on_time"] + row["late"] + row["overdue"] + row["pending"]
        rows.append(
            [
                _title(code, by_code),
                _timescale_text(by_code[code]) if code in by_code else "not in current policy",
                counted,
                row["on_time"],
                row["late"],
                row["overdue"],
                row["pending"],
                row["waived"],
                percent(row["on_time"], counted),
            ]
        )
    return Table(
        slug="deadline-performance",
        wide=True,
        title="Timescales: deadlines due in the period",
        columns=[
            "Timescale",
            "Policy",
            "Due (excluding waived)",
            "Met on time",
            "Met late",
            "Open and overdue",
            "Open, not yet due",
            "Waived (not counted)",
            "On time",
        ],
        rows=rows,
        note=(
            "Deadlines that fell due in the period. Waived deadlines are excluded from the "
            "denominator: “On time” is met on time ÷ (met on time + met late + still open). "
            "A deadline still open past its due time counts against the timescale."
        ),
        chart=chart_from_columns(
            "bar",
            rows,
            0,
            {"Met on time": 3, "Met late": 4, "Open and overdue": 5, "Open, not yet due": 6},
            stacked=True,
            horizontal=True,
        ),
    )


def deadlines_overdue_now(*, filters: DashboardFilters) -> Table:
    """Every live deadline past its due time right now, by rule (whatever the period)."""
    by_code = {rule.code: rule for rule in _rules(filters)}
    rows = [
        [
            _title(row["rule"], by_code),
            row["n"],
            uk_datetime(row["oldest"]),
        ]
        for row in Deadline.objects.filter(
            filters.carried_q(), state__in=LIVE_STATES, due_at__lte=filters.now, window=False
        )
        .values("rule")
        .annotate(n=Count("pk"), oldest=Min("due_at"))
        .order_by("-n", "rule")
    ]
    total = sum(row[1] for row in rows)
    return Table(
        slug="overdue-now",
        title=f"Overdue deadlines now: {total}",
        columns=["Timescale", "Overdue", "Oldest was due"],
        rows=rows,
        note="Live deadlines past their due time at the moment the page was made.",
    )


AGE_BANDS = (
    ("under_1m", "Under 1 month", 0, 1),
    ("1_3m", "1 to 3 months", 1, 3),
    ("3_6m", "3 to 6 months", 3, 6),
    ("6_12m", "6 to 12 months", 6, 12),
    ("12m_plus", "12 months or more", 12, None),
)


def _age_band(now):
    """Case/When on the report date: each band is 'received between these two instants'."""
    whens = []
    for key, _label, _low, high in AGE_BANDS:
        if high is None:
            continue
        whens.append(
            When(received_at__gt=now - timedelta(days=round(high * 30.44)), then=Value(key))
        )
    return Conditional(*whens, default=Value("12m_plus"), output_field=CharField())


def open_cases_by_risk_and_age(*, filters: DashboardFilters) -> Table:
    """Open cases now, by risk level and how long they have been open. C26: every open case
    is reviewed after three months, so the bands from three months on are the reviews due."""
    counts = {
        (row["risk_level"], row["band"]): row["n"]
        for row in filters.cases()
        .filter(status__in=OPEN_STATUSES)
        .annotate(band=_age_band(filters.now))
        .values("risk_level", "band")
        .annotate(n=Count("pk"))
        .order_by()
    }
    rows = []
    for level in reversed(RiskLevel):  # high first
        cells = [counts.get((level.value, key), 0) for key, *_ in AGE_BANDS]
        rows.append([level.label, *cells, sum(cells), sum(cells[2:])])
    return Table(
        slug="open-cases-age",
        wide=True,
        title="Open cases by risk and age",
        columns=[
            "Risk",
            *[label for _key, label, *_ in AGE_BANDS],
            "All open",
            "Open 3 months or more (C26 review)",
        ],
        rows=rows,
        note="Age is from the report's receipt to now; a month is 30.44 days.",
        chart=Chart(
            kind="bar",
            labels=[label for _key, label, *_ in AGE_BANDS],
            datasets=[series(row[0], row[1 : 1 + len(AGE_BANDS)], i) for i, row in enumerate(rows)],
            stacked=True,
        ),
    )


def case_reviews_due(*, filters: DashboardFilters) -> Table:
    """C26 three-month reviews: the review deadlines on open cases, overdue and due soon."""
    soon = filters.now + timedelta(days=14)
    reviews = [rule for rule in _rules(filters) if rule.subject == Subject.CASE_REVIEW]
    found = Deadline.objects.filter(
        filters.carried_q(),
        rule__in=[rule.code for rule in reviews],
        state__in=LIVE_STATES,
        case__status__in=OPEN_STATUSES,
    ).aggregate(
        overdue=Count("pk", filter=Q(due_at__lte=filters.now)),
        soon=Count("pk", filter=Q(due_at__gt=filters.now, due_at__lte=soon)),
        later=Count("pk", filter=Q(due_at__gt=soon)),
    )
    promised = "; ".join(_timescale_text(rule) for rule in reviews)
    return Table(
        slug="case-reviews",
        title="Three-month reviews of open cases (C26)",
        columns=["Reviews", "Cases"],
        rows=[
            ["Overdue", found["overdue"]],
            ["Due in the next 14 days", found["soon"]],
            ["Due later", found["later"]],
        ],
        note=(
            f"The policy asks for a review {promised}."
            if reviews
            else "The organisation's policy sets no case review; the age bands above show "
            "open cases older than three months."
        ),
    )


def caseload_per_officer(*, filters: DashboardFilters) -> Table:
    """Each officer's open cases now by risk, and the cases they received and closed in the
    period. One grouped query over the officer's cases."""
    open_q = Q(status__in=OPEN_STATUSES)
    in_period = filters.received_q()
    closed_in_period = Q(closed_at__gte=filters.start, closed_at__lt=filters.end)
    rows = [
        [
            row["assigned_officer__full_name"] or "Not assigned",
            row["open"],
            row["high"],
            row["medium"],
            row["standard"],
            row["received"],
            row["closed"],
        ]
        for row in filters.cases()
        .filter(open_q | in_period | closed_in_period)
        .values("assigned_officer", "assigned_officer__full_name")
        .annotate(
            open=Count("pk", filter=open_q),
            high=Count("pk", filter=open_q & Q(risk_level=RiskLevel.HIGH)),
            medium=Count("pk", filter=open_q & Q(risk_level=RiskLevel.MEDIUM)),
            standard=Count("pk", filter=open_q & Q(risk_level=RiskLevel.STANDARD)),
            received=Count("pk", filter=in_period),
            closed=Count("pk", filter=closed_in_period),
        )
        .order_by("-open", "assigned_officer__full_name")
    ]
    return Table(
        slug="caseload",
        wide=True,
        title="Caseload per officer",
        columns=[
            "Officer",
            "Open now",
            "High risk",
            "Medium risk",
            "Standard risk",
            "Received in period",
            "Closed in period",
        ],
        rows=rows,
        chart=chart_from_columns(
            "bar", rows, 0, {"High risk": 2, "Medium risk": 3, "Standard risk": 4}, stacked=True
        ),
    )


def case_outcomes(*, filters: DashboardFilters) -> Table:
    """C27 "cases resolved on time and at all": of the cases received in the period, how
    many are closed, how many within three months (the C26 review point), how many are open.
    Also counts W03 courses of conduct and hate cases among them."""
    period = rollup.split(filters)
    found = dict.fromkeys(("received", *rollup.CASE_OUTCOME_FLAGS), 0)
    if period.edges:
        found = (
            filters.cases()
            .filter(period.edges_q("received_at"))
            .aggregate(
                received=Count("pk"),
                closed=Count("pk", filter=Q(closed_at__isnull=False)),
                closed_in_quarter=Count(
                    "pk",
                    filter=Q(
                        closed_at__isnull=False,
                        closed_at__lte=F("received_at") + rollup.QUARTER,
                    ),
                ),
                still_open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
                course_of_conduct=Count("pk", filter=Q(course_of_conduct=True)),
                hate=Count("pk", filter=Q(category__in=["hate_crime", "hate_incident"])),
            )
        )
    for (_key, marks), n in rollup.monthly_counts(filters, "case_outcome", period).items():
        found["received"] += n
        for name, mark in zip(rollup.CASE_OUTCOME_FLAGS, marks, strict=True):
            found[name] += n if mark == "1" else 0
    received = found["received"]
    return Table(
        slug="case-outcomes",
        title="Cases received in the period",
        columns=["Measure", "Cases", "Share"],
        rows=[
            ["Received", received, "100%" if received else "–"],
            ["Closed", found["closed"], percent(found["closed"], received)],
            [
                "Closed within three months",
                found["closed_in_quarter"],
                percent(found["closed_in_quarter"], received),
            ],
            ["Still open", found["still_open"], percent(found["still_open"], received)],
            [
                "Course of conduct: two or more incidents (W03)",
                found["course_of_conduct"],
                percent(found["course_of_conduct"], received),
            ],
            ["Hate crime or hate incident", found["hate"], percent(found["hate"], received)],
        ],
    )
