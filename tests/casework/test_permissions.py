"""Every new page tried by the fixed cast: 403 for a missing role, 404 for another
organisation's record."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from enforcement.services import enforcement_action_record
from repairs.services import repair_report
from risk.services import assessment_complete, question_set_ensure_default
from support.models import Agency
from support.services.plans import action_plan_agree, plan_action_add
from support.services.referrals import agencies_ensure_defaults, support_offer
from tests.casework.helpers import add_incident, add_perpetrator, case_with_people

pytestmark = pytest.mark.django_db

WORK = {"staff": 403, "officer": 200, "manager": 200, "panel": 403, "admin": 403, "outsider": 404}
WORK_OR_MANAGE = {**WORK, "admin": 200}
DIRECTORY = {
    "staff": 403,
    "officer": 200,
    "manager": 200,
    "panel": 403,
    "admin": 200,
    "outsider": 200,
}
MANAGE_OWN = {
    "staff": 403,
    "officer": 403,
    "manager": 200,
    "panel": 403,
    "admin": 200,
    "outsider": 200,
}
MANAGE_OBJECT = {**MANAGE_OWN, "outsider": 404}
ADMIN_ONLY = {
    "staff": 403,
    "officer": 403,
    "manager": 403,
    "panel": 403,
    "admin": 200,
    "outsider": 200,
}


@pytest.fixture
def attached(cast):
    """A case with one of everything this feature adds."""
    agencies_ensure_defaults(organisation=cast.organisation)
    case, victim = case_with_people(cast, preset="circle_anglia_2009")
    perp = add_perpetrator(case, cast.officer)
    incident = add_incident(case, cast.officer, [victim, perp])
    question_set = question_set_ensure_default(organisation=cast.organisation)
    assessment = assessment_complete(
        case=case,
        by=cast.officer,
        question_set=question_set,
        method="telephone",
        respondent=victim,
        completed_at=timezone.now() - timedelta(minutes=1),
        answers={q.pk: q.options.first().pk for q in question_set.questions.all()},
    )
    agency = Agency.objects.get(organisation=cast.organisation, name="Victim Support")
    referral = support_offer(
        case=case,
        by=cast.officer,
        party=victim,
        agency=agency,
        offered_at=timezone.now(),
        consent=True,
        refer=True,
    )
    action = plan_action_add(
        case=case,
        by=cast.officer,
        kind="action",
        description="Visit",
        owner="Olivia",
        due_date=timezone.localdate(),
    )
    action_plan_agree(case=case, by=cast.officer, agreed_at=timezone.now())
    repair = repair_report(
        case=case,
        by=cast.officer,
        kind="graffiti",
        description="Slogan",
        reported_at=timezone.now(),
        offensive=True,
    )
    enforcement = enforcement_action_record(
        case=case,
        by=cast.officer,
        party=perp,
        remedy="verbal_warning",
        action_date=timezone.localdate(),
    )
    return {
        "case": case,
        "incident": incident,
        "assessment": assessment,
        "referral": referral,
        "action": action,
        "repair": repair,
        "enforcement": enforcement,
        "agency": agency,
    }


def pages(a):
    pk = a["case"].pk
    return [
        (reverse("risk:assessment_new", args=[pk]), WORK),
        (reverse("risk:assessment_detail", args=[pk, a["assessment"].pk]), WORK_OR_MANAGE),
        (reverse("risk:question_sets"), ADMIN_ONLY),
        (reverse("support:agencies"), DIRECTORY),
        (reverse("support:agency_new"), MANAGE_OWN),
        (reverse("support:agency_edit", args=[a["agency"].pk]), MANAGE_OBJECT),
        (reverse("support:offer", args=[pk]), WORK),
        (reverse("support:referral_update", args=[pk, a["referral"].pk]), WORK),
        (reverse("support:police", args=[pk, a["incident"].pk]), WORK),
        (reverse("support:safeguarding", args=[pk]), WORK),
        (reverse("support:welfare_call", args=[pk]), WORK),
        (reverse("support:plan_action_add", args=[pk]), WORK),
        (reverse("support:plan_action_update", args=[pk, a["action"].pk]), WORK),
        (reverse("support:plan_agree", args=[pk]), WORK),
        (reverse("support:plan_review", args=[pk]), WORK),
        (reverse("support:plan_issue", args=[pk]), WORK),
        (reverse("repairs:new", args=[pk]), WORK),
        (reverse("repairs:edit", args=[pk, a["repair"].pk]), WORK),
        (reverse("enforcement:remedies", args=[pk]), WORK_OR_MANAGE),
        (reverse("enforcement:action_new", args=[pk]), WORK),
        (reverse("enforcement:action_edit", args=[pk, a["enforcement"].pk]), WORK),
        (reverse("enforcement:conviction_new", args=[pk]), WORK),
    ]


def test_permission_matrix_for_every_new_page(client, cast, attached):
    failures = []
    for url, expected in pages(attached):
        for role, user in cast.by_role().items():
            client.force_login(user)
            status = client.get(url).status_code
            if status != expected[role]:
                failures.append(f"{url} as {role}: {status}, expected {expected[role]}")
    assert not failures, "\n".join(failures)


def test_signed_out_visitors_are_sent_to_sign_in(client, attached):
    for url, _ in pages(attached):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_posts_from_another_organisation_change_nothing(client, cast, attached):
    client.force_login(cast.outsider)
    case = attached["case"]
    response = client.post(
        reverse("enforcement:action_edit", args=[case.pk, attached["enforcement"].pk]),
        {"status": "withdrawn", "legal_costs": "0", "other_costs": "0", "notes": ""},
    )
    assert response.status_code == 404
    attached["enforcement"].refresh_from_db()
    assert attached["enforcement"].status == "proposed"
