from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enforcement.services import enforcement_action_record
from repairs.services import repair_report
from risk.services import assessment_complete, question_set_ensure_default
from support.models import Agency
from support.services.plans import action_plan_agree, action_plan_review, plan_action_add
from support.services.referrals import agencies_ensure_defaults, support_offer
from support.services.safeguarding import safeguarding_referral_make, welfare_call_log
from tests.casework.helpers import add_incident, add_perpetrator, case_with_people

pytestmark = pytest.mark.django_db


def attach(cast, case, victim, n):
    perp = add_perpetrator(case, cast.officer)
    question_set = question_set_ensure_default(organisation=cast.organisation)
    agencies = list(Agency.objects.filter(organisation=cast.organisation))
    for i in range(n):
        add_incident(case, cast.officer, [victim, perp], hours_ago=20 + i)
        assessment_complete(
            case=case,
            by=cast.officer,
            question_set=question_set,
            method="telephone",
            respondent=victim,
            completed_at=timezone.now() - timedelta(minutes=30 + i),
            answers={q.pk: q.options.last().pk for q in question_set.questions.all()},
        )
        support_offer(
            case=case,
            by=cast.officer,
            party=victim,
            agency=agencies[i % len(agencies)],
            offered_at=timezone.now() - timedelta(minutes=i),
            consent=True,
            refer=True,
        )
        safeguarding_referral_make(
            case=case,
            by=cast.officer,
            party=victim,
            kind="adult",
            local_authority="HCC",
            referred_at=timezone.now() - timedelta(minutes=i),
            concern="Frail",
        )
        welfare_call_log(
            case=case,
            by=cast.officer,
            party=victim,
            occurred_at=timezone.now() - timedelta(minutes=i),
            reached=True,
            wellbeing="OK",
            support_in_place="",
            police_progress="",
        )
        plan_action_add(
            case=case,
            by=cast.officer,
            kind="safety_measure",
            description=f"Measure {i}",
            owner="Police",
            due_date=timezone.localdate(),
            protects=victim,
        )
        repair_report(
            case=case,
            by=cast.officer,
            kind="graffiti",
            description=f"Slogan {i}",
            reported_at=timezone.now(),
            offensive=True,
        )
        enforcement_action_record(
            case=case,
            by=cast.officer,
            party=perp,
            remedy="verbal_warning",
            action_date=timezone.localdate(),
        )
    plan = action_plan_agree(
        case=case, by=cast.officer, agreed_at=timezone.now() - timedelta(minutes=5)
    )
    action_plan_review(plan=plan, by=cast.officer, reviewed_at=timezone.now(), outcome="on_track")


@pytest.mark.parametrize("records", [1, 15])
def test_case_page_query_count_is_pinned_with_all_casework_attached(client, cast, records):
    agencies_ensure_defaults(organisation=cast.organisation)
    case, victim = case_with_people(cast, preset="circle_anglia_2009")
    attach(cast, case, victim, records)
    client.force_login(cast.officer)
    client.get(reverse("cases:detail", args=[case.pk]))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="plan-action"') == records
    # session, user, memberships; the case; which kinds of record it has (one query, a UNION of
    # probes by case); parties; incidents and their acts, grounds and parties (one query); contacts;
    # the deadlines panel; risk assessments; support referrals; safeguarding referrals (welfare
    # calls and police per incident come from the page's contacts and incidents); the action plan
    # with its actions, reviews and versions (3 prefetches); repairs; enforcement actions; the
    # CaseAccess insert (the session, written by the first request under a minute ago, is not
    # written again). Notes, evidence, reviews, letters, concerns, closures and transfer referrals:
    # none on this case, so no query.
    # 21: the policy settings, read once for the "what needs doing next" wording of live deadlines.
    assert len(queries) == 21, "\n".join(q["sql"][:90] for q in queries)
