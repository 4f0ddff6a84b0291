"""The case list's filters, search and sorting (django-filter)."""

import django_filters
from django.db.models import Exists, OuterRef, Q

from accounts.models import Area

from .forms.intake import officer_choices
from .models import Case, CaseParty, IncidentGroundEntry
from .models.choices import Category, HateGround, RiskLevel, Status


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
    sort = django_filters.OrderingFilter(
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
        value = value.strip()
        if not value:
            return queryset
        named = CaseParty.objects.filter(case=OuterRef("pk")).filter(
            Q(person__full_name__icontains=value) | Q(description__icontains=value)
        )
        return queryset.filter(
            Q(reference__iexact=value) | Q(reference__icontains=value) | Exists(named)
        )

    def by_ground(self, queryset, name, value):
        grounds = IncidentGroundEntry.objects.filter(incident__case=OuterRef("pk"), ground=value)
        return queryset.filter(Exists(grounds))
