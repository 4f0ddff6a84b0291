"""Small-number suppression (C27 equality monitoring, UK GDPR): the ONE place it happens.

Any count below ``THRESHOLD`` in an equality breakdown is replaced before it leaves the
selector, so the page, its chart and its CSV all show the same suppressed figure and no one
can be picked out of a small group. Zero is suppressed too: "none" about a group is itself a
disclosure when the group is small. A suppressed cell is plotted as a gap, not as a number.
"""

from decimal import Decimal

THRESHOLD = 5
SUPPRESSED = "fewer than 5"


def suppress(count: int) -> int | str:
    return SUPPRESSED if count < THRESHOLD else count


def chart_value(cell: int | Decimal | str) -> int | float | None:
    """A suppressed cell is drawn as nothing: the chart must not reveal what the table hides.
    Amounts of money (``Decimal``) are drawn as plain numbers."""
    if isinstance(cell, Decimal):
        return float(cell)
    return cell if isinstance(cell, int) else None
