"""The retention sweep: at the boundary to the second, held cases kept, everything personal
gone from the live and history tables and from storage, the run recorded without data."""

from datetime import UTC, timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models

from cases.models import Case, CaseAccess, CaseParty, Evidence, OnlineReport, Person
from cases.models.choices import PartyRole
from enforcement.models import EnforcementAction
from letters.models import Letter
from retention.models import Disposal, FileRemoval, RetentionKind, RetentionRun
from retention.selectors import retention_due
from retention.services.anonymise import ANONYMOUS_NAME, REMOVED
from retention.services.holds import legal_hold_place, legal_hold_release
from retention.services.schedule import retention_rule_set
from retention.sweep import retention_sweep
from tests.cases.factories import make_case
from transfers.models import TransferReferral

from .conftest import CANARY_ADDRESS, CANARY_NAME, CANARY_NOTE, CANARY_PHONE, london, rich_case

pytestmark = pytest.mark.django_db

CLOSED = london(2020, 3, 10, 12, 0)
SIX_YEARS = CLOSED + relativedelta(years=6)  # the default rule closed_case: 6 years


def _sweep(capture, at):
    with time_machine.travel(at, tick=False), capture(execute=True):
        return retention_sweep(run_id=f"run-{at.isoformat()}")


def _text_columns():
    """Every text and JSON column of every table, live and history."""
    for model in apps.get_models():
        if model._meta.app_label in {"admin", "auth", "contenttypes", "sessions", "axes"}:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                yield model, field.name


def _tables_containing(needle: str) -> list[str]:
    found = []
    for model, name in _text_columns():
        lookup = f"{name}__icontains"
        if model._default_manager.filter(**{lookup: needle}).exists():
            found.append(f"{model._meta.label}.{name}")
    return found


@pytest.fixture
def closed_case(cast, django_capture_on_commit_callbacks):
    with time_machine.travel(CLOSED - timedelta(days=1), tick=False):
        return rich_case(cast, django_capture_on_commit_callbacks, closed_at=CLOSED)


def test_closed_case_one_second_before_six_years_is_kept_and_at_six_years_anonymised(
    closed_case, django_capture_on_commit_callbacks
):
    case = closed_case.case
    _sweep(django_capture_on_commit_callbacks, SIX_YEARS - timedelta(seconds=1))
    case.refresh_from_db()
    assert CANARY_NOTE in case.summary
    assert not RetentionRun.objects.exists()

    _sweep(django_capture_on_commit_callbacks, SIX_YEARS)
    case.refresh_from_db()
    assert case.summary == REMOVED
    assert case.status == "closed" and case.closed_at == CLOSED  # dates kept
    assert case.location == "Acacia Avenue"  # the hotspots count places
    victim = Person.objects.get(pk=closed_case.victim.person_id)
    assert victim.full_name == ANONYMOUS_NAME
    assert victim.date_of_birth is None and victim.ethnicity == "" and victim.phone == ""
    assert CaseParty.objects.filter(case=case, role=PartyRole.VICTIM).count() == 1  # role kept
    assert case.incidents.get().acts.count() == 1  # acts kept
    run = RetentionRun.objects.get()
    assert run.counts["closed_case_cases_anonymised"] == 1
    assert Disposal.objects.get(run=run).object_id == case.pk


def test_anonymised_case_leaves_no_canary_in_any_table_live_or_history(
    closed_case, django_capture_on_commit_callbacks
):
    for canary in (CANARY_NAME, CANARY_NOTE, CANARY_PHONE, CANARY_ADDRESS):
        assert _tables_containing(canary), f"{canary} should be stored before the sweep"
    _sweep(django_capture_on_commit_callbacks, SIX_YEARS)
    for canary in (CANARY_NAME, CANARY_NOTE, CANARY_PHONE, CANARY_ADDRESS):
        assert _tables_containing(canary) == [], canary


def test_history_rows_of_the_case_and_person_are_scrubbed_and_the_audit_says_why(
    closed_case, django_capture_on_commit_callbacks
):
    case = closed_case.case
    assert Person.history.filter(id=closed_case.victim.person_id, full_name=CANARY_NAME).exists()
    _sweep(django_capture_on_commit_callbacks, SIX_YEARS)
    assert not Person.history.filter(full_name=CANARY_NAME).exists()
    assert set(Case.history.filter(id=case.pk).values_list("summary", flat=True)) == {REMOVED}
    latest = Case.history.filter(id=case.pk).order_by("-history_id").first()
    assert latest.history_change_reason.startswith("Anonymised under the retention schedule")
    assert "6 years" in latest.history_change_reason


def test_evidence_files_and_letter_pdfs_of_an_anonymised_case_are_gone_from_storage(
    closed_case, django_capture_on_commit_callbacks, private_storage
):
    case = closed_case.case
    evidence_name = Evidence.objects.get(case=case).file.name
    letter = Letter.objects.get(case=case)
    assert letter.pdf and default_storage.exists(letter.pdf.name)
    assert default_storage.exists(evidence_name)

    _sweep(django_capture_on_commit_callbacks, SIX_YEARS)
    assert not default_storage.exists(evidence_name)
    assert not default_storage.exists(letter.pdf.name)
    assert not Evidence.objects.filter(case=case).exists()
    assert not FileRemoval.objects.exists()
    letter.refresh_from_db()
    assert letter.merge_values == {} and letter.reason == REMOVED


def test_held_case_survives_the_sweep_and_goes_at_the_first_run_after_release(
    cast, closed_case, django_capture_on_commit_callbacks
):
    case = closed_case.case
    hold = legal_hold_place(case=case, by=cast.manager, reason="Disrepair claim issued")
    _sweep(django_capture_on_commit_callbacks, SIX_YEARS + timedelta(days=30))
    case.refresh_from_db()
    assert CANARY_NOTE in case.summary
    assert Evidence.objects.filter(case=case).exists()

    legal_hold_release(hold=hold, by=cast.manager, reason="Claim settled")
    _sweep(django_capture_on_commit_callbacks, SIX_YEARS + timedelta(days=31))
    case.refresh_from_db()
    assert case.summary == REMOVED


def test_dry_run_lists_what_would_go_and_changes_nothing(
    cast, closed_case, django_capture_on_commit_callbacks
):
    case = closed_case.case
    before = (Case.history.count(), Person.history.count(), Evidence.objects.count())
    due = retention_due(organisation=cast.organisation, at=SIX_YEARS)
    assert [c.pk for c in due.cases] == [case.pk]
    assert due.cases[0].retention_due_at == SIX_YEARS
    assert retention_due(
        organisation=cast.organisation, at=SIX_YEARS - timedelta(seconds=1)
    ).nothing
    case.refresh_from_db()
    assert CANARY_NOTE in case.summary
    assert (Case.history.count(), Person.history.count(), Evidence.objects.count()) == before
    assert not RetentionRun.objects.exists() and not Disposal.objects.exists()


def test_run_record_holds_ids_and_counts_never_personal_data(
    closed_case, django_capture_on_commit_callbacks
):
    _sweep(django_capture_on_commit_callbacks, SIX_YEARS)
    run = RetentionRun.objects.get()
    assert all(isinstance(v, int) for v in run.counts.values())
    stored = repr(run.counts) + repr(list(Disposal.objects.values()))
    for canary in (CANARY_NAME, CANARY_NOTE, CANARY_PHONE, CANARY_ADDRESS, "Percy"):
        assert canary not in stored


def test_a_second_run_takes_nothing_already_anonymised(
    closed_case, django_capture_on_commit_callbacks
):
    _sweep(django_capture_on_commit_callbacks, SIX_YEARS)
    _sweep(django_capture_on_commit_callbacks, SIX_YEARS + timedelta(hours=1))
    assert RetentionRun.objects.count() == 1
    assert Case.history.filter(history_change_reason__startswith="Anonymised").count() == 1


def test_person_also_on_a_live_case_keeps_their_details_and_the_old_case_names_a_stand_in(
    cast, closed_case, django_capture_on_commit_callbacks
):
    victim = Person.objects.get(pk=closed_case.victim.person_id)
    live = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    CaseParty.objects.create(case=live, role=PartyRole.VICTIM, person=victim)
    _sweep(django_capture_on_commit_callbacks, SIX_YEARS)
    victim.refresh_from_db()
    assert victim.full_name == CANARY_NAME
    old_party = CaseParty.objects.get(case=closed_case.case, role=PartyRole.VICTIM)
    assert old_party.person_id != victim.pk
    assert old_party.person.full_name == ANONYMOUS_NAME
    assert not CaseParty.history.filter(case_id=closed_case.case.pk, person_id=victim.pk).exists()


def test_a_court_order_keeps_the_case_for_twelve_years(
    cast, closed_case, django_capture_on_commit_callbacks
):
    case = closed_case.case
    EnforcementAction.objects.create(
        case=case,
        perpetrator=closed_case.perpetrator,
        remedy="possession_ground_14",
        status="granted",
        action_date=CLOSED.date() - timedelta(days=10),
        recorded_by=cast.officer,
    )
    _sweep(django_capture_on_commit_callbacks, SIX_YEARS + timedelta(days=1))
    case.refresh_from_db()
    assert CANARY_NOTE in case.summary
    twelve = CLOSED + relativedelta(years=12)
    _sweep(django_capture_on_commit_callbacks, twelve - timedelta(seconds=1))
    case.refresh_from_db()
    assert CANARY_NOTE in case.summary
    _sweep(django_capture_on_commit_callbacks, twelve)
    case.refresh_from_db()
    assert case.summary == REMOVED
    assert Disposal.objects.get().rule == RetentionKind.CLOSED_CASE_COURT_ORDER


def test_a_case_waits_while_a_later_case_about_the_same_people_keeps_its_data(
    cast, closed_case, django_capture_on_commit_callbacks
):
    case = closed_case.case
    with time_machine.travel(CLOSED + timedelta(days=5), tick=False):
        make_case(cast.organisation, cast.staff, previous_case=case)
    _sweep(django_capture_on_commit_callbacks, SIX_YEARS + timedelta(days=1))
    case.refresh_from_db()
    assert CANARY_NOTE in case.summary


def test_organisation_rule_shortens_the_period(
    cast, closed_case, django_capture_on_commit_callbacks
):
    retention_rule_set(
        organisation=cast.organisation,
        kind=RetentionKind.CLOSED_CASE,
        amount=3,
        unit="years",
        reason="Board decision 2026/14",
        by=cast.admin,
    )
    _sweep(django_capture_on_commit_callbacks, CLOSED + relativedelta(years=3))
    closed_case.case.refresh_from_db()
    assert closed_case.case.summary == REMOVED


def test_rejected_online_report_deleted_90_days_after_rejection_with_its_attachment(
    cast, django_capture_on_commit_callbacks
):
    # In UTC: ninety days are 90 x 24 hours, across the clocks changing in March.
    rejected_at = london(2026, 1, 5, 9, 0).astimezone(UTC)
    report = OnlineReport.objects.create(
        organisation=cast.organisation,
        reference="WCH-R-TESTREJ1",
        received_at=rejected_at - timedelta(days=1),
        answers={"name": CANARY_NAME},
        status=OnlineReport.Status.REJECTED,
        reject_reason="spam",
        decided_by=cast.officer,
        decided_at=rejected_at,
    )
    report.upload.save("x.png", ContentFile(b"png"))
    name = report.upload.name
    _sweep(django_capture_on_commit_callbacks, rejected_at + timedelta(days=90, seconds=-1))
    assert OnlineReport.objects.filter(pk=report.pk).exists()
    _sweep(django_capture_on_commit_callbacks, rejected_at + timedelta(days=90))
    assert not OnlineReport.objects.filter(pk=report.pk).exists()
    assert not OnlineReport.history.filter(id=report.pk).exists()
    assert not default_storage.exists(name)
    run = RetentionRun.objects.get()
    assert run.counts["online_reports_deleted"] == 1


def test_access_logs_older_than_two_years_deleted_except_on_a_held_case(
    cast, django_capture_on_commit_callbacks
):
    opened = london(2024, 2, 1, 10, 0)
    with time_machine.travel(opened, tick=False):
        kept = make_case(cast.organisation, cast.staff)
        held = make_case(cast.organisation, cast.staff)
        for case in (kept, held):
            CaseAccess.objects.create(case=case, user=cast.officer, action="viewed", at=opened)
    legal_hold_place(case=held, by=cast.manager, reason="Police investigation")
    _sweep(django_capture_on_commit_callbacks, opened + relativedelta(years=2, seconds=-1))
    assert CaseAccess.objects.count() == 2
    _sweep(django_capture_on_commit_callbacks, opened + relativedelta(years=2))
    assert list(CaseAccess.objects.values_list("case_id", flat=True)) == [held.pk]
    assert RetentionRun.objects.get().counts == {"access_logs_deleted": 1}


def test_declined_transfer_request_anonymised_two_years_after_the_decision(
    cast, django_capture_on_commit_callbacks
):
    decided = london(2023, 11, 20, 15, 0)
    with time_machine.travel(decided - timedelta(days=30), tick=False):
        case = make_case(cast.organisation, cast.staff)
        person = Person.objects.create(organisation=cast.organisation, full_name=CANARY_NAME)
        referral = TransferReferral.objects.create(
            organisation=cast.organisation,
            case=case,
            referral_type="managed_transfer",
            reason_details=f"{CANARY_NAME} cannot stay",
            urgency="urgent",
            bedrooms_needed=2,
            referred_by=cast.officer,
            status="declined",
            decided_at=decided,
        )
        referral.household.add(person)
    _sweep(django_capture_on_commit_callbacks, decided + relativedelta(years=2, seconds=-1))
    referral.refresh_from_db()
    assert CANARY_NAME in referral.reason_details
    _sweep(django_capture_on_commit_callbacks, decided + relativedelta(years=2))
    referral.refresh_from_db()
    assert referral.reason_details == REMOVED
    assert referral.status == "declined" and referral.referral_type == "managed_transfer"
    assert not referral.household.exists()
    assert not TransferReferral.history.filter(reason_details__icontains=CANARY_NAME).exists()
    assert RetentionRun.objects.get().counts == {"transfer_referrals_anonymised": 1}


def test_retention_sweep_is_on_the_one_beat_schedule_within_its_limits():
    from config.celery import app
    from retention import tasks

    entry = app.conf.beat_schedule["retention-sweep"]
    assert entry["task"] == "retention.tasks.sweep_retention"
    assert tasks.sweep_retention.time_limit > tasks.sweep_retention.soft_time_limit


def test_one_organisations_failed_run_rolls_back_whole_and_the_others_still_run(
    cast, closed_case, django_capture_on_commit_callbacks, monkeypatch
):
    from retention import sweep

    other = make_case(cast.other_organisation, cast.outsider)
    Case.objects.filter(pk=other.pk).update(status="closed", closed_at=CLOSED)
    real = sweep.cases_anonymise

    def failing(*, case_ids, reason):
        if closed_case.case.pk in case_ids:
            raise RuntimeError("disk on fire")
        return real(case_ids=case_ids, reason=reason)

    monkeypatch.setattr(sweep, "cases_anonymise", failing)
    result = _sweep(django_capture_on_commit_callbacks, SIX_YEARS)
    assert result.failed == [cast.organisation.pk]
    closed_case.case.refresh_from_db()
    assert CANARY_NOTE in closed_case.case.summary
    assert not Disposal.objects.filter(object_id=closed_case.case.pk).exists()
    assert Disposal.objects.filter(model="cases.Case").get().object_id == other.pk
