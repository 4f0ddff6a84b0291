"""Incidents and deadlines now carry their case's organisation (cases 0005), so the dashboards
count them from an index on (organisation, time) without joining the organisation's cases.
These covering indexes replace 0001's time-only ones (PostgreSQL only, as in 0001)."""

from django.db import migrations

NEW = {
    # Incidents in the period (acts, grounds, hotspots): WHERE organisation_id = ? AND
    # occurred_at in [start, end).
    "dash_incident_org_occurred_cover": (
        "cases_incident (organisation_id, occurred_at) INCLUDE (id, case_id)"
    ),
    # Deadlines due in the period by rule and state, and overdue now: WHERE organisation_id
    # = ? AND due_at in [start, end).
    "dash_deadline_org_due_cover": (
        "cases_deadline (organisation_id, due_at) INCLUDE (id, case_id, rule, state, met_at)"
    ),
    # The join to the organisation's cases where area, officer or place is needed:
    # WHERE organisation_id = ?, reading id and area only.
    "dash_case_org_area_cover": "cases_case (organisation_id) INCLUDE (id, area_id)",
}
OLD = {
    "dash_incident_occurred_cover": "cases_incident (occurred_at) INCLUDE (id, case_id)",
    "dash_deadline_due_cover": "cases_deadline (due_at) INCLUDE (id, case_id, rule, state, met_at)",
}


def _swap(schema_editor, create: dict, drop: dict) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, target in create.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
    for name in drop:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def forwards(apps, schema_editor):
    _swap(schema_editor, NEW, OLD)


def backwards(apps, schema_editor):
    _swap(schema_editor, OLD, NEW)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0002_nm01_hate_flag_in_cover"),
        ("cases", "0006_organisation_required"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
