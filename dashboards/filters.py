"""What a dashboard is computed for: the organisation, a period, and optional area, officer
and category. The form validates what the manager typed; ``DashboardFilters`` is what every
selector receives, so each one applies the same scope in the same way."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Area, Organisation, User
from cases.forms.intake import officer_choices
from cases.models import Case
from cases.models.choices import Category
from policy.calendar import LONDON
from policy.settings import policy_for

# A period longer than this is refused: it is never what a manager means, and it would make
# the month-by-month charts unreadable.
MAX_PERIOD_DAYS = 366 * 5
DEFAULT_PERIOD_DAYS = 365


def reporting_year_of(day: date) -> int:
    """NM01's reporting year runs 1 April to 31 March; it is named by the year it starts."""
    return day.year if day.month >= 4 else day.year - 1


def london_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON)


@dataclass(frozen=True)
class DashboardFilters:
    organisation: Organisation
    date_from: date
    date_to: date
    reporting_year: int
    area: Area | None = None
    officer: User | None = None
    category: str = ""
    now: datetime = field(default_factory=timezone.now)
    # Figures that more than one section shows, computed once per dashboard (see shared()).
    _shared: dict = field(default_factory=dict, init=False, compare=False, repr=False)
    _shared_lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, compare=False, repr=False
    )

    @cached_property
    def policy(self):
        """The organisation's policy settings, read once per dashboard."""
        return policy_for(self.organisation)

    def shared(self, key: str, compute: Callable[[], object]):
        """``compute()``'s result, computed once for these filters even when two sections
        ask for it at the same time from different threads (dashboards/sections.py)."""
        with self._shared_lock:
            if key not in self._shared:
                self._shared[key] = compute()
            return self._shared[key]

    @property
    def start(self) -> datetime:
        """The first moment of the period, London time (inclusive)."""
        return london_midnight(self.date_from)

    @property
    def end(self) -> datetime:
        """The first moment after the period, London time (exclusive)."""
        return london_midnight(self.date_to + timedelta(days=1))

    def case_q(self, prefix: str = "") -> Q:
        """The organisation, area, officer and category, as a filter on cases reached
        through ``prefix`` (``"case__"`` from a repair, ``"plan__case__"`` from an action).
        A join rather than a subquery, so PostgreSQL can use the case indexes."""
        return Q(**{f"{prefix}organisation": self.organisation}) & self._chosen_q(prefix)

    def carried_q(self, prefix: str = "") -> Q:
        """The same filter on incidents and deadlines (reached through ``prefix``: ``""``
        for the row itself, ``"incident__"`` from an act), which carry their case's
        organisation: the case is joined only when an area, officer or category is chosen."""
        return Q(**{f"{prefix}organisation": self.organisation}) & self._chosen_q(f"{prefix}case__")

    def _chosen_q(self, prefix: str) -> Q:
        q = Q()
        if self.area is not None:
            q &= Q(**{f"{prefix}area": self.area})
        if self.officer is not None:
            q &= Q(**{f"{prefix}assigned_officer": self.officer})
        if self.category:
            q &= Q(**{f"{prefix}category": self.category})
        return q

    def received_q(self, prefix: str = "") -> Q:
        """Cases whose report was received in the period."""
        return Q(**{f"{prefix}received_at__gte": self.start, f"{prefix}received_at__lt": self.end})

    def cases(self) -> QuerySet[Case]:
        return Case.objects.filter(self.case_q())

    def as_query(self) -> dict[str, str]:
        """The filters as URL parameters, for the CSV links (ids and codes only)."""
        params = {
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
            "reporting_year": str(self.reporting_year),
        }
        if self.area is not None:
            params["area"] = str(self.area.pk)
        if self.officer is not None:
            params["officer"] = str(self.officer.pk)
        if self.category:
            params["category"] = self.category
        return params


class DashboardFilterForm(forms.Form):
    date_from = forms.DateField(
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )
    date_to = forms.DateField(
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )
    area = forms.ModelChoiceField(queryset=Area.objects.none(), required=False, empty_label="All")
    officer = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="All officers"
    )
    category = forms.ChoiceField(
        choices=[("", "All categories"), *Category.choices], required=False
    )
    reporting_year = forms.TypedChoiceField(
        label="NM01 reporting year", coerce=int, required=False, empty_value=None
    )

    def __init__(self, data=None, *, organisation: Organisation, today: date | None = None):
        today = today or timezone.localdate()
        if data is not None:
            # Show the period actually used: a blank date means the default one.
            data = data.copy()
            if not data.get("date_from") and not data.get("date_to"):
                data["date_to"] = today.isoformat()
                data["date_from"] = (today - timedelta(days=DEFAULT_PERIOD_DAYS - 1)).isoformat()
            if not data.get("reporting_year"):
                data["reporting_year"] = str(reporting_year_of(today))
        super().__init__(data)
        self.organisation = organisation
        self.today = today
        self.fields["area"].queryset = Area.objects.filter(organisation=organisation)
        self.fields["officer"].queryset = officer_choices(organisation)
        for bound in self.fields.values():
            widget = bound.widget
            widget.attrs["class"] = (
                "form-select" if isinstance(widget, forms.Select) else "form-control"
            )
        current = reporting_year_of(self.today)
        self.fields["reporting_year"].choices = [
            (year, f"1 April {year} to 31 March {year + 1}")
            for year in range(current, current - 6, -1)
        ]

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] += " is-invalid"
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}-error"

    def clean(self):
        cleaned = super().clean()
        date_to = cleaned.get("date_to") or self.today
        date_from = cleaned.get("date_from") or date_to - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        if "date_from" in self.errors or "date_to" in self.errors:
            return cleaned
        if date_from > date_to:
            self.add_error("date_from", "The start of the period must be on or before its end.")
        elif (date_to - date_from).days >= MAX_PERIOD_DAYS:
            self.add_error("date_from", "Choose a period of five years or less.")
        if date_to > self.today:
            self.add_error("date_to", "The period cannot end in the future.")
        cleaned["date_from"], cleaned["date_to"] = date_from, date_to
        return cleaned

    def filters(self, *, now: datetime | None = None) -> DashboardFilters:
        """The validated filters (call after ``is_valid()``)."""
        data = self.cleaned_data
        return DashboardFilters(
            organisation=self.organisation,
            date_from=data["date_from"],
            date_to=data["date_to"],
            reporting_year=data.get("reporting_year") or reporting_year_of(self.today),
            area=data.get("area"),
            officer=data.get("officer"),
            category=data.get("category") or "",
            now=now or timezone.now(),
        )


class GroupFilterForm(DashboardFilterForm):
    """The side-by-side view compares whole organisations: period and NM01 year only (an
    area or officer belongs to one organisation, so it cannot filter the others)."""

    def __init__(self, data=None, *, organisation: Organisation, today: date | None = None):
        super().__init__(data, organisation=organisation, today=today)
        for name in ("area", "officer", "category"):
            del self.fields[name]
