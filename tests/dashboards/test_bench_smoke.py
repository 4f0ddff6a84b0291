"""``manage.py bench`` at 1,000 cases, so it cannot rot: every row measured with sane
figures, the volume written once and reused, the load run's counts, the refusal on SQLite
and the exit naming each missed target. Targets are not enforced here (1,000 cases on a
shared CI machine say nothing about them)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cases.models import Case
from dashboards.bench import targets
from dashboards.bench.load import load_run
from dashboards.bench.pages import PAGES, pages_measure
from dashboards.bench.table import table_lines
from dashboards.bench.targets import targets_missed
from dashboards.bench.volume import (
    BUSY_CONTACTS,
    BUSY_INCIDENTS,
    DEADLINES_PER_CASE,
    volume_prepare,
)

SMOKE_CASES = 1000
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="bench refuses anything but PostgreSQL"
)


@pytest.mark.django_db
def test_bench_measures_every_page_of_a_reused_volume_with_sane_figures():
    volume = volume_prepare(cases=SMOKE_CASES)
    again = volume_prepare(cases=SMOKE_CASES)

    # Grown to the size asked for (plus the busy case), written once, then reused.
    assert volume.cases == SMOKE_CASES + 1
    assert again.cases == volume.cases and again.deadlines == volume.deadlines
    assert again.busy_case.pk == volume.busy_case.pk
    assert volume.deadlines >= DEADLINES_PER_CASE * SMOKE_CASES
    assert volume.busy_case.incidents.count() == BUSY_INCIDENTS
    assert volume.busy_case.contacts.count() == BUSY_CONTACTS
    assert volume.typical_case.pk != volume.busy_case.pk
    assert volume.typical_case.assigned_officer == volume.officer

    pages = pages_measure(volume=volume, runs=3, dashboard_runs=1)

    assert [m.page.key for m in pages] == [p.key for p in PAGES]
    for m in pages:
        assert m.statuses == {200}, m.page.label
        assert len(m.wall_ms) == (1 if m.page.cold else 3)
        assert 0 < m.p50 <= m.p95 < 60_000, m.page.label
        assert 0 < m.cpu <= max(m.wall_ms) + 1, m.page.label
        assert 0 < m.query_count < 200, m.page.label
        # The raw SQL is part of the page's time, measured apart from it.
        assert 0 < m.sql < 10 * m.p50, m.page.label
        assert m.load_average >= 0
    lines = table_lines(pages, None)
    for page in PAGES:
        assert sum(line.startswith(page.label) for line in lines) == 1, page.label
    assert lines[-1] == "load run: skipped (--skip-load)"
    assert all(isinstance(miss, str) for miss in targets_missed(pages, None))


@pytest.mark.django_db
def test_bench_search_row_is_the_search_and_finds_cases():
    volume = volume_prepare(cases=200)
    [search] = pages_measure(volume=volume, runs=1, dashboard_runs=1, only=("list_search",))
    [listed] = pages_measure(volume=volume, runs=1, dashboard_runs=1, only=("list_default",))

    assert search.statuses == {200}
    # The search adds its own conditions: its SQL is not the default list's.
    assert search.queries != listed.queries or search.sql != listed.sql


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is for SQLite")
@pytest.mark.django_db
def test_bench_refuses_sqlite_with_a_clear_message():
    with pytest.raises(CommandError, match="measures PostgreSQL"):
        call_command("bench", cases=10, skip_load=True)
    assert not Case.objects.exists()  # refused before writing anything


@postgres_only
@pytest.mark.django_db
def test_bench_prints_one_table_and_names_every_missed_target(monkeypatch, capsys):
    monkeypatch.setattr(targets, "PAGE_P95_MS", 0)  # every officer page misses it

    with pytest.raises(CommandError) as missed:
        call_command(
            "bench", cases=SMOKE_CASES, runs=2, dashboard_runs=1, skip_load=True, stdout=None
        )

    out = capsys.readouterr().out
    for page in PAGES:
        assert page.label in out
    for page in (p for p in PAGES if p.officers_target):
        assert f"{page.label}: p95 " in str(missed.value)
    assert "dashboard from scratch, 12 months: p95" not in str(missed.value)


@postgres_only
@pytest.mark.django_db
def test_bench_report_only_exits_zero_with_the_misses_listed(monkeypatch, capsys):
    monkeypatch.setattr(targets, "PAGE_CPU_MS", 0)

    call_command("bench", cases=200, runs=1, dashboard_runs=1, skip_load=True, report_only=True)

    out = capsys.readouterr().out
    assert "targets missed:" in out and "Python CPU" in out


@pytest.mark.django_db(transaction=True)
def test_load_run_serves_both_phases_from_gunicorn_without_errors():
    volume = volume_prepare(cases=100)

    load = load_run(volume=volume, seconds=1.5, users=2)

    for phase in (load.sign_in, load.mix):
        assert phase.errors == 0, phase.label
        assert phase.rate > 0 and phase.p50 <= phase.p95, phase.label
        assert phase.seconds >= 1.5
    assert load.share > 0
    lines = table_lines([], load)
    assert any(line.startswith("sign-in page") for line in lines)
    assert lines[-1].startswith("officers' mix rate / sign-in page rate: ")
    assert targets_missed([], load) == [] or all("load:" in m for m in targets_missed([], load))
