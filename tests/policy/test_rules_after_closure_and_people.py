"""Rules a landlord writes in the designer beyond the presets: a contact after closure, and
contacting each alleged perpetrator and each witness, met end to end by officers' contacts."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import Person
from cases.models.choices import ContactDirection, PartyRole, Status
from cases.services.parties import party_add
from cases.services.records import contact_log
from deadlines.models import LIVE_STATES, Deadline, DeadlineState
from letters import tasks as letter_tasks
from letters.models import CaseClosure
from letters.services.closure import case_close, case_closure_appeal
from policy.services import policy_draft_start, policy_publish, rule_save
from tests.deadline_helpers import apply_preset, london, open_case

from .conftest import rule_data

pytestmark = pytest.mark.django_db

# Published on Thursday 5 March 2026; the case is reported on Friday 6 March at 10:00.
PUBLISHED = london(2026, 3, 5, 9, 0)
REPORTED = london(2026, 3, 6, 10, 0)


def publish_rules(cast, *rules) -> None:
    """The organisation's policy (Circle Anglia 2009) with ``rules`` added in the designer."""
    apply_preset(cast.organisation, "circle_anglia_2009")
    with time_machine.travel(PUBLISHED, tick=False):
        draft = policy_draft_start(organisation=cast.organisation, by=cast.admin)
        for data in rules:
            rule_save(version=draft, by=cast.admin, data=data)
        policy_publish(version=draft, by=cast.admin)


CHECK_BACK = rule_data(
    "check_back",
    "days",
    28,
    title="Check the problem has not returned",
    subject="after_closure",
    starts_on="case_closed",
    met_by=[{"action": "contact", "roles": ["complainant"]}],
)
PERPETRATOR_CONTACT = rule_data(
    "perpetrator_contact",
    "working_days",
    2,
    title="Contact the alleged perpetrator",
    subject="contact_perpetrator",
    starts_on="perpetrator_added",
    met_by=[{"action": "contact", "roles": ["perpetrator"]}],
)
WITNESS_CONTACT = rule_data(
    "witness_contact",
    "days",
    5,
    title="Contact witnesses",
    subject="contact_witness",
    starts_on="witness_added",
    met_by=[{"action": "contact", "roles": ["witness"]}],
)


def add_party(case, by, role, name):
    person = Person.objects.create(organisation=case.organisation, full_name=name)
    return party_add(case=case, by=by, role=role, person=person)


def phone(case, *, by, party, at, purpose="update"):
    return contact_log(
        case=case,
        by=by,
        occurred_at=at,
        method="phone",
        direction=ContactDirection.OUTBOUND,
        purpose=purpose,
        party=party,
    )


def live(case, code):
    return Deadline.objects.filter(case=case, rule=code, state__in=LIVE_STATES)


# A rule that starts when the case closes ----------------------------------------------------


@pytest.fixture
def closed_case(cast):
    """A case under a policy with a check-back contact 28 days after closure, closed on
    Monday 9 March 2026 at 11:00."""
    publish_rules(cast, CHECK_BACK)
    with time_machine.travel(REPORTED, tick=False):
        case = open_case(cast, received_at=REPORTED)
        victim = add_party(case, cast.officer, PartyRole.COMPLAINANT, "Carol Complainant")
        Person.objects.filter(pk=victim.person_id).update(address="1 Oak Road", postcode="WD17 1AA")
    with (
        time_machine.travel(london(2026, 3, 9, 11, 0), tick=False),
        mock.patch.object(letter_tasks.letter_process, "apply_async"),
    ):
        case.refresh_from_db()
        case_close(
            case=case,
            by=cast.officer,
            reason="resolved",
            rationale="Quiet since the warning.",
            discussed_with_complainant=True,
            discussed_on=timezone.localdate(),
            discussion_notes="",
            expected_version=case.version,
        )
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    return case, victim


def test_post_closure_rule_starts_on_closure_and_is_not_closed_with_the_case(closed_case):
    case, _ = closed_case
    check_back = live(case, "check_back").get()
    assert check_back.started_at == london(2026, 3, 9, 11, 0)
    assert check_back.due_at == london(2026, 4, 6, 11, 0)  # 28 calendar days (BST by then)
    # The recurring welfare call (w13) and the other running deadlines closed with the case.
    welfare = Deadline.objects.get(case=case, rule="w13_welfare_call")
    assert welfare.state == DeadlineState.WAIVED
    assert welfare.waived_reason == "Case closed"
    assert not Deadline.objects.filter(case=case, state__in=LIVE_STATES, window=False).exclude(
        rule="check_back"
    )


def test_post_closure_contact_is_recorded_on_the_closed_case_page_and_meets_it(
    client, cast, closed_case
):
    case, victim = closed_case
    check_back = live(case, "check_back").get()
    at = london(2026, 4, 2, 14, 30)
    client.force_login(cast.officer)
    with time_machine.travel(at + timedelta(minutes=5), tick=False):
        page = client.get(reverse("cases:detail", args=[case.pk]))
        assert b'id="add-contact"' in page.content
        response = client.post(
            reverse("cases:contact_add", args=[case.pk]),
            {
                "party": victim.pk,
                "occurred_at": at.strftime("%Y-%m-%dT%H:%M"),
                "method": "phone",
                "direction": "outbound",
                "purpose": "welfare_call",
                "reached": "on",
                "notes": "No further trouble since the case closed.",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    check_back.refresh_from_db()
    assert check_back.state == DeadlineState.MET
    assert check_back.met_by == cast.officer
    assert check_back.met_at == at
    # A contact on a closed case restarts nothing: the welfare calls stay ended.
    assert not live(case, "w13_welfare_call").exists()
    case.refresh_from_db()
    assert case.status == Status.CLOSED


def test_post_closure_contact_with_someone_else_does_not_meet_it(cast, closed_case):
    case, _ = closed_case
    witness = add_party(case, cast.officer, PartyRole.WITNESS, "Wendy Witness")
    with time_machine.travel(london(2026, 3, 20, 10, 0), tick=False):
        phone(case, by=cast.officer, party=witness, at=london(2026, 3, 20, 9, 0))
    assert live(case, "check_back").get().state == DeadlineState.OPEN


# Contacting each alleged perpetrator and each witness ---------------------------------------


@pytest.fixture
def people_case(cast):
    publish_rules(cast, PERPETRATOR_CONTACT, WITNESS_CONTACT)
    with time_machine.travel(REPORTED, tick=False):
        case = open_case(cast, received_at=REPORTED)
        victim = add_party(case, cast.officer, PartyRole.COMPLAINANT, "Carol Complainant")
        first = add_party(case, cast.officer, PartyRole.PERPETRATOR, "Peter First")
        second = add_party(case, cast.officer, PartyRole.PERPETRATOR, "Paul Second")
        witness = add_party(case, cast.officer, PartyRole.WITNESS, "Wendy Witness")
    return case, victim, first, second, witness


def test_each_perpetrator_added_gets_a_contact_deadline_of_their_own(people_case):
    case, _, first, second, _ = people_case
    deadlines = {d.source_key: d for d in live(case, "perpetrator_contact")}
    assert set(deadlines) == {f"party-{first.pk}", f"party-{second.pk}"}
    for deadline in deadlines.values():
        # Added on Friday 10:00: 2 working days run to the close of Tuesday.
        assert deadline.due_at == london(2026, 3, 10, 17, 0)


def test_a_contact_with_one_perpetrator_meets_only_theirs(cast, people_case):
    case, victim, first, second, _ = people_case
    with time_machine.travel(london(2026, 3, 9, 12, 0), tick=False):
        # Contacts with the complainant or the witness meet no perpetrator's deadline.
        phone(case, by=cast.officer, party=victim, at=london(2026, 3, 9, 11, 0))
        assert live(case, "perpetrator_contact").count() == 2
        phone(case, by=cast.officer, party=first, at=london(2026, 3, 9, 11, 30))
    first_deadline = Deadline.objects.get(
        case=case, rule="perpetrator_contact", source_key=f"party-{first.pk}"
    )
    assert first_deadline.state == DeadlineState.MET
    assert first_deadline.met_by == cast.officer
    second_deadline = live(case, "perpetrator_contact").get()
    assert second_deadline.source_key == f"party-{second.pk}"

    with time_machine.travel(london(2026, 3, 10, 9, 0), tick=False):
        phone(case, by=cast.officer, party=second, at=london(2026, 3, 10, 8, 30))
    second_deadline.refresh_from_db()
    assert second_deadline.state == DeadlineState.MET


def test_a_contact_with_the_witness_meets_the_witness_deadline_and_no_other(cast, people_case):
    case, _, first, _, witness = people_case
    deadline = live(case, "witness_contact").get()
    assert deadline.source_key == f"party-{witness.pk}"
    assert deadline.due_at == london(2026, 3, 11, 10, 0)  # 5 calendar days
    with time_machine.travel(london(2026, 3, 9, 12, 0), tick=False):
        phone(case, by=cast.officer, party=first, at=london(2026, 3, 9, 11, 0))
        assert live(case, "witness_contact").exists()
        phone(case, by=cast.officer, party=witness, at=london(2026, 3, 9, 11, 30))
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET
    assert deadline.met_by == cast.officer


def test_post_closure_rule_ends_when_an_appeal_reopens_the_case(cast, closed_case):
    """The check-back is about the closed case: a case reopened on appeal is worked again,
    so it no longer runs (and the officer is not chased for it)."""
    case, _ = closed_case
    check_back = live(case, "check_back").get()
    closure = CaseClosure.objects.get(case=case)
    with time_machine.travel(london(2026, 3, 16, 10, 0), tick=False):
        case_closure_appeal(closure=closure, by=cast.officer, grounds="It started again.")
    check_back.refresh_from_db()
    assert check_back.state == DeadlineState.WAIVED
    assert check_back.waived_reason == "Case reopened on appeal"
    assert check_back.waived_at == london(2026, 3, 16, 10, 0)
    # The reopened case's welfare calls start again from the appeal.
    assert live(case, "w13_welfare_call").get().started_at == london(2026, 3, 16, 10, 0)
