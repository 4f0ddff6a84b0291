"""Each organisation's default dashboard is computed ahead by a beat task, so a manager's
first view of the day is served from the cache; other filters are computed when asked."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role
from config.celery import app
from dashboards.cache import CACHE_SECONDS, dashboards_warm
from dashboards.tasks import warm_dashboards
from tests.factories import member

from .builders import make_case

pytestmark = pytest.mark.django_db

# The request's own queries when the figures come from the cache: session, user and
# memberships; the organisations this manager may see; the area and officer choices. No
# session save: signing in wrote it under a minute ago.
REQUEST_ONLY = 3 + 1 + 2


def _open(client, user, **query):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboards:dashboard"), query)
    assert response.status_code == 200
    return response, len(queries)


def test_warmed_default_dashboard_is_served_without_computing_a_figure(client, cast):
    make_case(cast.organisation, by=cast.staff, received_at=timezone.now())
    warm_dashboards.delay()  # eager in tests: runs here, as a worker would

    response, queries = _open(client, cast.manager)

    assert queries == REQUEST_ONLY
    assert "Cases received in the period" in response.content.decode()


def test_other_filters_are_computed_when_asked(client, cast):
    dashboards_warm()
    _response, queries = _open(client, cast.manager, category="hate_crime")
    assert queries > REQUEST_ONLY


def test_warming_recomputes_figures_already_cached(client, cast):
    dashboards_warm()
    first, _ = _open(client, cast.manager)
    make_case(cast.organisation, by=cast.staff, received_at=timezone.now())
    dashboards_warm()
    second, queries = _open(client, cast.manager)
    assert queries == REQUEST_ONLY
    received = [t for t in second.context["sections"][0][1] if t.slug == "case-outcomes"][0]
    before = [t for t in first.context["sections"][0][1] if t.slug == "case-outcomes"][0]
    assert received.rows[0][1] == before.rows[0][1] + 1


def test_only_organisations_with_someone_to_read_them_are_warmed(cast):
    # The cast's two organisations have managers; this one has only an officer.
    quiet = Organisation.objects.create(name="Nobody Homes", code="NOB")
    member(quiet, Role.OFFICER, full_name="Ola Officer")

    assert dashboards_warm() == 2 * 2  # both pages of the cast's two organisations


def test_warming_is_on_the_one_beat_schedule_within_the_cache_lifetime():
    entry = app.conf.beat_schedule["dashboards-warm"]
    assert entry["task"] == "dashboards.tasks.warm_dashboards"
    assert entry["schedule"] < CACHE_SECONDS
    assert entry["options"]["expires"] < entry["schedule"]


def _break_the_cache(monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    for name in ("get", "set", "get_many", "set_many", "add", "delete"):
        monkeypatch.setattr(cache, name, broken)


def test_dashboard_is_computed_not_failed_while_the_cache_is_down(
    client, cast, monkeypatch, caplog
):
    make_case(cast.organisation, by=cast.staff, received_at=timezone.now())
    make_case(cast.organisation, by=cast.staff, received_at=timezone.now())
    _break_the_cache(monkeypatch)

    with caplog.at_level(logging.WARNING, logger="dashboards.cache"):
        response, _queries = _open(client, cast.manager)

    received = [t for t in response.context["sections"][0][1] if t.slug == "case-outcomes"][0]
    assert received.rows[0][1] == 2
    warnings = [r for r in caplog.records if "dashboard cache unavailable" in r.getMessage()]
    assert len(warnings) == 1  # the failed read; the write is then skipped
    assert warnings[0].levelno == logging.WARNING


def test_warming_the_dashboards_does_not_crash_while_the_cache_is_down(cast, monkeypatch, caplog):
    _break_the_cache(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="dashboards.cache"):
        computed = warm_dashboards.delay().get()
    assert computed > 0
    assert "dashboard cache unavailable" in caplog.text
