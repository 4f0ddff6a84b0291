"""Each page measured in process, through Django's test client, as its user sees it.

Per request: the wall time, the Python CPU of this process (``time.process_time()``: the
database server's work is not in it), the queries made on the request's connection
(``CaptureQueriesContext``) and the raw SQL time of the same rows: the captured statements
run again directly on the connection, every row fetched, their times summed. The ratio of
the page's p50 to the raw SQL's p50 is what the page costs beyond its SQL.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from statistics import median
from time import perf_counter, process_time

from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from twofactor.services.sessions import session_store_verified

from .volume import Volume

# A surname the generated people carry (dashboards/generation.py LAST).
SURNAME = "Okafor"
# Statements that only manage the transaction: not part of a page's SQL time.
_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")


@dataclass(frozen=True)
class Page:
    """One row of the table: who asks for what, and how."""

    key: str
    label: str
    as_manager: bool
    path: Callable[[Volume], str]
    searched: bool = False  # posted first: the list is shown at the key it redirects to
    cold: bool = False  # the dashboard's cache is emptied before every request
    officers_target: bool = True  # held to the officer pages' targets


def _dashboard(years: int) -> Callable[[Volume], str]:
    def path(volume: Volume) -> str:
        today = timezone.localdate()
        start = today.replace(year=today.year - years) + timedelta(days=1)
        return f"{reverse('dashboards:dashboard')}?date_from={start}&date_to={today}"

    return path


PAGES = (
    Page("list_default", "case list, officer, default", False, lambda v: reverse("cases:list")),
    Page(
        "list_filter",
        "case list, status + risk filter",
        False,
        lambda v: reverse("cases:list") + "?status=open&risk_level=high",
    ),
    Page(
        "list_search",
        f"case list, search a surname ({SURNAME})",
        False,
        lambda v: reverse("cases:list"),
        searched=True,
    ),
    Page(
        "list_sort_officer",
        "case list, sort by officer, page 2",
        False,
        lambda v: reverse("cases:list") + "?sort=officer&page=2",
    ),
    Page("list_page_50", "case list, page 50", False, lambda v: reverse("cases:list") + "?page=50"),
    Page(
        "case_typical",
        "case page, typical",
        False,
        lambda v: reverse("cases:detail", args=[v.typical_case.pk]),
    ),
    Page(
        "case_busy",
        "case page, 40 incidents + 80 contacts",
        False,
        lambda v: reverse("cases:detail", args=[v.busy_case.pk]),
    ),
    Page("my_work", "My work, officer", False, lambda v: reverse("deadlines:my_work")),
    Page("team", "team deadlines, manager", True, lambda v: reverse("deadlines:team")),
    Page(
        "dashboard_12m",
        "dashboard from scratch, 12 months",
        True,
        _dashboard(1),
        cold=True,
        officers_target=False,
    ),
    Page(
        "dashboard_3y",
        "dashboard from scratch, 3 years",
        True,
        _dashboard(3),
        cold=True,
        officers_target=False,
    ),
)


@dataclass
class Measurement:
    """One page's runs (the warm-up run is not kept)."""

    page: Page
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    load_average: float = 0.0
    statuses: set[int] = field(default_factory=set)

    @property
    def p50(self) -> float:
        return median(self.wall_ms)

    @property
    def p95(self) -> float:
        return percentile(self.wall_ms, 95)

    @property
    def cpu(self) -> float:
        return median(self.cpu_ms)

    @property
    def query_count(self) -> int:
        return max(self.queries)

    @property
    def queries_constant(self) -> bool:
        return len(set(self.queries)) == 1

    @property
    def sql(self) -> float:
        return median(self.sql_ms)

    @property
    def ratio(self) -> float:
        return self.p50 / self.sql if self.sql else float("inf")


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile (p95 of 20 runs is the 19th fastest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def load_average() -> float:
    return os.getloadavg()[0]


def signed_in(user) -> Client:
    """A client signed in as ``user`` with both factors, as every officer signs in: the
    session carries a verified second factor from an authenticator of theirs."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session_store_verified(session, device=device)
    session.save()
    return client


def pages_measure(
    *, volume: Volume, runs: int, dashboard_runs: int, only: tuple[str, ...] = ()
) -> list[Measurement]:
    clients = {False: signed_in(volume.officer), True: signed_in(volume.manager)}
    measured = []
    for page in PAGES:
        if only and page.key not in only:
            continue
        client = clients[page.as_manager]
        url = _url(client, page, volume)
        measured.append(page_measure(client, page, url, dashboard_runs if page.cold else runs))
    return measured


def _url(client: Client, page: Page, volume: Volume) -> str:
    path = page.path(volume)
    if not page.searched:
        return path
    # The search is posted and kept in the session; the list is then shown at its key.
    response = client.post(path, {"q": SURNAME})
    if response.status_code != 302:
        raise RuntimeError(f"Posting the search answered {response.status_code}.")
    return response["Location"]


def page_measure(client: Client, page: Page, url: str, runs: int) -> Measurement:
    result = Measurement(page)
    for run in range(runs + 1):  # the first run warms caches and connections: not kept
        if page.cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = perf_counter(), process_time()
            response = client.get(url)
            wall, cpu = perf_counter() - started, process_time() - cpu_started
        result.statuses.add(response.status_code)
        if not run:
            continue
        result.wall_ms.append(wall * 1000)
        result.cpu_ms.append(cpu * 1000)
        result.queries.append(len(captured))
        result.sql_ms.append(raw_sql_ms([q["sql"] for q in captured.captured_queries]))
    result.load_average = load_average()
    return result


def raw_sql_ms(statements: list[str]) -> float:
    """Run the page's statements again on the connection, fetching every row, and sum their
    times. Writes (the session, the access log) run too, inside a transaction rolled back."""
    total = 0.0
    with transaction.atomic():
        with connection.cursor() as cursor:
            for sql in statements:
                if sql.lstrip().upper().startswith(_CONTROL):
                    continue
                started = perf_counter()
                cursor.execute(sql)  # the literals are in it (client-side binding), no params
                if cursor.description is not None:
                    cursor.fetchall()
                total += perf_counter() - started
        transaction.set_rollback(True)
    return total * 1000
