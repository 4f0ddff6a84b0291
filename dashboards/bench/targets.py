"""Issue 15's targets, checked against one run's figures. Each miss is named with what was
measured, so a run before a change and one after can be compared line by line."""

from __future__ import annotations

from .load import LoadResult
from .pages import Measurement

PAGE_P95_MS = 100
PAGE_CPU_MS = 25
PAGE_SQL_RATIO = 3
PAGE_QUERIES = 15
SEARCH_SQL_MS = 50
DASHBOARD_MS = {"dashboard_12m": 500, "dashboard_3y": 1000}
MIX_SHARE = 0.30
MIX_P95_MS = 250


def targets_missed(pages: list[Measurement], load: LoadResult | None) -> list[str]:
    missed: list[str] = []
    for m in pages:
        name = m.page.label
        if m.statuses != {200}:
            missed.append(f"{name}: answered {sorted(m.statuses)}, not only 200")
        if m.page.officers_target:
            missed += _officer_page(m)
        if m.page.key == "list_search" and m.sql >= SEARCH_SQL_MS:
            missed.append(f"{name}: SQL {m.sql:.0f} ms, target under {SEARCH_SQL_MS} ms")
        limit = DASHBOARD_MS.get(m.page.key)
        if limit is not None and m.p50 >= limit:
            missed.append(f"{name}: p50 {m.p50:.0f} ms, target under {limit} ms")
    if load is not None:
        missed += _load(load)
    return missed


def _officer_page(m: Measurement) -> list[str]:
    name, missed = m.page.label, []
    if m.p95 >= PAGE_P95_MS:
        missed.append(f"{name}: p95 {m.p95:.0f} ms, target under {PAGE_P95_MS} ms")
    if m.cpu >= PAGE_CPU_MS:
        missed.append(f"{name}: Python CPU {m.cpu:.0f} ms, target under {PAGE_CPU_MS} ms")
    if m.ratio > PAGE_SQL_RATIO:
        missed.append(f"{name}: {m.ratio:.1f}x its raw SQL, target at most {PAGE_SQL_RATIO}x")
    if m.query_count > PAGE_QUERIES:
        missed.append(f"{name}: {m.query_count} queries, target at most {PAGE_QUERIES}")
    if not m.queries_constant:
        missed.append(f"{name}: queries varied between runs ({sorted(set(m.queries))})")
    return missed


def _load(load: LoadResult) -> list[str]:
    missed = []
    if load.share < MIX_SHARE:
        missed.append(
            f"load: officers' mix {load.mix.rate:.1f} req/s is {load.share:.0%} of the sign-in "
            f"page's {load.sign_in.rate:.1f} req/s, target at least {MIX_SHARE:.0%}"
        )
    if load.mix.p95 >= MIX_P95_MS:
        missed.append(
            f"load: officers' mix p95 {load.mix.p95:.0f} ms at {load.mix.users} users, "
            f"target under {MIX_P95_MS} ms"
        )
    for phase in (load.sign_in, load.mix):
        if phase.errors:
            missed.append(f"load: {phase.label}: {phase.errors} errors, target none")
    return missed
