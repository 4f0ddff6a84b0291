from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from deadlines.models import Deadline, DeadlineRule
from risk.defaults import DEFAULT_HIGH_FROM, DEFAULT_MEDIUM_FROM, DEFAULT_QUESTIONS
from risk.models import Assessment
from risk.services import assessment_complete, question_set_ensure_default, question_set_publish
from tests.casework.helpers import case_with_people

pytestmark = pytest.mark.django_db

TWO_QUESTIONS = """\
? Fear for safety?
- None = 0
- Some = 5
- Great = 10
? Children at risk?
- No = 0
- Yes = 2 [safeguarding]
"""


def answers_scoring(question_set, target: int) -> dict[int, int]:
    """Pick answers adding up to exactly ``target`` (greedy over the default matrix)."""
    chosen, left = {}, target
    for question in question_set.questions.all():
        options = sorted(
            (o for o in question.options.all() if not o.safeguarding),
            key=lambda o: o.score,
            reverse=True,
        )
        pick = next(o for o in options if o.score <= left)
        chosen[question.pk] = pick.pk
        left -= pick.score
    assert left == 0, f"cannot make {target}"
    return chosen


def complete(case, by, question_set, party, answers, **extra):
    return assessment_complete(
        case=case,
        by=by,
        question_set=question_set,
        method="telephone",
        respondent=party,
        completed_at=timezone.now() - timedelta(minutes=5),
        answers=answers,
        **extra,
    )


@pytest.mark.parametrize(
    "score,level",
    [
        (0, "standard"),
        (DEFAULT_MEDIUM_FROM - 1, "standard"),
        (DEFAULT_MEDIUM_FROM, "medium"),
        (DEFAULT_HIGH_FROM - 1, "medium"),
        (DEFAULT_HIGH_FROM, "high"),
    ],
)
def test_w10_risk_score_at_each_band_edge(cast, score, level):
    case, victim = case_with_people(cast)
    question_set = question_set_ensure_default(organisation=cast.organisation)
    assessment = complete(
        case, cast.officer, question_set, victim, answers_scoring(question_set, score)
    )
    assert (assessment.score, assessment.scored_level, assessment.level) == (score, level, level)
    case.refresh_from_db()
    assert case.risk_level == level
    # The change to the case is recorded with its reason.
    assert case.history.first().history_change_reason.startswith(f"Risk assessment {assessment.pk}")


def test_w10_high_risk_case_shows_assessment_due_until_one_is_completed(client, cast):
    case, victim = case_with_people(cast)
    client.force_login(cast.officer)
    page = reverse("cases:detail", args=[case.pk])
    assert client.get(page).context["risk"]["due"] is True
    question_set = question_set_ensure_default(organisation=cast.organisation)
    complete(case, cast.officer, question_set, victim, answers_scoring(question_set, 30))
    response = client.get(page)
    assert response.context["risk"]["due"] is False
    assert b"Assessment due" not in response.content


def test_w10_officer_may_raise_the_level_with_a_reason_but_not_lower_it(cast):
    case, victim = case_with_people(cast)
    question_set = question_set_ensure_default(organisation=cast.organisation)
    answers = answers_scoring(question_set, 2)
    with pytest.raises(ValidationError) as missing_reason:
        complete(case, cast.officer, question_set, victim, answers, level="high")
    assert "raise_reason" in missing_reason.value.message_dict
    raised = complete(
        case, cast.officer, question_set, victim, answers, level="high", raise_reason="Knife seen"
    )
    assert (raised.scored_level, raised.level, raised.was_raised) == ("standard", "high", True)
    with pytest.raises(ValidationError) as lowered:
        complete(
            case,
            cast.officer,
            question_set,
            victim,
            answers_scoring(question_set, 30),
            level="medium",
        )
    assert "level" in lowered.value.message_dict


def test_w10_reassessment_keeps_the_earlier_ones(cast):
    case, victim = case_with_people(cast)
    question_set = question_set_ensure_default(organisation=cast.organisation)
    first = complete(case, cast.officer, question_set, victim, answers_scoring(question_set, 30))
    second = complete(case, cast.officer, question_set, victim, answers_scoring(question_set, 3))
    assert list(Assessment.objects.filter(case=case)) == [second, first]
    assert Case.objects.get(pk=case.pk).risk_level == "standard"


def test_w10_new_question_set_version_leaves_old_assessments_unchanged(cast):
    case, victim = case_with_people(cast)
    v1 = question_set_ensure_default(organisation=cast.organisation)
    old = complete(case, cast.officer, v1, victim, answers_scoring(v1, DEFAULT_MEDIUM_FROM))
    v2 = question_set_publish(
        organisation=cast.organisation,
        by=cast.admin,
        title="Shorter matrix",
        questions_text=TWO_QUESTIONS,
        medium_from=3,
        high_from=8,
    )
    assert (v1.version, v2.version) == (1, 2)
    old.refresh_from_db()
    assert old.question_set_id == v1.pk
    assert (old.score, old.level) == (DEFAULT_MEDIUM_FROM, "medium")
    assert old.answers.count() == v1.questions.count() == 10
    assert v1.questions.first().text.startswith("How afraid")
    # The new version scores new assessments with its own bands.
    fear, children = v2.questions.all()
    new = complete(
        case,
        cast.officer,
        v2,
        victim,
        {fear.pk: fear.options.get(score=10).pk, children.pk: children.options.get(score=0).pk},
    )
    assert (new.question_set_id, new.level) == (v2.pk, "high")


def test_w10_default_matrix_covers_what_both_policies_ask(cast):
    text = DEFAULT_QUESTIONS.lower()
    for topic in (
        "afraid",
        "before",
        "targeted",
        "disability",
        "children",
        "sleep",
        "work",
        "school",
        "going out",
        "isolated",
        "moving",
        "violence",
        "weapon",
        "police",
    ):
        assert topic in text, topic


def test_w10_publishing_rejects_bad_text_beside_the_field(cast):
    with pytest.raises(ValidationError) as error:
        question_set_publish(
            organisation=cast.organisation,
            by=cast.admin,
            title="Broken",
            questions_text="? Only one answer\n- Yes = 1\n",
            medium_from=1,
            high_from=2,
        )
    assert "questions_text" in error.value.message_dict


def test_w15_answer_showing_a_child_at_risk_starts_the_safeguarding_deadline(cast):
    case, victim = case_with_people(cast)
    question_set = question_set_ensure_default(organisation=cast.organisation)
    answers = answers_scoring(question_set, 0)
    children = question_set.questions.get(text__startswith="Are there children")
    answers[children.pk] = children.options.get(safeguarding=True).pk
    assessment = complete(case, cast.officer, question_set, victim, answers)
    assert assessment.safeguarding_concern
    deadline = Deadline.objects.get(case=case, rule=DeadlineRule.W15_SAFEGUARDING_REFERRAL)
    assert deadline.source_key == f"risk-assessment-{assessment.pk}"
    assert deadline.state == "open"


def test_w10_assessment_form_records_how_and_with_whom(client, cast):
    case, victim = case_with_people(cast)
    question_set = question_set_ensure_default(organisation=cast.organisation)
    client.force_login(cast.officer)
    data = {
        "method": "interview",
        "respondent": victim.pk,
        "completed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "level": "",
        "raise_reason": "",
        "notes": "",
    }
    for question_pk, option_pk in answers_scoring(question_set, 13).items():
        data[f"question_{question_pk}"] = option_pk
    url = reverse("risk:assessment_new", args=[case.pk])
    bad = client.post(url, {**data, "level": "high"})
    assert bad.status_code == 200
    assert "Say why the level is higher" in bad.content.decode()
    response = client.post(url, data)
    assert response.status_code == 302
    assessment = Assessment.objects.get(case=case)
    assert (assessment.method, assessment.respondent, assessment.level) == (
        "interview",
        victim,
        "medium",
    )
