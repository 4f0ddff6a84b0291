"""The case list's rows, drawn in Python.

A page of the list is 25 rows of nine cells; drawn by the template engine, each cell's
lookups, filters and loops were a large part of the page's CPU. ``case_rows_draw`` writes the
same HTML the template wrote, every value escaped as the template escaped it, the received
time as ``uk_datetime`` writes it everywhere. The template keeps the table and the empty message.
"""

from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe

from policy.formats import uk_datetime

from .common import choice_label


def _row(case, may_reassign: bool) -> str:
    reference = esc(case.reference)
    cells = ['<tr data-testid="case-row">']
    if may_reassign:
        cells.append(
            f'<td><input class="form-check-input" type="checkbox" name="cases" '
            f'value="{case.pk}" form="bulk-reassign" id="select-{case.pk}" '
            f'aria-label="Select {reference}"></td>'
        )
    badges = ""
    if case.restricted:
        badges += ' <span class="badge text-bg-dark">Restricted</span>'
    if case.course_of_conduct:
        badges += ' <span class="badge text-bg-warning">Course of conduct</span>'
    names = (
        ", ".join(esc(name) for name in case.victim_names)
        or '<span class="text-muted">None yet</span>'
    )
    officer = case.assigned_officer.full_name if case.assigned_officer_id else ""
    cells += [
        f'<td><a href="{esc(case.detail_url)}">{reference}</a>{badges}</td>',
        f"<td>{uk_datetime(case.received_at)}</td>",
        f"<td>{esc(choice_label(case, 'category'))}</td>",
        f"<td>{names}</td>",
        f"<td>{esc(choice_label(case, 'status'))}</td>",
        f'<td><span class="badge risk-{esc(case.risk_level)}">'
        f"{esc(choice_label(case, 'risk_level'))} Risk</span></td>",
        f"<td>{esc(case.area) if case.area_id else ''}</td>",
        f"<td>{esc(officer) if officer else 'Unassigned'}</td>",
        "</tr>",
    ]
    return "\n".join(cells)


def case_rows_draw(cases, *, may_reassign: bool) -> SafeString:
    """The rows of the list's table for ``cases`` (each with ``victim_names`` and
    ``detail_url`` set by the view)."""
    return mark_safe(  # noqa: S308 - every value in the rows is escaped
        "\n".join(_row(case, may_reassign) for case in cases)
    )
