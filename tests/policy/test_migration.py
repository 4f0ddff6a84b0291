"""The move of timescales from policy settings to rule rows loses nothing: each organisation's
numbers become version 1 of its policy, in force since always, and every deadline is joined
to the rule it ran under (migrations cases 0012 and accounts 0005)."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from deadlines.models import Deadline
from deadlines.models import DeadlineRule as R
from policy.models import PolicyVersion, Rule

BEFORE = [
    ("accounts", "0006_history_change_reason_text"),
    ("policy", "0001_initial"),
    ("cases", "0013_deadline_terms"),
]

OLD_VALUES = {
    "first_contact_hours": 12,
    "officer_contact_days": 5,
    "violence_officer_contact_days": 2,
    "interview_days": None,  # no interview promised
    "violence_interview_days": None,
    "action_plan_days": 14,
    "violence_action_plan_days": 7,
    "first_plan_review_days": 15,
    "plan_review_days": 30,
    "updated_plan_issue_days": 3,
    "welfare_call_days": 10,
    "repair_hours": 24,
    "case_review_months": 3,
    "false_report_working_days": 10,
    "safeguarding_same_working_day": True,
    "weekend_referral_on_friday": False,
    "appeal_window_days": 28,
}


@pytest.mark.django_db(transaction=True)
def test_c14_policy_settings_become_version_1_and_deadlines_keep_their_rule(cast):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    Organisation = old.get_model("accounts", "Organisation")
    OldSettings = old.get_model("accounts", "PolicySettings")
    OldCase = old.get_model("cases", "Case")
    OldDeadline = old.get_model("cases", "Deadline")
    organisation = Organisation.objects.get(pk=cast.organisation.pk)
    OldSettings.objects.create(organisation=organisation, preset="wch_2022", **OLD_VALUES)
    received = datetime(2026, 1, 5, 9, 0).astimezone()
    case = OldCase.objects.create(
        organisation=organisation,
        reference="WCH-2026-00001",
        category="harassment",
        original_category="harassment",
        received_at=received,
        channel="phone",
        reporter_type="victim",
        summary="Old case",
        created_by_id=cast.staff.pk,
    )
    OldDeadline.objects.create(
        case=case,
        organisation=organisation,
        rule=R.W13_WELFARE_CALL,
        clause="W13 (000 §8.3) / C22 (004 §4.11): welfare call to the complainant every 10 days",
        started_by="Report received",
        started_at=received,
        due_at=received + timedelta(days=10),
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    version = PolicyVersion.objects.get(organisation=cast.organisation)
    assert (version.number, version.status, version.effective_from.year) == (1, "published", 2000)
    rules = {rule.code: rule for rule in Rule.objects.filter(version=version)}
    # No promise, no rule: the interview and the Friday referral were switched off.
    assert R.C20_INTERVIEW not in rules and R.C16_WEEKEND_REFERRAL not in rules
    first = rules[R.W08_FIRST_CONTACT]
    assert [(t.unit, t.amount) for t in first.timescales.all()] == [("hours", 12)]
    assert first.promise == "contact the complainant within 12 hours of the report"
    contact = rules[R.C19_OFFICER_CONTACT]
    assert [(t.amount, t.conditions) for t in contact.timescales.all()] == [
        (2, {"violence": True}),
        (5, {}),
    ]
    welfare = rules[R.W13_WELFARE_CALL]
    assert (welfare.repeats, welfare.timescales.get().amount) == (True, 10)
    assert rules[R.C26_APPEAL_WINDOW].window

    deadline = Deadline.objects.get(case_id=case.pk)
    assert deadline.policy_rule_id == welfare.pk
    assert deadline.title == "Welfare call to the complainant (W13 / C22)"
    assert deadline.due_at == received + timedelta(days=10)
