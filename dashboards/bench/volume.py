"""The data the benchmark measures: the volume organisation (``seed_volume``), grown to the
size asked for, with the deadlines per case the targets assume and one busy case.

Everything is created once and reused: a second run finds the organisation, the deadlines
and the busy case already there and writes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Area, Organisation, User
from cases.models import Case, CaseParty, Contact, Incident, IncidentActEntry
from cases.models import choices as c
from deadlines.models import Deadline, DeadlineRule, DeadlineState
from policy.calendar import WorkingCalendar
from policy.selectors import rules_in_force
from policy.settings import policy_for

from ..generation import Cast, _deadline, cases_generate
from ..rollup import rollup_rebuild

ORGANISATION = "VOL"
OFFICER = "vol-officer0@vol.example"
MANAGER = "vol-manager@vol.example"
STAFF = "vol-staff@vol.example"
# The targets assume about five deadlines per case (~500,000 at 100,000 cases).
DEADLINES_PER_CASE = 5
# The busy case: found again by this summary, so it is written once.
BUSY_SUMMARY = "Benchmark busy case: forty incidents and eighty contacts."
BUSY_INCIDENTS = 40
BUSY_CONTACTS = 80
BATCH = 5000
TOP_UP_KEY = "bench-review"
TOP_UP_RULES = (
    DeadlineRule.C26_CASE_REVIEW,
    DeadlineRule.W13_WELFARE_CALL,
    DeadlineRule.W08_FIRST_CONTACT,
)


@dataclass(frozen=True)
class Volume:
    """What the pages are measured with."""

    organisation: Organisation
    officer: User
    manager: User
    cases: int
    deadlines: int
    typical_case: Case
    busy_case: Case


def volume_prepare(*, cases: int, stdout=None) -> Volume:
    """Create or grow the volume organisation to ``cases`` cases, top its deadlines up to
    about ``DEADLINES_PER_CASE`` a case and add the busy case (each only if missing)."""
    call_command("seed_volume", cases=cases, force=True, stdout=stdout)
    organisation = Organisation.objects.get(code=ORGANISATION)
    officer = User.objects.get(email=OFFICER)
    manager = User.objects.get(email=MANAGER)
    busy = busy_case_ensure(organisation=organisation, officer=officer)
    deadlines_top_up(organisation=organisation, manager=manager)
    # What beat's dashboards-warm keeps in production: the dashboard reads counted months.
    rollup_rebuild(organisation_id=organisation.pk)
    _settle()
    return Volume(
        organisation=organisation,
        officer=officer,
        manager=manager,
        cases=Case.objects.filter(organisation=organisation).count(),
        deadlines=Deadline.objects.filter(organisation=organisation).count(),
        typical_case=typical_case(organisation=organisation, officer=officer, busy=busy),
        busy_case=busy,
    )


def _settle() -> None:
    """Measure tables as production keeps them: with planner statistics and a visibility map
    (autovacuum's work, which a freshly bulk-written table lacks and a server may not run).
    VACUUM cannot run inside a transaction (the smoke test's), so there only ANALYZE."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")


def typical_case(*, organisation: Organisation, officer: User, busy: Case) -> Case:
    """The officer's most recent open case: what they open most often."""
    return (
        Case.objects.filter(organisation=organisation, assigned_officer=officer, restricted=False)
        .exclude(pk=busy.pk)
        .exclude(status=c.Status.CLOSED)
        .order_by("-received_at", "-pk")
        .first()
    ) or busy


def deadlines_top_up(*, organisation: Organisation, manager: User) -> int:
    """Add later reviews (C26 where the policy has it, every four weeks after the report)
    to the oldest cases until the organisation has ``DEADLINES_PER_CASE`` deadlines a case
    (generated cases carry three to five). Returns how many were written."""
    cases = Case.objects.filter(organisation=organisation)
    rules = {rule.code: rule for rule in rules_in_force(organisation.pk)}
    rule = next(rules[code] for code in TOP_UP_RULES if code in rules)
    calendar = WorkingCalendar.for_policy(policy_for(organisation))
    rng = random.Random(organisation.pk)
    now = timezone.now()
    written = 0
    for review in range(1, DEADLINES_PER_CASE + 1):
        missing = (
            DEADLINES_PER_CASE * cases.count()
            - Deadline.objects.filter(organisation=organisation).count()
        )
        if missing <= 0:
            break
        key = f"{TOP_UP_KEY}-{review}"  # beside the case's own reviews, which may be live
        oldest = list(
            cases.exclude(deadlines__source_key=key)
            .filter(received_at__lte=now - timedelta(days=28 * review))  # started by now
            .order_by("received_at", "pk")
            .only("pk", "organisation_id", "received_at", "closed_at", "assigned_officer_id")[
                :missing
            ]
        )
        with transaction.atomic():
            for start in range(0, len(oldest), BATCH):
                Deadline.objects.bulk_create(
                    _later_review(rule, calendar, case, key, review, manager, rng, now)
                    for case in oldest[start : start + BATCH]
                )
        written += len(oldest)
    return written


def _later_review(rule, calendar, case: Case, key, nth, manager, rng, now) -> Deadline:
    review = _deadline(case, rule, calendar, case.received_at, "Case review held")
    review.source_key = key
    review.started_at = review.created_at = case.received_at + timedelta(days=28 * nth)
    review.due_at = review.started_at + (review.due_at - case.received_at)
    if review.due_at < (case.closed_at or now):
        review.state = DeadlineState.MET
        review.met_at = review.started_at + (review.due_at - review.started_at) * (
            rng.uniform(0.2, 0.95)
        )
        review.met_by_id = case.assigned_officer_id
        review.met_source = "Case review recorded"
    elif case.closed_at is not None:
        review.state = DeadlineState.WAIVED
        review.waived_at = case.closed_at
        review.waived_by = manager
        review.waived_reason = "The case was closed."
    return review


def busy_case_ensure(*, organisation: Organisation, officer: User) -> Case:
    """The officer's case with ``BUSY_INCIDENTS`` incidents and ``BUSY_CONTACTS`` contacts,
    written once (generated like the others, then filled up)."""
    busy = Case.objects.filter(organisation=organisation, summary=BUSY_SUMMARY).first()
    if busy is not None:
        return busy
    staff = User.objects.get(email=STAFF)
    now = timezone.now()
    with transaction.atomic():
        cases_generate(
            cast=Cast(
                organisation,
                staff,
                [officer],
                officer,
                list(Area.objects.filter(organisation=organisation)),
            ),
            count=1,
            start=now - timedelta(days=120),
            end=now - timedelta(days=100),
            seed=4040,
        )
        busy = Case.objects.filter(organisation=organisation).latest("pk")
        Case.objects.filter(pk=busy.pk).update(
            summary=BUSY_SUMMARY, status=c.Status.OPEN, closed_at=None, restricted=False
        )
        busy.refresh_from_db()
        _busy_fill(busy, officer, now)
    return busy


def _busy_fill(busy: Case, officer: User, now) -> None:
    rng = random.Random(busy.pk)
    have = busy.incidents.count()
    span = now - busy.received_at
    incidents = Incident.objects.bulk_create(
        Incident(
            case=busy,
            organisation_id=busy.organisation_id,
            occurred_at=busy.received_at + span * (i / BUSY_INCIDENTS),
            location=busy.location,
            description="Shouted abuse at the resident's door again.",
            police_reported=rng.choice(("yes", "no", "unknown")),
            recorded_by=officer,
            created_at=busy.received_at + span * (i / BUSY_INCIDENTS),
        )
        for i in range(BUSY_INCIDENTS - have)
    )
    IncidentActEntry.objects.bulk_create(
        IncidentActEntry(incident=incident, act=c.IncidentAct.VERBAL_ABUSE)
        for incident in incidents
    )
    parties = list(CaseParty.objects.filter(case=busy, person__isnull=False))
    purposes = [p for p in c.ContactPurpose.values if p != c.ContactPurpose.FIRST_CONTACT]
    Contact.objects.bulk_create(
        Contact(
            case=busy,
            party=parties[i % len(parties)] if parties else None,
            occurred_at=busy.received_at + span * (i / BUSY_CONTACTS),
            method=rng.choice(c.ContactMethod.values),
            direction=rng.choice(c.ContactDirection.values),
            purpose=rng.choice(purposes),
            reached=rng.random() < 0.8,
            notes="Spoke about the latest incident and the next steps.",
            recorded_by=officer,
            created_at=busy.received_at + span * (i / BUSY_CONTACTS),
        )
        for i in range(BUSY_CONTACTS - busy.contacts.count())
    )
