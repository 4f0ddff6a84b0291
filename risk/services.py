"""Writes for the Risk Assessment Matrix (W10) and its safeguarding trigger (W15)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Organisation, User
from cases.models import Case, CaseParty
from cases.models.choices import PartyRole, RiskLevel
from cases.services.changes import case_update
from deadlines.events import deadlines_safeguarding_risk_recorded

from .defaults import (
    DEFAULT_HIGH_FROM,
    DEFAULT_MEDIUM_FROM,
    DEFAULT_QUESTIONS,
    DEFAULT_TITLE,
    QuestionFormatError,
    parse_questions,
)
from .models import Answer, AnswerOption, Assessment, Question, QuestionSet

LEVEL_ORDER = [RiskLevel.STANDARD, RiskLevel.MEDIUM, RiskLevel.HIGH]


def question_set_publish(
    *,
    organisation: Organisation,
    by: User | None,
    title: str,
    questions_text: str,
    medium_from: int,
    high_from: int,
) -> QuestionSet:
    """Publish a new version. Earlier versions, and assessments made with them, are kept."""
    errors: dict[str, str] = {}
    try:
        questions = parse_questions(questions_text)
    except QuestionFormatError as problem:
        errors["questions_text"] = str(problem)
        questions = []
    if medium_from < 1:
        errors["medium_from"] = "Medium risk must start at a score of at least 1."
    if high_from <= medium_from:
        errors["high_from"] = "High risk must start above where medium risk starts."
    if questions:
        top = sum(max(o["score"] for o in q["options"]) for q in questions)
        if high_from > top:
            errors["high_from"] = f"No set of answers can reach {high_from}; the most is {top}."
    if not title.strip():
        errors["title"] = "Give the question set a title."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock the organisation's sets so two admins publishing at once get distinct numbers.
        latest = (
            QuestionSet.objects.select_for_update()
            .filter(organisation=organisation)
            .aggregate(top=Max("version"))["top"]
        )
        question_set = QuestionSet.objects.create(
            organisation=organisation,
            version=(latest or 0) + 1,
            title=title.strip(),
            medium_from=medium_from,
            high_from=high_from,
            published_by=by,
        )
        for q_position, question in enumerate(questions, start=1):
            row = Question.objects.create(
                question_set=question_set, position=q_position, text=question["text"]
            )
            AnswerOption.objects.bulk_create(
                AnswerOption(question=row, position=o_position, **option)
                for o_position, option in enumerate(question["options"], start=1)
            )
    return question_set


def question_set_ensure_default(*, organisation: Organisation) -> QuestionSet:
    """Give an organisation Haven's default matrix if it has none (seed_demo, first use)."""
    existing = QuestionSet.objects.filter(organisation=organisation).order_by("-version").first()
    if existing is not None:
        return existing
    return question_set_publish(
        organisation=organisation,
        by=None,
        title=DEFAULT_TITLE,
        questions_text=DEFAULT_QUESTIONS,
        medium_from=DEFAULT_MEDIUM_FROM,
        high_from=DEFAULT_HIGH_FROM,
    )


def assessment_complete(
    *,
    case: Case,
    by: User,
    question_set: QuestionSet,
    method: str,
    respondent: CaseParty,
    completed_at: datetime,
    answers: dict[int, int],
    level: str = "",
    raise_reason: str = "",
    notes: str = "",
) -> Assessment:
    """Score a completed matrix, set the case's risk level from it (with the reason kept in
    the case's history), and start the W15 safeguarding deadline if an answer shows a child
    or adult at risk. ``answers`` maps question id to the chosen option's id."""
    errors: dict[str, str] = {}
    if question_set.organisation_id != case.organisation_id:
        raise ValidationError("That question set belongs to another organisation.")
    if respondent.case_id != case.pk or respondent.role == PartyRole.PERPETRATOR:
        errors["respondent"] = "Choose the victim, complainant or a witness in this case."
    if completed_at > timezone.now():
        errors["completed_at"] = "An assessment cannot be completed in the future."
    elif completed_at < case.received_at:
        errors["completed_at"] = "The assessment cannot be before the report was received."
    questions = list(question_set.questions.prefetch_related("options"))
    chosen: list[tuple[Question, AnswerOption]] = []
    for question in questions:
        option = next((o for o in question.options.all() if o.pk == answers.get(question.pk)), None)
        if option is None:
            errors[f"question_{question.pk}"] = "Choose an answer."
        else:
            chosen.append((question, option))
    score = sum(option.score for _, option in chosen)
    scored_level = question_set.band_for(score)
    level = level or scored_level
    if level not in LEVEL_ORDER:
        errors["level"] = "Choose a risk level."
    elif LEVEL_ORDER.index(level) < LEVEL_ORDER.index(scored_level):
        errors["level"] = (
            f"The answers score {score}, {RiskLevel(scored_level).label} risk; "
            "the officer's judgement may raise the level, not lower it."
        )
    elif level != scored_level and not raise_reason.strip():
        errors["raise_reason"] = "Say why the level is higher than the score gives."
    if errors:
        raise ValidationError(errors)
    safeguarding = any(option.safeguarding for _, option in chosen)
    with transaction.atomic():
        assessment = Assessment(
            case=case,
            question_set=question_set,
            method=method,
            respondent=respondent,
            completed_at=completed_at,
            completed_by=by,
            score=score,
            scored_level=scored_level,
            level=level,
            raise_reason=raise_reason.strip() if level != scored_level else "",
            safeguarding_concern=safeguarding,
            notes=notes,
        )
        assessment._history_user = by  # type: ignore[attr-defined]
        assessment.save()
        Answer.objects.bulk_create(
            Answer(assessment=assessment, question=q, option=o, score=o.score) for q, o in chosen
        )
        current_version = Case.objects.values_list("version", flat=True).get(pk=case.pk)
        reason = f"Risk assessment {assessment.pk}: score {score}, {RiskLevel(level).label} risk"
        if level != scored_level:
            reason += f" (raised from {RiskLevel(scored_level).label}: {raise_reason.strip()})"
        fresh = case_update(
            case=case,
            by=by,
            expected_version=current_version,
            reason=reason[:100],
            risk_level=level,
        )
        case.risk_level, case.version = fresh.risk_level, fresh.version
        if safeguarding:
            deadlines_safeguarding_risk_recorded(
                case=case, recorded_at=completed_at, source_key=f"risk-assessment-{assessment.pk}"
            )
    return assessment
