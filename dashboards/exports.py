"""CSV exports of dashboard tables, neutralised against formula injection in one place."""

from __future__ import annotations

import csv

from django.http import HttpResponse

from .tables import Table

# A spreadsheet runs a cell beginning with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> object:
    """Prefix a text cell that a spreadsheet would read as a formula with a single quote.
    Numbers are left as numbers: a negative count is data, not a formula."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def table_csv(table: Table, *, organisation_name: str, period: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="haven-{table.slug}.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # so Excel reads UTF-8
    writer = csv.writer(response)
    writer.writerow([neutralise(organisation_name), neutralise(table.title), neutralise(period)])
    writer.writerow([neutralise(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([neutralise(c) for c in row])
    if table.note:
        writer.writerow([neutralise(table.note)])
    return response
