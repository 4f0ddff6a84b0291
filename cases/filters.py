"""The case list's filters, search and sorting (django-filter)."""

import django_filters
from django.db.models import Exists, OuterRef
from django_filters.constants import EMPTY_VALUES

from accounts.models import Area

from .forms.intake import officer_choices
from .models import Case, IncidentGroundEntry
from .models.choices import Category, HateGround, RiskLevel, Status
from .selectors import cases_matching


class UniqueOrderingFilter(django_filters.OrderingFilter):
    """Every sort ends with the primary key: rows that tie (two cases of one officer) keep
    one order from page to page, so paging shows every case once."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value in EMPTY_VALUES:
            return qs
        ordering = list(qs.query.order_by)
        last = ordering[-1] if ordering else "received_at"
        return qs.order_by(*ordering, "-pk" if str(last).startswith("-") else "pk")


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Reference or name", method="search")
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    risk_level = django_filters.ChoiceFilter(
        label="Risk", choices=RiskLevel.choices, empty_label="Any risk"
    )
    category = django_filters.ChoiceFilter(choices=Category.choices, empty_label="Any category")
    assigned_officer = django_filters.ModelChoiceFilter(
        label="Officer", queryset=None, empty_label="Any officer"
    )
    area = django_filters.ModelChoiceFilter(queryset=None, empty_label="Any area")
    ground = django_filters.ChoiceFilter(
        label="Hate ground",
        choices=HateGround.choices,
        method="by_ground",
        empty_label="Any ground",
    )
    sort = UniqueOrderingFilter(
        label="Sort by",
        fields=(
            ("received_at", "received"),
            ("reference", "reference"),
            ("risk_level", "risk"),
            ("status", "status"),
            ("assigned_officer__full_name", "officer"),
        ),
        field_labels={
            "-received": "Newest first",
            "received": "Oldest first",
            "reference": "Reference",
            "risk": "Highest risk first",
            "status": "Status",
            "officer": "Officer",
        },
        empty_label="Newest first",
    )

    class Meta:
        model = Case
        fields = ["q", "status", "risk_level", "category", "assigned_officer", "area", "ground"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["assigned_officer"].queryset = officer_choices(organisation)
        self.filters["area"].queryset = Area.objects.filter(organisation=organisation)

    def search(self, queryset, name, value):
        return cases_matching(cases=queryset, terms=value)

    def by_ground(self, queryset, name, value):
        grounds = IncidentGroundEntry.objects.filter(incident__case=OuterRef("pk"), ground=value)
        return queryset.filter(Exists(grounds))
