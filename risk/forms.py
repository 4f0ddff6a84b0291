"""The Risk Assessment Matrix form (built from the question set) and the publishing form."""

from django import forms
from django.utils import timezone
from django.utils.text import Truncator

from cases.forms.widgets import DateTimeEntryField
from cases.models.choices import PartyRole, RiskLevel

from .models import AssessmentMethod


class AssessmentForm(forms.Form):
    method = forms.ChoiceField(
        label="How it was done",
        choices=AssessmentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the assessment was done"},
    )
    respondent = forms.ModelChoiceField(
        label="With whom",
        queryset=None,
        empty_label="Select the person assessed",
        error_messages={"required": "Select who the assessment was done with"},
    )
    completed_at = DateTimeEntryField(
        label="Completed",
        error_messages={"required": "Enter when the assessment was completed"},
    )

    def __init__(self, *args, case, question_set, **kwargs):
        super().__init__(*args, **kwargs)
        self.question_set = question_set
        self.fields["respondent"].queryset = case.parties.exclude(
            role=PartyRole.PERPETRATOR
        ).select_related("person")
        self.fields["completed_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.question_fields = []
        for question in question_set.questions.all():
            name = f"question_{question.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=f"{question.position}. {question.text}",
                choices=[(o.pk, f"{o.label} ({o.score})") for o in question.options.all()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Answer question {question.position}: "
                    f"{Truncator(question.text).words(12)}"
                },
            )
            self.question_fields.append((question.pk, name))
        self.fields["level"] = forms.ChoiceField(
            label="Officer's judgement",
            choices=[("", "As scored")] + list(RiskLevel.choices),
            required=False,
            help_text="Raise the level above the score if your judgement says so (W10).",
        )
        self.fields["raise_reason"] = forms.CharField(
            label="Why the level is raised",
            widget=forms.Textarea(attrs={"rows": 2}),
            required=False,
        )
        self.fields["raise_reason"].widget.attrs["data-show-if"] = "level=*"
        self.fields["notes"] = forms.CharField(
            widget=forms.Textarea(attrs={"rows": 3}), required=False
        )

    def answers(self) -> dict[int, int]:
        return {
            question_pk: self.cleaned_data[name]
            for question_pk, name in self.question_fields
            if self.cleaned_data.get(name) is not None
        }


class QuestionSetForm(forms.Form):
    title = forms.CharField(max_length=120)
    medium_from = forms.IntegerField(label="Medium risk from a score of", min_value=1)
    high_from = forms.IntegerField(label="High risk from a score of", min_value=2)
    questions_text = forms.CharField(
        label="Questions and answers",
        widget=forms.Textarea(attrs={"rows": 24, "class": "font-monospace"}),
        help_text=(
            "A line starting '?' is a question; each '- Answer = score' line below it is an "
            "answer. End an answer with [safeguarding] if it shows a child or adult at risk (W15)."
        ),
    )
