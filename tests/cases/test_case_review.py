"""C26 and C16 are met by an officer's own action: a case review, a weekend-support referral.

Before, only a manager's waiver or closing the case ended either deadline. Every other rule an
officer can miss links, on the case page, to the page that meets it.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseReview
from cases.models.choices import PartyRole, Status
from cases.services.reviews import case_review_record
from deadlines.models import Deadline, DeadlineRule, DeadlineState
from deadlines.templatetags.deadline_tags import ACTION_PAGES, deadline_action
from support.models import Agency, SupportStatus
from support.services.referrals import (
    agencies_ensure_defaults,
    support_offer,
    support_referral_update,
)
from tests.deadline_helpers import apply_preset, complainant, london, open_case

pytestmark = pytest.mark.django_db

R = DeadlineRule
REVIEW = CaseReview.Outcome


def review_deadline(case) -> Deadline:
    return Deadline.objects.get(case=case, rule=R.C26_CASE_REVIEW)


@pytest.fixture
def circle(cast):
    apply_preset(cast.organisation, "circle_anglia_2009")
    agencies_ensure_defaults(organisation=cast.organisation)
    return cast


# C26: the three-month review ---------------------------------------------------------------


def test_c26_review_recorded_on_the_due_minute_meets_the_review_on_time(circle):
    case = open_case(circle, received_at=london(2026, 8, 3, 10, 0))
    due = review_deadline(case).due_at
    assert due == london(2026, 11, 3, 10, 0)
    with time_machine.travel(due, tick=False):
        case_review_record(
            case=case,
            by=circle.officer,
            reviewed_at=due,
            outcome=REVIEW.CONTINUE,
            summary="Plan working; no new incidents for six weeks.",
        )
    deadline = review_deadline(case)
    assert deadline.state == DeadlineState.MET
    assert deadline.met_by == circle.officer
    assert deadline.met_source == "Case reviewed"
    assert not deadline.met_late


def test_c26_review_a_minute_after_it_fell_due_is_met_late(circle):
    case = open_case(circle, received_at=london(2026, 8, 3, 10, 0))
    late = london(2026, 11, 3, 10, 1)
    with time_machine.travel(late, tick=False):
        case_review_record(
            case=case,
            by=circle.manager,
            reviewed_at=late,
            outcome=REVIEW.PROPOSE_CLOSURE,
            summary="Quiet since August.",
        )
    deadline = review_deadline(case)
    assert deadline.state == DeadlineState.MET
    assert deadline.met_late


@time_machine.travel(london(2026, 11, 9, 12, 0), tick=False)
def test_c26_officer_records_the_review_on_the_case_page(circle, client):
    case = open_case(circle, received_at=london(2026, 8, 1, 9, 0))
    client.force_login(circle.officer)
    url = reverse("cases:review_add", args=[case.pk])

    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert url in page  # beside the C26 deadline and among the case's actions

    response = client.post(
        url,
        {
            "reviewed_at": "2026-11-09T11:30",
            "outcome": REVIEW.MORE_ACTION,
            "summary": "Perpetrator warned again; CCTV to be fitted.",
        },
    )
    assert response.status_code == 302
    review = CaseReview.objects.get(case=case)
    assert review.reviewed_by == circle.officer
    assert review.reviewed_at == london(2026, 11, 9, 11, 30)
    assert review_deadline(case).state == DeadlineState.MET
    assert review.history.get().history_user == circle.officer

    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Case review (C26)" in page
    assert "CCTV to be fitted." in page

    client.force_login(circle.manager)
    trail = client.get(reverse("cases:audit", args=[case.pk])).content.decode()
    assert "Case review: Keep the case open with more action" in trail


@time_machine.travel(london(2026, 11, 9, 12, 0), tick=False)
def test_c26_the_same_review_sent_twice_is_recorded_once(circle, client):
    case = open_case(circle, received_at=london(2026, 8, 1, 9, 0))
    client.force_login(circle.officer)
    form = {"reviewed_at": "2026-11-09T11:30", "outcome": REVIEW.CONTINUE, "summary": "Quiet."}
    first = client.post(reverse("cases:review_add", args=[case.pk]), form)
    second = client.post(reverse("cases:review_add", args=[case.pk]), form)
    assert (first.status_code, second.status_code) == (302, 302)
    assert CaseReview.objects.filter(case=case).count() == 1
    assert review_deadline(case).state == DeadlineState.MET


@time_machine.travel(london(2026, 11, 9, 12, 0), tick=False)
def test_c26_review_refused_with_the_message_beside_the_field_and_the_input_kept(circle, client):
    case = open_case(circle, received_at=london(2026, 8, 1, 9, 0))
    client.force_login(circle.officer)
    response = client.post(
        reverse("cases:review_add", args=[case.pk]),
        {"reviewed_at": "2026-11-10T09:00", "outcome": REVIEW.CONTINUE, "summary": "Kept text"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["reviewed_at"] == ["A review cannot be recorded in the future."]
    assert "Kept text" in response.content.decode()
    assert not CaseReview.objects.exists()
    assert review_deadline(case).state == DeadlineState.OPEN

    response = client.post(
        reverse("cases:review_add", args=[case.pk]),
        {"reviewed_at": "2026-11-09T09:00", "outcome": REVIEW.CONTINUE, "summary": "   "},
    )
    assert "summary" in response.context["form"].errors
    assert not CaseReview.objects.exists()


@time_machine.travel(london(2026, 11, 9, 12, 0), tick=False)
def test_c26_a_closed_case_is_not_reviewed(circle):
    from django.core.exceptions import ValidationError

    case = open_case(circle, received_at=london(2026, 8, 1, 9, 0))
    type(case).objects.filter(pk=case.pk).update(status=Status.CLOSED, closed_at=timezone.now())
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        case_review_record(
            case=case,
            by=circle.officer,
            reviewed_at=timezone.now(),
            outcome=REVIEW.CONTINUE,
            summary="Too late.",
        )


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", 403),
        ("officer", 200),
        ("manager", 200),
        ("panel", 403),
        ("admin", 403),
        ("outsider", 404),
    ],
)
def test_c26_review_page_by_each_role_of_the_cast(circle, client, role, expected):
    case = open_case(circle, received_at=timezone.now() - timedelta(days=1))
    client.force_login(circle.by_role()[role])
    assert client.get(reverse("cases:review_add", args=[case.pk])).status_code == expected


# C16: the weekend-support referral -------------------------------------------------------


def friday_case(cast):
    case = open_case(cast, received_at=london(2026, 11, 6, 14, 0), fear_of_violence=True)
    return case, complainant(case)


def victim_support(cast) -> Agency:
    return Agency.objects.get(organisation=cast.organisation, name="Victim Support")


def c16(case) -> Deadline:
    return Deadline.objects.get(case=case, rule=R.C16_WEEKEND_REFERRAL)


@time_machine.travel(london(2026, 11, 6, 16, 59), tick=False)
def test_c16_referral_of_the_complainant_at_friday_1659_meets_the_weekend_referral(circle):
    case, party = friday_case(circle)
    support_offer(
        case=case,
        by=circle.officer,
        party=party,
        agency=victim_support(circle),
        offered_at=london(2026, 11, 6, 16, 59),
        consent=True,
        refer=True,
    )
    deadline = c16(case)
    assert deadline.state == DeadlineState.MET
    assert deadline.met_source == "Weekend-support referral made"
    assert not deadline.met_late


@time_machine.travel(london(2026, 11, 6, 16, 0), tick=False)
def test_c16_an_offer_without_a_referral_or_a_witness_referral_does_not_meet_it(circle):
    case, party = friday_case(circle)
    support_offer(
        case=case,
        by=circle.officer,
        party=party,
        agency=victim_support(circle),
        offered_at=timezone.now(),
        consent=False,
        refer=False,
    )
    assert c16(case).state == DeadlineState.OPEN

    from cases.models import CaseParty, Person

    witness = CaseParty.objects.create(
        case=case,
        person=Person.objects.create(organisation=case.organisation, full_name="Will Witness"),
        role=PartyRole.WITNESS,
    )
    support_offer(
        case=case,
        by=circle.officer,
        party=witness,
        agency=victim_support(circle),
        offered_at=timezone.now(),
        consent=True,
        refer=True,
    )
    assert c16(case).state == DeadlineState.OPEN


def test_c16_an_offer_turned_into_a_referral_on_saturday_meets_it_late(circle):
    with time_machine.travel(london(2026, 11, 6, 15, 0), tick=False):
        case, party = friday_case(circle)
        offer = support_offer(
            case=case,
            by=circle.officer,
            party=party,
            agency=victim_support(circle),
            offered_at=timezone.now(),
            consent=False,
            refer=False,
        )
    with time_machine.travel(london(2026, 11, 7, 10, 0), tick=False):
        support_referral_update(
            referral=offer,
            by=circle.officer,
            status=SupportStatus.REFERRED,
            consent=True,
            outcome="",
        )
    deadline = c16(case)
    assert deadline.state == DeadlineState.MET
    assert deadline.met_at == london(2026, 11, 7, 10, 0)
    assert deadline.met_late


# Every deadline an officer can miss links to the page that meets it ----------------------


@pytest.mark.parametrize("preset", ["wch_2022", "circle_anglia_2009"])
def test_every_action_and_every_preset_rule_but_a_window_has_a_page_that_meets_it(preset):
    from policy.selectors import preset_document
    from policy.vocabulary import Action

    assert set(ACTION_PAGES) == set(Action.values)
    for rule in preset_document(preset)["rules"]:
        if not rule["window"]:
            assert any(m["action"] in ACTION_PAGES for m in rule["met_by"]), rule["code"]


@time_machine.travel(london(2026, 11, 6, 14, 30), tick=False)
def test_c16_and_c26_links_on_the_case_page_lead_to_the_referral_and_the_review(circle, client):
    case, _ = friday_case(circle)
    client.force_login(circle.officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f'href="{reverse("support:offer", args=[case.pk])}">Make the referral' in page
    assert f'href="{reverse("cases:review_add", args=[case.pk])}">Record the case review' in page
    assert deadline_action(c16(case))["url"] == reverse("support:offer", args=[case.pk])

    met = c16(case)
    met.state = DeadlineState.MET
    assert deadline_action(met) is None
