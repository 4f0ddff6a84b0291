"""The "cases received" covering index gains the case's hate-ground flag, so NM01 is answered
from the index alone (PostgreSQL only, as in 0001)."""

from django.db import migrations

NAME = "dash_case_org_received_cover"
COLUMNS = (
    "id, category, original_category, status, channel, area_id, assigned_officer_id, "
    "course_of_conduct, closed_at, risk_level, previous_case_id"
)


def _rebuild(schema_editor, columns: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")
    schema_editor.execute(
        f"CREATE INDEX {NAME} ON cases_case (organisation_id, received_at) INCLUDE ({columns})"
    )


def forwards(apps, schema_editor):
    _rebuild(schema_editor, f"{COLUMNS}, hate_ground_recorded")


def backwards(apps, schema_editor):
    _rebuild(schema_editor, COLUMNS)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_dashboard_covering_indexes"),
        ("cases", "0004_case_hate_ground_recorded"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
