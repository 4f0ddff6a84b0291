"""What a dashboard section is: a titled table of aggregated figures, optionally drawn as a
chart. The chart is built from the table's own numbers, and the table is always shown under
it, so a screen-reader user gets every figure the chart shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from .suppression import chart_value

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")


@dataclass
class Chart:
    kind: str  # bar | line | doughnut
    labels: list[str]
    datasets: list[dict]
    stacked: bool = False
    horizontal: bool = False

    def as_json(self, slug: str, title: str) -> dict:
        return {
            "id": slug,
            "title": title,
            "kind": self.kind,
            "labels": self.labels,
            "datasets": self.datasets,
            "stacked": self.stacked,
            "horizontal": self.horizontal,
            "palette": list(PALETTE),
        }


def series(label: str, values, index: int) -> dict:
    return {
        "label": label,
        "data": [chart_value(v) for v in values],
        "colour": PALETTE[index % len(PALETTE)],
    }


def chart_from_columns(
    kind: str, rows: list[list], label_column: int, value_columns: dict[str, int], **options
) -> Chart:
    """A chart whose x axis is one column of the table and whose series are others."""
    return Chart(
        kind=kind,
        labels=[str(row[label_column]) for row in rows],
        datasets=[
            series(label, [row[col] for row in rows], i)
            for i, (label, col) in enumerate(value_columns.items())
        ],
        **options,
    )


@dataclass
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    chart: Chart | None = None
    # Label cells are th scope="row" in the page; numbers are right-aligned.
    row_headers: bool = True
    wide: bool = False  # many columns: the page gives it the full width
    csv_url: str = ""


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def rate(count: int, per: int, *, scale: int = 1000) -> str:
    """NM01-style rates: to two decimal places, or a dash when the base is unknown."""
    return f"{count * scale / per:.2f}" if per else "–"
