"""Each organisation's timescales, until now fields of its policy settings, become version 1
of its policy as rule rows (in force since always), with the same numbers and clause words;
every deadline is joined to the rule it ran under and takes its title."""

from datetime import UTC, datetime

from django.db import migrations

SINCE_ALWAYS = datetime(2000, 1, 1, tzinfo=UTC)

# The settings as the default preset had them, for an organisation that never saved its own.
DEFAULTS = {
    "first_contact_hours": 24,
    "officer_contact_days": 5,
    "violence_officer_contact_days": 1,
    "interview_days": 10,
    "violence_interview_days": 5,
    "action_plan_days": 14,
    "violence_action_plan_days": 7,
    "first_plan_review_days": 15,
    "plan_review_days": 30,
    "updated_plan_issue_days": 3,
    "welfare_call_days": 7,
    "repair_hours": 24,
    "case_review_months": 3,
    "false_report_working_days": 10,
    "safeguarding_same_working_day": True,
    "weekend_referral_on_friday": True,
    "appeal_window_days": 28,
}

COMPLAINANT = {"action": "contact", "roles": ["complainant"]}
VIOLENCE = "violence or a threat of it"

# code, title, clause, promise, subject, starts_on, setting, unit, faster setting, met_by,
# repeats, then_starts, agreed frequency, window
LEGACY = [
    (
        "w08_first_contact",
        "Contact the complainant (W08 / C17)",
        "W08 (000 §6.2) / C17 (004 §4.6)",
        "contact the complainant within {n} hours of the report",
        "contact_complainant",
        "report_received",
        "first_contact_hours",
        "hours",
        None,
        [COMPLAINANT],
        False,
        "",
        False,
        False,
    ),
    (
        "c19_officer_contact",
        "Case officer contacts the complainant (C19)",
        "C19 (004 §4.8)",
        "the case officer contacts the complainant within {n} days",
        "contact_complainant",
        "report_received",
        "officer_contact_days",
        "days",
        "violence_officer_contact_days",
        [
            {**COMPLAINANT, "by_case_officer": True},
            {**COMPLAINANT, "purposes": ["case_officer_contact"]},
        ],
        False,
        "",
        False,
        False,
    ),
    (
        "c20_interview",
        "Interview the complainant (C20)",
        "C20 (004 §4.9)",
        "interview the complainant within {n} days",
        "meet_in_person",
        "report_received",
        "interview_days",
        "days",
        "violence_interview_days",
        [{**COMPLAINANT, "methods": ["interview"]}, {**COMPLAINANT, "purposes": ["interview"]}],
        False,
        "",
        False,
        False,
    ),
    (
        "c21_action_plan",
        "Agree an action plan (C21)",
        "C21 (004 §4.10)",
        "action plan agreed within {n} days of the report",
        "action_plan",
        "report_received",
        "action_plan_days",
        "days",
        "violence_action_plan_days",
        [{"action": "plan_agreed"}],
        False,
        "",
        False,
        False,
    ),
    (
        "c22_first_plan_review",
        "First review of the action plan (C22)",
        "C22 (004 §4.11)",
        "first review of the plan within {n} days of its creation",
        "plan_review",
        "plan_agreed",
        "first_plan_review_days",
        "days",
        None,
        [{"action": "plan_reviewed"}],
        False,
        "c22_plan_review",
        False,
        False,
    ),
    (
        "c22_plan_review",
        "Review the action plan (C22 / C26)",
        "C22 (004 §4.11) / C26 (004 §6.2)",
        "review the action plan every {n} days",
        "plan_review",
        "previous_met",
        "plan_review_days",
        "days",
        None,
        [{"action": "plan_reviewed"}],
        True,
        "",
        False,
        False,
    ),
    (
        "c22_updated_plan_issued",
        "Issue the updated plan (C22)",
        "C22 (004 §4.11)",
        "issue the updated plan to the complainant within {n} days of a change",
        "plan_issue",
        "plan_changed",
        "updated_plan_issue_days",
        "days",
        None,
        [{"action": "plan_issued"}],
        False,
        "",
        False,
        False,
    ),
    (
        "w13_welfare_call",
        "Welfare call to the complainant (W13 / C22)",
        "W13 (000 §8.3) / C22 (004 §4.11)",
        "welfare call to the complainant every {n} days",
        "welfare_call",
        "report_received",
        "welfare_call_days",
        "days",
        None,
        [{**COMPLAINANT, "purposes": ["welfare_call"]}],
        True,
        "",
        True,
        False,
    ),
    (
        "c19_repair",
        "Graffiti or emergency repair (C19 / C26)",
        "C19 (004 §4.8) / C26 (004 §6.2)",
        "graffiti removed or emergency repair done within {n} hours of its report",
        "remove_graffiti",
        "repair_reported",
        "repair_hours",
        "hours",
        None,
        [{"action": "repair_done"}],
        False,
        "",
        False,
        False,
    ),
    (
        "c26_case_review",
        "Review the open case (C26)",
        "C26 (004 §6.2)",
        "review the open case after {n} months",
        "case_review",
        "report_received",
        "case_review_months",
        "months",
        None,
        [{"action": "case_reviewed"}],
        False,
        "",
        False,
        False,
    ),
    (
        "w20_false_report_evidence",
        "Further evidence due (W20)",
        "W20 (000 §12)",
        "the complainant has {n} working days to give more evidence",
        "evidence",
        "false_report_letter",
        "false_report_working_days",
        "working_days",
        None,
        [{"action": "evidence_received"}, {"action": "concern_decided"}],
        False,
        "",
        False,
        False,
    ),
    (
        "w15_safeguarding_referral",
        "Safeguarding referral (W15)",
        "W15 (000 §9.2)",
        "safeguarding referral the same working day the risk is recorded",
        "safeguarding",
        "safeguarding_risk",
        "safeguarding_same_working_day",
        "same_working_day",
        None,
        [{"action": "safeguarding_referral"}],
        False,
        "",
        False,
        False,
    ),
    (
        "c16_weekend_referral",
        "Weekend-support referral (C16)",
        "C16 (004 §4.5)",
        "Friday report with fear of violence: refer for weekend support that day",
        "support_referral",
        "report_received",
        "weekend_referral_on_friday",
        "coming_friday",
        None,
        [{**{"action": "support_referral"}, "roles": ["complainant"]}],
        False,
        "",
        False,
        False,
    ),
    (
        "c26_appeal_window",
        "Appeal window after closure (C26)",
        "C26 (004 §6.2)",
        "the complainant may appeal the closure within {n} days",
        "appeal_window",
        "case_closed",
        "appeal_window_days",
        "days",
        None,
        [],
        False,
        "",
        False,
        True,
    ),
]


def _promise(text: str, n) -> str:
    if n == 1:
        text = text.replace("{n} days", "{n} day").replace("{n} hours", "{n} hour")
    return text.format(n=n)


def convert(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    PolicySettings = apps.get_model("accounts", "PolicySettings")
    PolicyVersion = apps.get_model("policy", "PolicyVersion")
    Rule = apps.get_model("policy", "Rule")
    Timescale = apps.get_model("policy", "Timescale")
    Deadline = apps.get_model("cases", "Deadline")
    settings = {s.organisation_id: s for s in PolicySettings.objects.all()}
    for organisation in Organisation.objects.all():
        saved = settings.get(organisation.pk)
        values = {k: getattr(saved, k) if saved else v for k, v in DEFAULTS.items()}
        version = PolicyVersion.objects.create(
            organisation=organisation,
            number=1,
            title="Policy settings as they were",
            origin="Converted from the organisation's policy settings",
            status="published",
            effective_from=SINCE_ALWAYS,
            published_at=SINCE_ALWAYS,
        )
        rules = {}
        for position, row in enumerate(LEGACY):
            (
                code,
                title,
                clause,
                promise,
                subject,
                starts_on,
                setting,
                unit,
                faster,
                met_by,
                repeats,
                then_starts,
                agreed,
                window,
            ) = row
            n = values[setting]
            if n is None or n is False:
                continue
            amount = None if unit in ("same_working_day", "coming_friday") else n
            rule = Rule.objects.create(
                version=version,
                position=position,
                code=code,
                title=title,
                clause=clause,
                promise=_promise(promise, n),
                subject=subject,
                starts_on=starts_on,
                met_by=met_by,
                repeats=repeats,
                then_starts=then_starts,
                agreed_frequency=agreed,
                window=window,
            )
            rules[code] = rule
            timescales = []
            quicker = values.get(faster) if faster else None
            if quicker:
                timescales.append(("days", min(quicker, n), {"violence": True}, VIOLENCE))
            if code == "c16_weekend_referral":
                timescales.append((unit, None, {"fear_of_violence": True, "started_on": [4]}, ""))
            else:
                timescales.append((unit, amount, {}, ""))
            for number, (t_unit, t_amount, conditions, note) in enumerate(timescales):
                Timescale.objects.create(
                    rule=rule,
                    position=number,
                    unit=t_unit,
                    amount=t_amount,
                    conditions=conditions,
                    note=note,
                )
        # A plan review left without its first review still repeats on its own.
        if "c22_plan_review" in rules and "c22_first_plan_review" not in rules:
            rules["c22_plan_review"].starts_on = "plan_agreed"
            rules["c22_plan_review"].save(update_fields=["starts_on"])
        for code, rule in rules.items():
            Deadline.objects.filter(organisation_id=organisation.pk, rule=code).update(
                policy_rule=rule, title=rule.title, window=rule.window
            )
    titles = {row[0]: row[1] for row in LEGACY}
    for code, title in titles.items():
        Deadline.objects.filter(rule=code, title="").update(
            title=title, window=code == "c26_appeal_window"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_history_change_reason_text"),
        ("cases", "0013_deadline_terms"),
        ("policy", "0001_initial"),
    ]

    operations = [migrations.RunPython(convert, migrations.RunPython.noop)]
