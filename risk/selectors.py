"""Reads of question sets and assessments."""

from django.db.models import Prefetch

from cases.models import Case
from cases.models.choices import RiskLevel

from .models import Answer, Assessment, Question, QuestionSet


def question_set_current(*, organisation) -> QuestionSet | None:
    return (
        QuestionSet.objects.filter(organisation=organisation)
        .prefetch_related(
            Prefetch("questions", queryset=Question.objects.prefetch_related("options"))
        )
        .order_by("-version")
        .first()
    )


def question_sets_for(*, organisation):
    return QuestionSet.objects.filter(organisation=organisation).select_related("published_by")


def assessments_for_case(*, case: Case):
    return Assessment.objects.filter(case=case).select_related(
        "question_set", "respondent__person", "completed_by"
    )


def risk_panel(*, case: Case, any_assessments: bool = True) -> dict:
    """The case page's risk panel in one query: every assessment, newest first (W10). No
    query when the caller already knows there are none (``any_assessments=False``)."""
    assessments = list(assessments_for_case(case=case)) if any_assessments else []
    return {
        "assessments": assessments,
        "latest": assessments[0] if assessments else None,
        # W10: a High Risk case needs a completed Risk Assessment Matrix.
        "due": case.risk_level == RiskLevel.HIGH and not assessments,
    }


def assessment_get(*, case: Case, pk: int) -> Assessment:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        assessments_for_case(case=case).prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("question", "option"))
        ),
        pk=pk,
    )
