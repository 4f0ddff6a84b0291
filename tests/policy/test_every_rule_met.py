"""Every rule of both presets can be met by an officer's action, through the services the
officer's pages call (and the appeal window closes by itself or ends on an appeal).

The rules are read from the preset files, so a rule added to a preset is walked too; a rule
that starts on an event, or is met by an action, this walk does not know fails with a message
saying what to add here.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from cases.models import CaseParty, Person
from cases.models.choices import ContactDirection, PartyRole, Status
from cases.services.parties import party_add
from cases.services.records import contact_log
from cases.services.reviews import case_review_record
from deadlines.events import deadlines_safeguarding_risk_recorded
from deadlines.models import LIVE_STATES, Deadline, DeadlineState
from deadlines.sweep import deadlines_sweep
from letters import tasks as letter_tasks
from letters.models import CaseClosure
from letters.services.closure import case_close, case_closure_appeal
from letters.services.false_report import (
    false_report_concern_decide,
    false_report_concern_raise,
    false_report_evidence_log,
)
from policy.selectors import preset_document
from policy.vocabulary import Action, Event, Method, Purpose
from repairs.services import repair_report, repair_update
from support.models import ActionPlan, Agency
from support.services.plans import (
    action_plan_agree,
    action_plan_issue,
    action_plan_review,
    plan_action_add,
)
from support.services.referrals import support_offer
from support.services.safeguarding import safeguarding_referral_make
from tests.deadline_helpers import apply_preset, london, open_case

pytestmark = pytest.mark.django_db

PRESETS = ("wch_2022", "circle_anglia_2009")
# Friday 6 March 2026, 10:00: a working day, no bank holiday near, C16's Friday.
REPORTED = london(2026, 3, 6, 10, 0)
# Each step (the start of the next deadline, the action that meets it) is this much later:
# inside every preset timescale, the shortest being "the same working day" from 10:00.
STEP = timedelta(minutes=20)


def preset_rules() -> list[tuple[str, dict]]:
    return [(p, rule) for p in PRESETS for rule in preset_document(p)["rules"]]


def predecessor(preset: str, rule: dict) -> dict:
    """The rule whose deadline, met, starts ``rule`` (a ``previous_met`` rule)."""
    rules = preset_document(preset)["rules"]
    found = [r for r in rules if r.get("then_starts") == rule["code"]]
    assert found, f"{preset}: no rule names {rule['code']} as the one it then starts"
    return found[0]


@dataclass
class Walk:
    """One case walked through a rule: what the starting event left to act on."""

    cast: object
    preset: str
    at: datetime
    case: object = None
    complainant: CaseParty | None = None
    parties: dict = field(default_factory=dict)
    repair: object = None
    concern: object = None
    closure: CaseClosure | None = None

    def tick(self) -> datetime:
        self.at += STEP
        return self.at

    @property
    def officer(self):
        return self.case.assigned_officer


def _person(case, name: str) -> Person:
    return Person.objects.create(
        organisation=case.organisation,
        full_name=name,
        address="1 Letter Lane\nWatford",
        postcode="WD17 1AA",
    )


def _open(walk: Walk, conditions: dict) -> None:
    violence = bool(conditions.get("fear_of_violence") or conditions.get("violence"))
    with time_machine.travel(walk.at, tick=False):
        walk.case = open_case(walk.cast, received_at=walk.at, fear_of_violence=violence)
        walk.complainant = party_add(
            case=walk.case,
            by=walk.cast.officer,
            role=PartyRole.COMPLAINANT,
            person=_person(walk.case, "Carol Complainant"),
        )


def _party(walk: Walk, role: str) -> CaseParty:
    if role == "complainant":
        return walk.complainant
    if role not in walk.parties:
        with time_machine.travel(walk.tick(), tick=False):
            walk.parties[role] = party_add(
                case=walk.case,
                by=walk.officer,
                role=role,
                person=_person(walk.case, f"{role.capitalize()} Person"),
            )
    return walk.parties[role]


# Causing each event through the service that records it ----------------------------------


def _agree_plan(walk: Walk) -> None:
    with time_machine.travel(walk.tick(), tick=False):
        plan_action_add(
            case=walk.case,
            by=walk.officer,
            kind="action",
            description="Visit the neighbours",
            owner="Olivia Officer",
            due_date=timezone.localdate() + timedelta(days=7),
        )
        action_plan_agree(case=walk.case, by=walk.officer, agreed_at=walk.at)


def _change_plan(walk: Walk) -> None:
    with time_machine.travel(walk.tick(), tick=False):
        plan_action_add(
            case=walk.case,
            by=walk.officer,
            kind="action",
            description="Fit a door camera",
            owner="Repairs team",
            due_date=timezone.localdate() + timedelta(days=7),
        )


def _report_repair(walk: Walk, conditions: dict) -> None:
    emergency = bool(conditions.get("emergency_repair"))
    with time_machine.travel(walk.tick(), tick=False):
        walk.repair = repair_report(
            case=walk.case,
            by=walk.officer,
            kind="other" if emergency else "graffiti",
            description="Slogan sprayed on the front door",
            reported_at=walk.at,
            offensive=not emergency,
            emergency=emergency,
        )


def _raise_concern(walk: Walk) -> None:
    with time_machine.travel(walk.tick(), tick=False):
        walk.concern = false_report_concern_raise(
            case=walk.case, by=walk.officer, reasons="The CCTV shows nobody at the door."
        )


def _close(walk: Walk) -> None:
    with time_machine.travel(walk.tick(), tick=False):
        walk.case.refresh_from_db()
        walk.closure = case_close(
            case=walk.case,
            by=walk.officer,
            reason="resolved",
            rationale="Quiet for months.",
            discussed_with_complainant=True,
            discussed_on=timezone.localdate(),
            discussion_notes="",
            expected_version=walk.case.version,
        )
        walk.case.refresh_from_db()


def _safeguarding_risk(walk: Walk) -> None:
    with time_machine.travel(walk.tick(), tick=False):
        deadlines_safeguarding_risk_recorded(
            case=walk.case, recorded_at=walk.at, source_key="risk-assessment-1"
        )


def start(walk: Walk, rule: dict) -> None:
    """Cause the event that starts ``rule`` on a new case."""
    conditions = rule["timescales"][0].get("conditions") or {}
    _open(walk, conditions)
    event = rule["starts_on"]
    if event == Event.REPORT_RECEIVED:
        return
    if event in (Event.PERPETRATOR_ADDED, Event.WITNESS_ADDED):
        _party(walk, event.removesuffix("_added"))
    elif event == Event.SAFEGUARDING_RISK:
        _safeguarding_risk(walk)
    elif event == Event.REPAIR_REPORTED:
        _report_repair(walk, conditions)
    elif event == Event.PLAN_AGREED:
        _agree_plan(walk)
    elif event == Event.PLAN_CHANGED:
        _change_plan(walk)
    elif event == Event.FALSE_REPORT_LETTER:
        _raise_concern(walk)
    elif event == Event.CASE_CLOSED:
        _close(walk)
    elif event == Event.PREVIOUS_MET:
        before = predecessor(walk.preset, rule)
        _cause_rest(walk, before)
        first = live(walk, before["code"])
        meet(walk, before)
        first.refresh_from_db()
        assert first.state == DeadlineState.MET
    else:
        pytest.fail(f"This walk does not know how to cause the event {event!r}: add it to start()")


def _cause_rest(walk: Walk, rule: dict) -> None:
    """``start`` for a rule on the case already open (for a rule's predecessor)."""
    event = rule["starts_on"]
    if event == Event.PLAN_AGREED:
        _agree_plan(walk)
    elif event != Event.REPORT_RECEIVED:
        pytest.fail(f"This walk cannot start a predecessor on {event!r}: add it to _cause_rest()")


# Meeting it through the service an officer's page calls -----------------------------------


def _contact(walk: Walk, matcher: dict) -> None:
    role = (matcher.get("roles") or ["complainant"])[0]
    party = _party(walk, role)
    methods = matcher.get("methods") or []
    if matcher.get("in_person") and not methods:
        methods = [Method.VISIT]
    purposes = matcher.get("purposes") or [Purpose.UPDATE]
    with time_machine.travel(walk.tick(), tick=False):
        contact_log(
            case=walk.case,
            by=walk.officer,  # the assigned officer: meets "by_case_officer" too
            occurred_at=walk.at,
            method=(methods or [Method.PHONE])[0],
            direction=ContactDirection.OUTBOUND,
            purpose=purposes[0],
            party=party,
        )


def _support_referral(walk: Walk, matcher: dict) -> None:
    agency = Agency.objects.create(
        organisation=walk.case.organisation, name="Victim Support", kind="victim_support"
    )
    party = _party(walk, (matcher.get("roles") or ["complainant"])[0])
    with time_machine.travel(walk.tick(), tick=False):
        support_offer(
            case=walk.case,
            by=walk.officer,
            party=party,
            agency=agency,
            offered_at=walk.at,
            consent=True,
            refer=True,
        )


def _safeguarding_referral(walk: Walk, matcher: dict) -> None:
    with time_machine.travel(walk.tick(), tick=False):
        safeguarding_referral_make(
            case=walk.case,
            by=walk.officer,
            party=walk.complainant,
            kind="child",
            local_authority="Hertfordshire County Council",
            referred_at=walk.at,
            concern="A child in the household is frightened to go outside.",
        )


def _repair_done(walk: Walk, matcher: dict) -> None:
    with time_machine.travel(walk.tick(), tick=False):
        repair_update(
            repair=walk.repair,
            by=walk.officer,
            status="done",
            repair_reference="R-1",
            repair_cost=0,
            cleanup_cost=0,
            completed_at=walk.at,
        )


def _plan(walk: Walk) -> ActionPlan:
    return ActionPlan.objects.get(case=walk.case)


def _plan_reviewed(walk: Walk, matcher: dict) -> None:
    if not ActionPlan.objects.filter(case=walk.case, agreed_at__isnull=False).exists():
        _agree_plan(walk)
    with time_machine.travel(walk.tick(), tick=False):
        action_plan_review(
            plan=_plan(walk), by=walk.officer, reviewed_at=walk.at, outcome="on_track"
        )


def _plan_issued(walk: Walk, matcher: dict) -> None:
    with time_machine.travel(walk.tick(), tick=False):
        action_plan_issue(plan=_plan(walk), by=walk.officer, recipient=walk.complainant)


def _case_reviewed(walk: Walk, matcher: dict) -> None:
    with time_machine.travel(walk.tick(), tick=False):
        case_review_record(
            case=walk.case,
            by=walk.officer,
            reviewed_at=walk.at,
            outcome="continue",
            summary="The plan is working; keep it open.",
        )


def _evidence_received(walk: Walk, matcher: dict) -> None:
    with time_machine.travel(walk.tick(), tick=False):
        false_report_evidence_log(
            concern=walk.concern, by=walk.officer, received_at=walk.at, notes="Doorbell video."
        )


def _concern_decided(walk: Walk, matcher: dict) -> None:
    with time_machine.travel(walk.tick(), tick=False):
        false_report_concern_decide(
            concern=walk.concern, by=walk.officer, resolved=True, notes="The video settles it."
        )


def _case_closed(walk: Walk, matcher: dict) -> None:
    _close(walk)


def _appeal(walk: Walk, matcher: dict) -> None:
    with time_machine.travel(walk.tick(), tick=False):
        case_closure_appeal(closure=walk.closure, by=walk.officer, grounds="It has started again.")


MEET = {
    Action.CONTACT: _contact,
    Action.SUPPORT_REFERRAL: _support_referral,
    Action.SAFEGUARDING_REFERRAL: _safeguarding_referral,
    Action.REPAIR_DONE: _repair_done,
    Action.PLAN_AGREED: lambda walk, matcher: _agree_plan(walk),
    Action.PLAN_REVIEWED: _plan_reviewed,
    Action.PLAN_ISSUED: _plan_issued,
    Action.CASE_REVIEWED: _case_reviewed,
    Action.EVIDENCE_RECEIVED: _evidence_received,
    Action.CONCERN_DECIDED: _concern_decided,
    Action.CASE_CLOSED: _case_closed,
    Action.APPEAL_RECEIVED: _appeal,
}


def meet(walk: Walk, rule: dict, matcher: dict | None = None) -> None:
    matcher = matcher or rule["met_by"][0]
    action = matcher["action"]
    if action not in MEET:
        pytest.fail(f"This walk does not know how an officer records {action!r}: add it to MEET")
    MEET[action](walk, matcher)


def live(walk: Walk, code: str) -> Deadline:
    deadline = Deadline.objects.filter(case=walk.case, rule=code, state__in=LIVE_STATES).first()
    assert deadline is not None, f"{walk.preset}: {code} did not start"
    return deadline


@pytest.fixture(autouse=True)
def no_letter_worker():
    """Letters are written, not rendered: the worker is not called."""
    with mock.patch.object(letter_tasks.letter_process, "apply_async"):
        yield


def test_the_walk_knows_every_event_and_every_action():
    """A new Event or Action in the vocabulary must be taught to this walk."""
    known_events = {
        Event.REPORT_RECEIVED,
        Event.PERPETRATOR_ADDED,
        Event.WITNESS_ADDED,
        Event.SAFEGUARDING_RISK,
        Event.REPAIR_REPORTED,
        Event.PLAN_AGREED,
        Event.PLAN_CHANGED,
        Event.FALSE_REPORT_LETTER,
        Event.CASE_CLOSED,
        Event.PREVIOUS_MET,
    }
    assert set(Event) == known_events, f"teach start() {set(Event) - known_events}"
    assert set(Action) == set(MEET), f"teach MEET {set(Action) - set(MEET)}"


def officer_rules() -> list[tuple[str, dict]]:
    """Every rule but the windows (which close by themselves: see the window tests)."""
    return [(p, r) for p, r in preset_rules() if not r.get("window")]


def officer_ids() -> list[str]:
    return [f"{preset}-{rule['code']}" for preset, rule in officer_rules()]


@pytest.mark.parametrize(("preset", "rule"), officer_rules(), ids=officer_ids())
def test_every_preset_rule_is_met_by_an_officers_action(cast, preset, rule):
    apply_preset(cast.organisation, preset)
    walk = Walk(cast=cast, preset=preset, at=REPORTED)
    start(walk, rule)
    deadline = live(walk, rule["code"])
    assert deadline.due_at > walk.at + STEP, "the walk's action must come before the due time"

    meet(walk, rule)

    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET, f"{rule['code']} not met by {rule['met_by'][0]}"
    assert deadline.met_by == cast.officer
    assert deadline.met_at == walk.at
    assert deadline.met_at <= deadline.due_at


def window_rules() -> list[tuple[str, dict]]:
    return [(p, r) for p, r in preset_rules() if r.get("window")]


def window_ids() -> list[str]:
    return [f"{preset}-{rule['code']}" for preset, rule in window_rules()]


@pytest.mark.parametrize(("preset", "rule"), window_rules(), ids=window_ids())
def test_every_preset_window_closes_by_itself_in_the_sweep(cast, preset, rule):
    apply_preset(cast.organisation, preset)
    walk = Walk(cast=cast, preset=preset, at=REPORTED)
    start(walk, rule)
    window = live(walk, rule["code"])

    just_before = window.due_at - timedelta(seconds=1)
    deadlines_sweep(run_id="before", now=just_before)
    window.refresh_from_db()
    assert window.state == DeadlineState.OPEN

    deadlines_sweep(run_id="after", now=window.due_at + timedelta(seconds=1))
    window.refresh_from_db()
    assert window.state == DeadlineState.MET
    assert window.met_source == "Window closed"
    assert window.met_by is None


@pytest.mark.parametrize(("preset", "rule"), window_rules(), ids=window_ids())
def test_every_preset_window_ends_on_an_appeal(cast, preset, rule):
    apply_preset(cast.organisation, preset)
    walk = Walk(cast=cast, preset=preset, at=REPORTED)
    start(walk, rule)
    window = live(walk, rule["code"])

    meet(walk, rule)

    window.refresh_from_db()
    assert window.state == DeadlineState.MET
    assert window.met_by == cast.officer
    walk.case.refresh_from_db()
    assert walk.case.status != Status.CLOSED
