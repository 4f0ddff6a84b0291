"""Covering indexes for the case-work sections (support, plans, enforcement, costs,
satisfaction) and the caseload (PostgreSQL only, as in 0001).

Each of these figures reads a period's rows of one table by their date and joins them to the
organisation's cases; without an index on the date PostgreSQL read every row of the table.
Measured with 100,000 cases and their case work: see README.
"""

from django.db import migrations

INDEXES = {
    # Actions added to plans in the period, by kind and status (C21, C22, C12).
    "dash_planaction_created_cover": (
        "support_planaction (created_at) INCLUDE (id, plan_id, kind, status)"
    ),
    # Closures in the period and their satisfaction scores (C26, C27).
    "dash_caseclosure_closed_cover": (
        "letters_caseclosure (closed_at) INCLUDE (id, case_id, satisfaction)"
    ),
    # Support offered in the period by agency and outcome (W12, C27).
    "dash_supportreferral_offered_cover": (
        "support_supportreferral (offered_at) "
        "INCLUDE (id, case_id, agency_id, status, referred_at)"
    ),
    # Actions against perpetrators and their costs in the period (C25, C27).
    "dash_enforcement_date_cover": (
        "enforcement_enforcementaction (action_date) "
        "INCLUDE (id, case_id, remedy, status, legal_costs, other_costs)"
    ),
    # Repair and clean-up costs in the period (W16, C27).
    "dash_repair_reported_cover": (
        "repairs_repair (reported_at) INCLUDE (id, case_id, repair_cost, cleanup_cost)"
    ),
}
# The caseload reads open cases and those received or closed in the period: closed_at joins
# the organisation-wide covering index so that needs no visit to the cases' rows.
CASE_COVER = "dash_case_org_cover"
CASE_COLUMNS = "id, area_id, assigned_officer_id, category, status, risk_level, received_at"


def _case_cover(schema_editor, columns: str) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {CASE_COVER}")
    schema_editor.execute(
        f"CREATE INDEX {CASE_COVER} ON cases_case (organisation_id) INCLUDE ({columns})"
    )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, target in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
    _case_cover(schema_editor, f"{CASE_COLUMNS}, closed_at")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    _case_cover(schema_editor, CASE_COLUMNS)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0003_organisation_covering_indexes"),
        ("support", "0001_initial"),
        ("letters", "0001_initial"),
        ("enforcement", "0001_initial"),
        ("repairs", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
