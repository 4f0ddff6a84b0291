"""The dashboard's computed figures, kept for a few minutes per organisation, page and
filters, and computed ahead for the view every manager opens first.

A manager moving between pages, or coming back, does not recompute the figures. Beat asks a
worker every few minutes to compute each organisation's default view (the last twelve
months, every area, officer and category: what ``/dashboards/`` shows with no filters) so
the first view of the day is served from the cache too. CSV exports are always computed
fresh. With several web processes the cache must be shared (Redis in production).

The cache only saves work: while it is down (Redis stopped, a timeout) the figures are
computed for every request, the write is skipped, and a warning is logged once per request.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from django.core.cache import cache

from accounts.models import Organisation, Role

from .filters import DashboardFilterForm, DashboardFilters
from .rollup import rollup_rebuild
from .sections import PAGES, SECTIONS, Section, dashboard_tables
from .tables import Table

logger = logging.getLogger(__name__)

# Beat warms the default view every 240 seconds (config/celery.py), within this lifetime, so
# it is recomputed before it expires.
CACHE_SECONDS = 300


def _key(filters: DashboardFilters, page: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in sorted(filters.as_query().items()))
    digest = hashlib.sha256(f"{filters.organisation.pk}|{page}|{query}".encode()).hexdigest()
    return f"dashboards:v3:{digest}"


def dashboard_tables_cached(
    *, filters: DashboardFilters, page: str, refresh: bool = False
) -> tuple[datetime, list[tuple[Section, list[Table]]]]:
    """The page's sections and tables, and when they were computed."""
    key = _key(filters, page)
    found = None
    cache_up = True
    if not refresh:
        try:
            found = cache.get(key)
        except Exception as error:  # noqa: BLE001 - any cache failure means "compute"
            cache_up = False
            logger.warning("dashboard cache unavailable, computing: %s", type(error).__name__)
    if found is None:
        sections = dashboard_tables(filters=filters, page=page)
        found = (filters.now, [tables for _section, tables in sections])
        if cache_up:  # a cache that just failed to read is not written to
            try:
                cache.set(key, found, CACHE_SECONDS)
            except Exception as error:  # noqa: BLE001
                logger.warning("dashboard cache unavailable, not kept: %s", type(error).__name__)
    computed_at, tables = found
    sections = [section for section in SECTIONS if section.page == page]
    return computed_at, list(zip(sections, tables, strict=True))


def dashboards_warm() -> int:
    """Recount the monthly figures and compute every page of the default view of each
    organisation that has someone to read it (a manager or an organisation admin). Returns
    how many pages were computed."""
    organisations = Organisation.objects.filter(
        memberships__role__in=(Role.MANAGER, Role.ORG_ADMIN)
    ).distinct()
    computed = 0
    for organisation in organisations:  # the group and its partners: a handful
        # Whole months are read from the monthly counts: recount them first, so the warmed
        # view and every view after it count today's facts (dashboards/rollup.py).
        rollup_rebuild(organisation_id=organisation.pk)
        form = DashboardFilterForm({}, organisation=organisation)
        if not form.is_valid():  # the default filters are always valid
            raise ValueError(form.errors.as_text())
        filters = form.filters()
        for page in PAGES:
            dashboard_tables_cached(filters=filters, page=page, refresh=True)
            computed += 1
    return computed
