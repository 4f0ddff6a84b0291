"""Moving deadlines to their own app and policy settings to the policy app loses nothing: a
database migrated before the move keeps every deadline, its history, the digests and the
policy settings with their history (migrations accounts 0008, policy 0002, cases 0015 and
deadlines 0001 change only which app owns the tables)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from deadlines.models import Deadline, DeadlineDigest
from policy.models import PolicySettings

BEFORE = [
    ("accounts", "0007_timescales_are_policy_rules"),
    ("policy", "0001_initial"),
    ("cases", "0014_policy_as_rows"),
]


def _copy(row, model, **extra):
    """A history row as django-simple-history writes it (migration models have no signals)."""
    names = {f.attname for f in model._meta.concrete_fields} - {"history_id"}
    values = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
    return model.objects.create(**{k: v for k, v in values.items() if k in names}, **extra)


@pytest.mark.django_db(transaction=True)
def test_apps_move_keeps_deadlines_digests_and_policy_settings_with_their_history(cast):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    Organisation = old.get_model("accounts", "Organisation")
    User = old.get_model("accounts", "User")
    OldSettings = old.get_model("accounts", "PolicySettings")
    OldSettingsHistory = old.get_model("accounts", "HistoricalPolicySettings")
    OldCase = old.get_model("cases", "Case")
    OldDeadline = old.get_model("cases", "Deadline")
    OldDeadlineHistory = old.get_model("cases", "HistoricalDeadline")
    OldDigest = old.get_model("cases", "DeadlineDigest")

    organisation = Organisation.objects.get(pk=cast.organisation.pk)
    officer = User.objects.get(pk=cast.officer.pk)
    received = datetime(2026, 1, 5, 9, 0).astimezone()
    settings = OldSettings.objects.create(
        organisation=organisation,
        preset="circle_anglia_2009",
        tenancy_action_requires_conviction=False,
        reminder_lead_hours=36,
        bank_holiday_region="SCT",
        working_day_starts=time(8, 30),
        working_day_ends=time(16, 30),
        updated_at=received,
        updated_by=officer,
    )
    _copy(
        settings,
        OldSettingsHistory,
        history_date=received,
        history_type="+",
        history_user=officer,
        history_change_reason="Policy settings changed",
    )
    case = OldCase.objects.create(
        organisation=organisation,
        reference="CAH-2026-00001",
        category="harassment",
        original_category="harassment",
        received_at=received,
        channel="phone",
        reporter_type="victim",
        summary="Old case",
        created_by_id=cast.staff.pk,
    )
    deadline = OldDeadline.objects.create(
        case=case,
        organisation=organisation,
        rule="w13_welfare_call",
        title="Welfare call to the complainant (W13 / C22)",
        clause="W13 (000 §8.3): welfare call to the complainant every 10 days",
        started_by="Report received",
        started_at=received,
        due_at=received + timedelta(days=10),
        state="met",
        met_at=received + timedelta(days=2),
        met_by=officer,
        met_source="Phone call",
    )
    for kind, at in (("+", received), ("~", received + timedelta(days=2))):
        _copy(deadline, OldDeadlineHistory, history_date=at, history_type=kind)
    OldDigest.objects.create(user=officer, day=date(2026, 1, 6), sent_at=received)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = PolicySettings.objects.get(organisation=cast.organisation)
    assert (moved.pk, moved.preset, moved.bank_holiday_region) == (
        settings.pk,
        "circle_anglia_2009",
        "SCT",
    )
    assert (moved.working_day_starts, moved.reminder_lead_hours) == (time(8, 30), 36)
    assert not moved.tenancy_action_requires_conviction
    assert [(h.history_type, h.history_user_id) for h in moved.history.all()] == [
        ("+", cast.officer.pk)
    ]

    kept = Deadline.objects.get(case_id=case.pk)
    assert (kept.pk, kept.state, kept.met_source, kept.met_by_id) == (
        deadline.pk,
        "met",
        "Phone call",
        cast.officer.pk,
    )
    assert kept.due_at == received + timedelta(days=10)
    assert kept.case.reference == "CAH-2026-00001"
    assert [h.history_type for h in kept.history.order_by("history_date")] == ["+", "~"]
    assert DeadlineDigest.objects.get(user=cast.officer).day == date(2026, 1, 6)
