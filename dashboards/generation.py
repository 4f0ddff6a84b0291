"""Realistic case histories in bulk, for the demo (a year per organisation) and for the
volume test (``seed_volume``: 100,000 cases).

Rows are written with ``bulk_create`` in batches, straight to the tables the dashboards
read: cases, people and their roles, incidents with their acts and grounds, and deadlines
in every state (met on time, met late, waived, open, overdue). It skips the services on
purpose: a year of history cannot be lived through ``case_open`` at today's clock, and
the services' per-row history and e-mail would make 100,000 cases take hours. The shapes
match what the services write (references from ``CaseSequence``, deadlines' clauses and due
times from the organisation's policy). No history rows are written for generated data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Area, Organisation, User
from cases.models import (
    Case,
    CaseParty,
    CaseSequence,
    Incident,
    IncidentActEntry,
    IncidentGroundEntry,
    Person,
)
from cases.models import choices as c
from cases.services.search import case_search_refresh
from deadlines.models import Deadline, DeadlineRule, DeadlineState
from policy.calendar import LONDON, WorkingCalendar
from policy.engine import due_time, timescale_words
from policy.selectors import rules_in_force
from policy.services import policy_ensure
from policy.settings import policy_for

from .casework_generation import casework_generate

# Plausible wording for generated demo records, picked by position (not by the random
# generator, so the generated figures stay the same).
SUMMARIES = (
    "Neighbour shouts abuse from the balcony whenever the resident comes home.",
    "Eggs thrown at the front door and a note pushed through the letterbox.",
    "Young people gather in the stairwell, block the way and make comments.",
    "Offensive graffiti painted on the garden wall overnight.",
    "Repeated abusive messages online after a dispute about parking.",
    "Bins tipped over and rubbish left on the doorstep several nights running.",
    "Threats made in the lift; the resident is now afraid to use it alone.",
    "Banging on the ceiling and insults whenever the resident has visitors.",
)
INCIDENT_DESCRIPTIONS = (
    "Shouted insults across the car park.",
    "Kicked the front door and spat at it.",
    "Left an offensive note in the post box.",
    "Followed the resident to the bus stop, making threats.",
    "Damaged the resident's car wing mirror.",
    "Posted abusive comments online naming the resident.",
)

BATCH = 5000

PLACES = (
    "stairwell",
    "car park",
    "communal garden",
    "bin store",
    "play area",
    "lift lobby",
    "front path",
    "shared landing",
)
STREETS = (
    "Brookside Court",
    "Harebell Close",
    "Station Road",
    "Orchard House",
    "Meadow View",
    "Kingfisher Way",
    "Chapel Street",
    "Willow Walk",
    "Albion Terrace",
    "Nightingale Rise",
)
FIRST = ("Alex", "Sam", "Jo", "Chris", "Priya", "Ade", "Marta", "Tomasz", "Aisha", "Dev", "Kim")
LAST = ("Khan", "Smith", "Nowak", "Okafor", "Jones", "Patel", "Murphy", "Ali", "Brown", "Chen")

ACTS_HARASSMENT = (
    c.IncidentAct.VERBAL_ABUSE,
    c.IncidentAct.INTIMIDATION,
    c.IncidentAct.THREATS,
    c.IncidentAct.INTERFERENCE,
    c.IncidentAct.CRIMINAL_DAMAGE,
    c.IncidentAct.ONLINE_ABUSE,
    c.IncidentAct.VANDALISM,
)
ACTS_HATE = (
    c.IncidentAct.DISCRIMINATORY_LANGUAGE,
    c.IncidentAct.GRAFFITI,
    c.IncidentAct.VERBAL_ABUSE,
    c.IncidentAct.HATE_MAIL,
    c.IncidentAct.ASSAULT,
    c.IncidentAct.THREATS,
    c.IncidentAct.DRIVING_OUT,
)
GROUNDS = (
    (c.HateGround.RACE, 40),
    (c.HateGround.RELIGION, 15),
    (c.HateGround.SEXUAL_ORIENTATION, 12),
    (c.HateGround.DISABILITY, 12),
    (c.HateGround.NATIONALITY, 10),
    (c.HateGround.TRANSGENDER, 5),
    (c.HateGround.COLOUR, 3),
    (c.HateGround.AGE, 3),
)
CHANNELS = (
    (c.Channel.PHONE, 45),
    (c.Channel.EMAIL, 15),
    (c.Channel.WEBSITE, 15),
    (c.Channel.IN_PERSON, 10),
    (c.Channel.HOTLINE, 6),
    (c.Channel.LETTER, 4),
    (c.Channel.STAFF_OBSERVED, 5),
)


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _equality(rng: random.Random, enum, common: dict[str, int]) -> str:
    """Mostly the common answers, some "prefer not to say", some never asked."""
    roll = rng.random()
    if roll < 0.12:
        return ""
    if roll < 0.18:
        return "prefer_not"
    pairs = [(v, common.get(v, 1)) for v in enum.values if v not in ("", "prefer_not")]
    return _weighted(rng, pairs)


def _person(rng: random.Random, organisation: Organisation, now: datetime) -> Person:
    dob = None
    if rng.random() < 0.85:
        dob = (now - timedelta(days=rng.randint(16 * 365, 85 * 365))).date()
    tenure = _weighted(rng, [(c.Tenure.TENANT, 80), (c.Tenure.LEASEHOLDER, 10), ("unknown", 10)])
    return Person(
        organisation=organisation,
        full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        date_of_birth=dob,
        tenure=tenure,
        # Housing associations' tenancies are assured (C25: possession on Ground 14).
        tenancy_type=c.TenancyType.ASSURED if tenure == c.Tenure.TENANT else "",
        gender=_equality(rng, c.Gender, {"woman": 50, "man": 45, "non_binary": 2}),
        gender_same_as_birth=_equality(rng, c.YesNoPrefer, {"yes": 95, "no": 2}),
        ethnicity=_equality(
            rng, c.Ethnicity, {"white_british": 55, "asian": 12, "black": 10, "white_other": 8}
        ),
        religion=_equality(
            rng, c.Religion, {"christian": 35, "none": 35, "muslim": 12, "hindu": 4}
        ),
        sexual_orientation=_equality(rng, c.SexualOrientation, {"heterosexual": 88}),
        disability=_equality(rng, c.YesNoPrefer, {"no": 70, "yes": 25}),
        marital_status=_equality(rng, c.MaritalStatus, {"single": 45, "married": 35}),
        pregnant_or_maternity=_equality(rng, c.YesNoPrefer, {"no": 95, "yes": 3}),
        created_at=now,
        updated_at=now,
    )


@dataclass
class Cast:
    """Who the generated cases belong to and are worked by."""

    organisation: Organisation
    creator: User
    officers: list[User]
    manager: User
    areas: list[Area]


def _received_times(rng: random.Random, count: int, start: datetime, end: datetime) -> list:
    span = (end - start).total_seconds()
    times = []
    for _ in range(count):
        at = start + timedelta(seconds=rng.random() * span)
        # Reports come in office hours more than at night.
        local = at.astimezone(LONDON)
        if local.hour < 7 and rng.random() < 0.7:
            at += timedelta(hours=9)
        times.append(min(at, end - timedelta(minutes=1)))
    times.sort()
    return times


def _references(organisation: Organisation, times: list[datetime]) -> list[str]:
    """Take numbers from the organisation's sequence, a block per year, as case_open would."""
    per_year: dict[int, int] = {}
    for at in times:
        year = at.astimezone(LONDON).year
        per_year[year] = per_year.get(year, 0) + 1
    next_number: dict[int, int] = {}
    for year, needed in per_year.items():
        sequence, _ = CaseSequence.objects.select_for_update().get_or_create(
            organisation=organisation, year=year
        )
        next_number[year] = sequence.last_number + 1
        CaseSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + needed)
    references = []
    for at in times:
        year = at.astimezone(LONDON).year
        references.append(f"{organisation.code}-{year}-{next_number[year]:05d}")
        next_number[year] += 1
    return references


def cases_generate(
    *,
    cast: Cast,
    count: int,
    start: datetime,
    end: datetime,
    seed: int = 2026,
    casework: bool = False,
) -> int:
    """Write ``count`` cases received between ``start`` and ``end`` with everything the
    dashboards count. With ``casework``, also support, action plans, enforcement, repairs
    and closures with satisfaction (``casework_generation.py``). Returns the number of
    cases written."""
    rng = random.Random(seed)
    # Its own generator, so the cases themselves are the same with or without case work.
    casework_rng = random.Random(seed + 1) if casework else None
    now = timezone.now()
    end = min(end, now)
    policy_ensure(cast.organisation)
    policy = {
        "rules": {rule.code: rule for rule in rules_in_force(cast.organisation.pk)},
        "calendar": WorkingCalendar.for_policy(policy_for(cast.organisation)),
    }
    organisation = cast.organisation
    with transaction.atomic():
        times = _received_times(rng, count, start, end)
        references = _references(organisation, times)
        earlier: list[Case] = list(
            Case.objects.filter(organisation=organisation).order_by("-received_at")[:50]
        )
        for offset in range(0, count, BATCH):
            chunk = list(
                zip(
                    times[offset : offset + BATCH], references[offset : offset + BATCH], strict=True
                )
            )
            earlier = _generate_batch(rng, cast, policy, chunk, now, earlier, casework_rng)
    return count


def _area_place(rng: random.Random, cast: Cast) -> tuple[Area | None, str]:
    # A few areas and a few streets in each take most reports: the hotspots to find.
    index = min(int(rng.paretovariate(1.4)) - 1, len(cast.areas) - 1)
    area = cast.areas[index] if cast.areas else None
    street = STREETS[min(int(rng.paretovariate(1.2)) - 1, len(STREETS) - 1)]
    return area, f"{street} {rng.choice(PLACES)}"


def _generate_batch(rng, cast: Cast, policy, chunk, now, earlier, casework_rng=None):
    organisation = cast.organisation
    cases: list[Case] = []
    for received_at, reference in chunk:
        category = _weighted(
            rng,
            [
                (c.Category.HARASSMENT, 62),
                (c.Category.HATE_INCIDENT, 25),
                (c.Category.HATE_CRIME, 13),
            ],
        )
        age = now - received_at
        closes_after = timedelta(days=rng.randint(10, 240))
        closed_at = received_at + closes_after if closes_after < age else None
        area, location = _area_place(rng, cast)
        previous = None
        if earlier and rng.random() < 0.04:
            previous = rng.choice(earlier)
        cases.append(
            Case(
                organisation=organisation,
                reference=reference,
                category=category,
                original_category=(category if rng.random() < 0.93 else c.Category.HARASSMENT),
                status=c.Status.CLOSED
                if closed_at
                else rng.choice((c.Status.OPEN, c.Status.OPEN, c.Status.CLOSING)),
                risk_level=_weighted(rng, [("high", 30), ("medium", 45), ("standard", 25)]),
                area=area,
                location=location,
                assigned_officer=rng.choice(cast.officers),
                received_at=received_at,
                channel=_weighted(rng, CHANNELS),
                reporter_type=_weighted(
                    rng, [("victim", 70), ("on_behalf", 12), ("witness", 10), ("staff", 8)]
                ),
                summary=SUMMARIES[len(cases) % len(SUMMARIES)],
                previous_case=previous,
                created_by=cast.creator,
                created_at=received_at,
                updated_at=closed_at or received_at,
                closed_at=closed_at,
            )
        )
    Case.objects.bulk_create(cases, batch_size=BATCH)

    people: list[Person] = []
    for _case in cases:
        people.append(_person(rng, organisation, now))  # the complainant (and usually victim)
        people.append(_person(rng, organisation, now))  # a named perpetrator, if there is one
    Person.objects.bulk_create(people, batch_size=BATCH)

    parties: list[CaseParty] = []
    complainants: list[CaseParty] = []
    perpetrators: list[CaseParty | None] = []
    incidents: list[Incident] = []
    incident_meta: list[tuple[Case, bool]] = []
    for index, case in enumerate(cases):
        complainant, perpetrator = people[2 * index], people[2 * index + 1]
        parties.append(
            CaseParty(
                case=case,
                person=complainant,
                role=c.PartyRole.COMPLAINANT,
                created_at=case.received_at,
            )
        )
        complainants.append(parties[-1])
        if case.reporter_type in ("victim", "staff"):
            parties.append(
                CaseParty(
                    case=case,
                    person=complainant,
                    role=c.PartyRole.VICTIM,
                    created_at=case.received_at,
                )
            )
        named = rng.random() < 0.7
        if named:
            parties.append(
                CaseParty(
                    case=case,
                    person=perpetrator,
                    role=c.PartyRole.PERPETRATOR,
                    perpetrator_kind="named",
                    created_at=case.received_at,
                )
            )
            perpetrators.append(parties[-1])
        else:
            perpetrators.append(None)
            parties.append(
                CaseParty(
                    case=case,
                    role=c.PartyRole.PERPETRATOR,
                    perpetrator_kind=rng.choice(("unknown", "group")),
                    description="Not known to the complainant",
                    created_at=case.received_at,
                )
            )
        limit = case.closed_at or now
        n_incidents = _weighted(rng, [(1, 55), (2, 25), (3, 12), (4, 8)])
        hate = case.category != c.Category.HARASSMENT
        for i in range(n_incidents):
            occurred = (
                case.received_at - timedelta(days=rng.randint(0, 3))
                if i == 0
                else (case.received_at + (limit - case.received_at) * rng.random())
            )
            incidents.append(
                Incident(
                    case=case,
                    organisation_id=case.organisation_id,
                    occurred_at=occurred,
                    location=case.location if rng.random() < 0.8 else "",
                    description=INCIDENT_DESCRIPTIONS[len(incidents) % len(INCIDENT_DESCRIPTIONS)],
                    perceived_by="victim" if hate else "",
                    police_reported=rng.choice(("yes", "no", "unknown")),
                    recorded_by=case.assigned_officer,
                    created_at=max(occurred, case.received_at),
                )
            )
            incident_meta.append((case, hate))
        if named and n_incidents >= 2:
            case.course_of_conduct = True  # W03: same perpetrator, same victim, twice or more
        case.hate_ground_recorded = hate  # every hate incident below records a ground (W04)
    CaseParty.objects.bulk_create(parties, batch_size=BATCH)
    case_search_refresh(case_ids=[case.pk for case in cases])  # written in bulk: no service ran
    Incident.objects.bulk_create(incidents, batch_size=BATCH)
    Case.objects.bulk_update(
        [x for x in cases if x.course_of_conduct or x.hate_ground_recorded],
        ["course_of_conduct", "hate_ground_recorded"],
        batch_size=BATCH,
    )

    acts: list[IncidentActEntry] = []
    grounds: list[IncidentGroundEntry] = []
    for incident, (_case, hate) in zip(incidents, incident_meta, strict=True):
        pool = ACTS_HATE if hate else ACTS_HARASSMENT
        for act in set(rng.sample(pool, rng.choice((1, 1, 2, 3)))):
            acts.append(IncidentActEntry(incident=incident, act=act))
        if hate:
            for ground in {_weighted(rng, GROUNDS) for _ in range(rng.choice((1, 1, 2)))}:
                grounds.append(IncidentGroundEntry(incident=incident, ground=ground))
    IncidentActEntry.objects.bulk_create(acts, batch_size=BATCH)
    IncidentGroundEntry.objects.bulk_create(grounds, batch_size=BATCH)

    deadlines: list[Deadline] = []
    for case in cases:
        deadlines.extend(_deadlines(rng, cast, policy["rules"], policy["calendar"], case, now))
    Deadline.objects.bulk_create(deadlines, batch_size=BATCH)
    if casework_rng is not None:
        casework_generate(
            casework_rng,
            organisation=organisation,
            cases=cases,
            complainants=complainants,
            perpetrators=perpetrators,
            now=now,
        )
    return (earlier + cases)[-50:]


def _settle(rng, cast: Cast, deadline: Deadline, case: Case, now, *, on_time: float) -> Deadline:
    """Give a deadline the state it would have by now: met (on time or late), waived, or
    still live (open, or overdue once the sweep has passed its due time)."""
    limit = case.closed_at or now
    roll = rng.random()
    if roll < 0.03 and deadline.due_at < limit:
        deadline.state = DeadlineState.WAIVED
        deadline.waived_at = deadline.started_at + (deadline.due_at - deadline.started_at) / 2
        deadline.waived_by = cast.manager
        deadline.waived_reason = "No longer needed: the complainant asked for no further calls."
        return deadline
    late = roll > on_time
    if not late:
        met_at = deadline.started_at + (deadline.due_at - deadline.started_at) * rng.uniform(
            0.1, 0.98
        )
    else:
        met_at = deadline.due_at + timedelta(hours=rng.randint(2, 24 * 10))
    if met_at <= limit:
        deadline.state = DeadlineState.MET
        deadline.met_at = met_at
        deadline.met_by = case.assigned_officer
        deadline.met_source = "Contact logged"
    elif case.closed_at is not None:
        deadline.state = DeadlineState.WAIVED
        deadline.waived_at = case.closed_at
        deadline.waived_by = cast.manager
        deadline.waived_reason = "The case was closed."
    else:
        deadline.state = DeadlineState.OVERDUE if deadline.due_at <= now else DeadlineState.OPEN
    return deadline


def _deadline(case: Case, rule, calendar, started_at: datetime, started_by: str):
    """A deadline of ``rule`` on its standard (last) timescale, as the engine would start it."""
    timescale = list(rule.timescales.all())[-1]
    words = timescale_words(timescale.unit, timescale.amount, every=rule.repeats)
    return Deadline(
        case=case,
        organisation_id=case.organisation_id,
        policy_rule=rule,
        rule=rule.code,
        title=rule.title,
        promise=rule.promise,
        clause=f"{rule.clause}: {words}"[:200],
        window=rule.window,
        started_by=started_by,
        started_at=started_at,
        due_at=due_time(timescale.unit, timescale.amount, started_at, calendar),
        created_at=started_at,
    )


# The rules whose deadlines generated cases carry, and how often each is kept on time.
GENERATED = (
    (DeadlineRule.W08_FIRST_CONTACT, 0.86),
    (DeadlineRule.C19_OFFICER_CONTACT, 0.8),
    (DeadlineRule.C26_CASE_REVIEW, 0.7),
)


def _deadlines(rng, cast: Cast, rules: dict, calendar, case: Case, now) -> list[Deadline]:
    rows = []
    for code, on_time in GENERATED:
        if code in rules:
            deadline = _deadline(case, rules[code], calendar, case.received_at, "Report received")
            rows.append(_settle(rng, cast, deadline, case, now, on_time=on_time))
    if DeadlineRule.W13_WELFARE_CALL in rules:
        started = case.received_at
        for _ in range(rng.randint(1, 3)):
            call = _deadline(
                case,
                rules[DeadlineRule.W13_WELFARE_CALL],
                calendar,
                started,
                "Case opened" if started == case.received_at else "Welfare call made",
            )
            rows.append(_settle(rng, cast, call, case, now, on_time=0.75))
            if call.state != DeadlineState.MET:
                break
            started = call.met_at
    return rows
