"""Time the dashboard page as a manager of an organisation sees it (default: VOL).

    manage.py dashboard_timing --organisation VOL --runs 5

Requests the page through Django's test client (the whole stack: middleware, queries,
template), discards the first run, and prints each time, the median and the number of
queries made on the request's own connection (the sections' helper connections are not
counted there: see HAVEN_DASHBOARD_THREADS). The dashboards cache their figures for five
minutes: ``--cold`` empties the cache before every run to time the computation itself.
"""

from statistics import median
from time import perf_counter

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership, Role


class Command(BaseCommand):
    help = "Time the managers' dashboard for an organisation."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", default="VOL")
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--query", default="", help="extra query string, e.g. area=3")
        parser.add_argument("--page", choices=("overview", "equality"), default="overview")
        parser.add_argument(
            "--cold",
            action="store_true",
            help="empty the cache before every run: time the figures' computation itself",
        )

    def handle(
        self, *args, organisation: str, runs: int, query: str, page: str, cold: bool, **options
    ):
        membership = (
            Membership.objects.filter(organisation__code=organisation, role=Role.MANAGER)
            .select_related("user")
            .first()
        )
        if membership is None:
            raise CommandError(f"No manager in {organisation}.")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(membership.user)
        path = reverse("dashboards:dashboard" if page == "overview" else "dashboards:equality")
        url = path + (f"?{query}" if query else "")
        times = []
        for run in range(runs + 1):
            if cold:
                cache.clear()
            with CaptureQueriesContext(connection) as queries:
                started = perf_counter()
                response = client.get(url)
                elapsed = perf_counter() - started
            if response.status_code != 200:
                raise CommandError(f"The dashboard answered {response.status_code}.")
            if run:
                times.append(elapsed)
            self.stdout.write(
                f"run {run}{' (cold, not counted)' if not run else ''}: "
                f"{elapsed * 1000:.0f} ms, {len(queries)} queries on the request's connection"
            )
        self.stdout.write(f"median of {runs}: {median(times) * 1000:.0f} ms")
