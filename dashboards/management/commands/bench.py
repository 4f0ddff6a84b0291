"""Measure the officers' pages and the dashboard at volume, then a bounded load run
(issue 15). ``make bench`` runs it on the PostgreSQL in ``DATABASE_URL``:

    DJANGO_DEBUG=false manage.py bench --cases 100000 --runs 20 --seconds 20

Creates or grows the volume organisation (``seed_volume``), tops its deadlines up to about
five a case and adds a busy case (40 incidents, 80 contacts), all once and then reused;
prints one table; exits non-zero naming every target missed (``--report-only`` lists them
and exits 0). The logic is in ``dashboards/bench/``.
"""

from time import monotonic

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from dashboards.bench.load import load_run
from dashboards.bench.pages import PAGES, pages_measure
from dashboards.bench.table import table_lines
from dashboards.bench.targets import targets_missed
from dashboards.bench.volume import volume_prepare


class Command(BaseCommand):
    help = "Measure the officers' pages and the dashboard at volume (issue 15's targets)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000, help="volume to grow VOL to")
        parser.add_argument("--runs", type=int, default=20, help="requests measured per page")
        parser.add_argument(
            "--dashboard-runs", type=int, default=3, help="requests per dashboard row"
        )
        parser.add_argument(
            "--seconds", type=float, default=20, help="length of each load-run phase"
        )
        parser.add_argument("--users", type=int, default=4, help="concurrent users in load run")
        parser.add_argument("--skip-load", action="store_true", help="measure the pages only")
        parser.add_argument(
            "--only", nargs="*", default=(), choices=[p.key for p in PAGES], help="these rows"
        )
        parser.add_argument(
            "--report-only", action="store_true", help="list missed targets but exit 0"
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench measures PostgreSQL (the targets are about its plans and indexes): "
                "set DATABASE_URL=postgres://... It refuses to run on "
                f"{connection.vendor}."
            )
        if settings.DEBUG:
            raise CommandError("bench measures with DEBUG off: set DJANGO_DEBUG=false.")
        if settings.SETTINGS_MODULE.endswith("production"):
            raise CommandError("bench writes test data (VOL); it refuses production settings.")
        started = monotonic()
        volume = volume_prepare(cases=options["cases"], stdout=self.stdout)
        self.stdout.write(
            f"VOL: {volume.cases} cases, {volume.deadlines} deadlines; busy case "
            f"{volume.busy_case.pk}, typical case {volume.typical_case.pk}; "
            f"{options['runs']} runs a page ({options['dashboard_runs']} a dashboard), "
            "after one warm-up run. Times in ms; CPU is this process's Python per request; "
            "raw SQL is the page's captured statements run again on the connection."
        )
        pages = pages_measure(
            volume=volume,
            runs=options["runs"],
            dashboard_runs=options["dashboard_runs"],
            only=tuple(options["only"]),
        )
        load = None
        if not options["skip_load"]:
            load = load_run(volume=volume, seconds=options["seconds"], users=options["users"])
        self.stdout.write("")
        for line in table_lines(pages, load):
            self.stdout.write(line)
        missed = targets_missed(pages, load)
        self.stdout.write("")
        self.stdout.write(f"took {monotonic() - started:.0f} s")
        if not missed:
            self.stdout.write("Every target met.")
            return
        report = f"{len(missed)} targets missed:\n" + "\n".join(f"  - {m}" for m in missed)
        if options["report_only"]:
            self.stdout.write(report)
            return
        raise CommandError(report)
