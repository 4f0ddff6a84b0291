"""The one table ``manage.py bench`` prints: a row per page, then the load run, each with
the one-minute load average when it was measured (a busy machine reads slower)."""

from __future__ import annotations

from .load import LoadResult
from .pages import Measurement

PAGE_COLUMNS = (
    ("page", 42),
    ("p50 ms", 8),
    ("p95 ms", 8),
    ("CPU ms", 8),
    ("queries", 8),
    ("raw SQL ms", 11),
    ("x SQL", 7),
    ("load avg", 9),
)


def _row(cells) -> str:
    first, *rest = cells
    widths = [w for _, w in PAGE_COLUMNS]
    return f"{first:<{widths[0]}}" + "".join(
        f"{cell:>{width}}" for cell, width in zip(rest, widths[1:], strict=True)
    )


def table_lines(pages: list[Measurement], load: LoadResult | None) -> list[str]:
    header = _row([name for name, _ in PAGE_COLUMNS])
    lines = [header, "-" * len(header)]
    for m in pages:
        queries = str(m.query_count) if m.queries_constant else f"{min(m.queries)}-{m.query_count}"
        lines.append(
            _row(
                [
                    m.page.label,
                    f"{m.p50:.0f}",
                    f"{m.p95:.0f}",
                    f"{m.cpu:.1f}",
                    queries,
                    f"{m.sql:.1f}",
                    f"{m.ratio:.1f}",
                    f"{m.load_average:.2f}",
                ]
            )
        )
    if load is None:
        lines.append("load run: skipped (--skip-load)")
        return lines
    lines += ["", load_header(), "-" * len(load_header())]
    for phase in (load.sign_in, load.mix):
        lines.append(
            f"{phase.label:<42}{phase.users:>6}{phase.rate:>10.1f}{phase.p50:>8.0f}"
            f"{phase.p95:>8.0f}{len(phase.latencies_ms):>10}{phase.errors:>8}"
            f"{phase.load_average:>9.2f}"
        )
    lines.append(f"officers' mix rate / sign-in page rate: {load.share:.0%}")
    return lines


def load_header() -> str:
    return (
        f"{'load run (gunicorn, DEBUG off)':<42}{'users':>6}{'req/s':>10}{'p50 ms':>8}"
        f"{'p95 ms':>8}{'requests':>10}{'errors':>8}{'load avg':>9}"
    )
