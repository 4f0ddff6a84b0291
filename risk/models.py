"""Risk Assessment Matrix (W10): versioned question sets, scored answers, assessments.

A question set is published as a whole and never edited afterwards: an assessment points at
the version it was done with, so publishing a new version leaves earlier ones as they were.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from cases.models import Case, CaseParty
from cases.models.choices import RiskLevel
from policy.formats import uk_date


class QuestionSet(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="risk_question_sets"
    )
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=120)
    # Bands: below medium_from is standard, from medium_from medium, from high_from high.
    medium_from = models.PositiveIntegerField()
    high_from = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="risk_question_set_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(medium_from__gt=0) & Q(high_from__gt=F("medium_from")),
                name="risk_question_set_bands_ascend",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def band_for(self, score: int) -> str:
        if score >= self.high_from:
            return RiskLevel.HIGH
        if score >= self.medium_from:
            return RiskLevel.MEDIUM
        return RiskLevel.STANDARD


class Question(models.Model):
    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["question_set", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question_set", "position"], name="risk_question_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class AnswerOption(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    score = models.PositiveSmallIntegerField()
    # W15: choosing this answer means a child or adult at risk: a safeguarding referral is due.
    safeguarding = models.BooleanField(default=False)

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "position"], name="risk_option_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.score})"


class AssessmentMethod(models.TextChoices):
    TELEPHONE = "telephone", "By telephone"
    INTERVIEW = "interview", "At an interview"


class Assessment(models.Model):
    """One completed Risk Assessment Matrix. A reassessment is a new row; none is replaced."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="+")
    method = models.CharField("how it was done", max_length=10, choices=AssessmentMethod.choices)
    respondent = models.ForeignKey(
        CaseParty, on_delete=models.PROTECT, related_name="+", verbose_name="with whom"
    )
    completed_at = models.DateTimeField()
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveIntegerField()
    scored_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    level = models.CharField("assessed level", max_length=10, choices=RiskLevel.choices)
    raise_reason = models.TextField("why the level was raised", blank=True)
    safeguarding_concern = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_at", "-pk"]
        indexes = [models.Index(fields=["case", "-completed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=F("scored_level")) | ~Q(raise_reason=""),
                name="risk_assessment_raised_level_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} risk, {uk_date(self.completed_at)}"

    @property
    def was_raised(self) -> bool:
        return self.level != self.scored_level


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(AnswerOption, on_delete=models.PROTECT, related_name="+")
    # Copied so the record reads the same whatever happens to the question set.
    score = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["assessment", "question__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="risk_answer_one_per_question"
            ),
        ]
