"""Covering indexes for the dashboards' aggregate queries (PostgreSQL only).

Each dashboard figure filters a large table by organisation and a time range and counts a
few narrow columns. An index that INCLUDEs those columns lets PostgreSQL answer from the
index alone (an index-only scan) instead of reading the wide rows: measured with 100,000
cases, see README. ``INCLUDE`` is PostgreSQL's; SQLite (development and tests) skips them.

They live here rather than in ``cases`` because they serve only the dashboards and are
raw SQL: the cases models' state is unchanged.
"""

from django.db import migrations

INDEXES = {
    # Every "cases received in the period" figure: WHERE organisation_id = ? AND received_at
    # in [start, end), counting by category, channel, area, officer, status, flags.
    "dash_case_org_received_cover": (
        "cases_case (organisation_id, received_at) INCLUDE (id, category, original_category, "
        "status, channel, area_id, assigned_officer_id, course_of_conduct, closed_at, "
        "risk_level, previous_case_id)"
    ),
    # Joins from deadlines, incidents and parties to the organisation's cases (and the
    # area, officer and category filters): WHERE organisation_id = ?.
    "dash_case_org_cover": (
        "cases_case (organisation_id) INCLUDE (id, area_id, assigned_officer_id, category, "
        "status, risk_level, received_at)"
    ),
    # Incidents in the period (acts, grounds, hotspots): WHERE occurred_at in [start, end).
    "dash_incident_occurred_cover": "cases_incident (occurred_at) INCLUDE (id, case_id)",
    # Deadlines due in the period, by rule and state: WHERE due_at in [start, end).
    "dash_deadline_due_cover": (
        "cases_deadline (due_at) INCLUDE (id, case_id, rule, state, met_at)"
    ),
    # Equality: a case's parties by role.
    "dash_caseparty_case_role_cover": "cases_caseparty (case_id, role) INCLUDE (person_id)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, target in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_deadlines")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
