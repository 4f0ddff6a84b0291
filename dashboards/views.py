"""Managers' dashboards (W06, W23, C27): managers and organisation admins only."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts import permissions
from policy.formats import uk_date

from .cache import CACHE_SECONDS, dashboard_tables_cached
from .exports import table_csv
from .filters import DashboardFilterForm, DashboardFilters, GroupFilterForm
from .sections import PAGES, table_for
from .selectors.group import organisations_for_manager, organisations_side_by_side


def _organisation(request, pk: int | None):
    """The organisation asked for, if this manager may see it; 404 otherwise."""
    organisations = organisations_for_manager(access=request.access)
    if pk is None:
        return organisations[0], organisations
    for organisation in organisations:
        if organisation.pk == pk:
            return organisation, organisations
    raise Http404("No such organisation.")


def _period(filters: DashboardFilters) -> str:
    return f"{uk_date(filters.date_from)} to {uk_date(filters.date_to)}"


def _csv_url(pk, slug: str, filters: DashboardFilters) -> str:
    if pk is None:
        path = reverse("dashboards:csv", kwargs={"slug": slug})
    else:
        path = reverse("dashboards:partner_csv", kwargs={"pk": pk, "slug": slug})
    return f"{path}?{urlencode(filters.as_query())}"


@permissions.role_required(permissions.MANAGE)
def dashboard(request, pk: int | None = None, page: str = "overview"):
    organisation, organisations = _organisation(request, pk)
    form = DashboardFilterForm(request.GET, organisation=organisation)
    context = {
        "organisation": organisation,
        "organisations": organisations,
        "form": form,
        "viewing_partner": pk is not None and organisation != request.access.organisation,
        "page": page,
        "page_label": PAGES[page],
        "pages": _page_links(pk, request.GET.urlencode()),
    }
    if form.is_valid():
        filters = form.filters()
        computed_at, sections = dashboard_tables_cached(filters=filters, page=page)
        charts, tables = [], []
        for _section, section_tables in sections:
            for table in section_tables:
                table.csv_url = _csv_url(pk, table.slug, filters)
                tables.append(table)
                if table.chart is not None:
                    charts.append(table.chart.as_json(table.slug, table.title))
        context.update(
            {
                "filters": filters,
                "period": _period(filters),
                "sections": sections,
                "charts": charts,
                "computed_at": timezone.localtime(computed_at),
                "cache_minutes": CACHE_SECONDS // 60,
            }
        )
    return render(
        request, "dashboards/dashboard.html", context, status=200 if form.is_valid() else 400
    )


def _page_links(pk, query: str) -> list[dict]:
    links = []
    for page, label in PAGES.items():
        if pk is None:
            url = reverse(
                {"overview": "dashboards:dashboard", "equality": "dashboards:equality"}[page]
            )
        else:
            name = {"overview": "dashboards:partner", "equality": "dashboards:partner_equality"}
            url = reverse(name[page], kwargs={"pk": pk})
        links.append({"page": page, "label": label, "url": f"{url}?{query}" if query else url})
    return links


@permissions.role_required(permissions.MANAGE)
def dashboard_csv(request, slug: str, pk: int | None = None):
    organisation, _ = _organisation(request, pk)
    form = DashboardFilterForm(request.GET, organisation=organisation)
    if not form.is_valid():
        return HttpResponse("Those filters are not valid.", status=400, content_type="text/plain")
    filters = form.filters()
    table = table_for(slug=slug, filters=filters)
    if table is None:
        raise Http404("No such table.")
    return table_csv(table, organisation_name=organisation.name, period=_period(filters))


def _group(request):
    organisations = organisations_for_manager(access=request.access)
    if len(organisations) < 2:
        raise Http404("This organisation has no partners.")
    form = GroupFilterForm(request.GET, organisation=organisations[0])
    return organisations, form


@permissions.role_required(permissions.MANAGE)
def group_dashboard(request):
    organisations, form = _group(request)
    context = {"organisations": organisations, "form": form, "organisation": organisations[0]}
    if form.is_valid():
        filters = form.filters()
        table = organisations_side_by_side(organisations=organisations, filters=filters)
        table.csv_url = f"{reverse('dashboards:group_csv')}?{urlencode(filters.as_query())}"
        context.update(
            {
                "filters": filters,
                "period": _period(filters),
                "table": table,
                "charts": [table.chart.as_json(table.slug, table.title)] if table.chart else [],
            }
        )
    return render(request, "dashboards/group.html", context, status=200 if form.is_valid() else 400)


@permissions.role_required(permissions.MANAGE)
def group_csv(request):
    organisations, form = _group(request)
    if not form.is_valid():
        return HttpResponse("Those filters are not valid.", status=400, content_type="text/plain")
    filters = form.filters()
    table = organisations_side_by_side(organisations=organisations, filters=filters)
    return table_csv(table, organisation_name=organisations[0].name, period=_period(filters))
