"""Letter templates: per organisation and kind, every edit a new version (old ones kept)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Organisation
from cases.models.choices import PartyRole


class LetterKind(models.TextChoices):
    """Every letter Haven produces, with the rule that promises it."""

    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement of a report (W08 / C17)"
    ACTION_PLAN = "action_plan", "Action plan issued or updated (C22)"
    FALSE_REPORT_CONCERN = "false_report_concern", "Concern about the information given (W20)"
    NO_FURTHER_SUPPORT = "no_further_support", "No further support (W20)"
    CLOSURE = "closure", "Case closure (W21 / C26)"
    PANEL_DECISION = "panel_decision", "Housing panel decision"


# Who each kind of letter may be addressed to. Every letter Haven writes speaks to the
# complainant's side about their report: sent to the alleged perpetrator or a witness it
# would tell them a report exists (C11). ``letter_issue`` refuses anyone else, and the
# send-a-letter form offers only these parties.
LETTER_RECIPIENT_ROLES: dict[str, tuple[str, ...]] = {
    LetterKind.ACKNOWLEDGEMENT: (PartyRole.COMPLAINANT, PartyRole.VICTIM),
    LetterKind.ACTION_PLAN: (PartyRole.COMPLAINANT, PartyRole.VICTIM),
    LetterKind.FALSE_REPORT_CONCERN: (PartyRole.COMPLAINANT, PartyRole.VICTIM),
    LetterKind.NO_FURTHER_SUPPORT: (PartyRole.COMPLAINANT, PartyRole.VICTIM),
    LetterKind.CLOSURE: (PartyRole.COMPLAINANT, PartyRole.VICTIM),
    LetterKind.PANEL_DECISION: (PartyRole.COMPLAINANT, PartyRole.VICTIM),
}


def letter_recipients_text(kind: str) -> str:
    """The roles a kind of letter goes to, in words: "the complainant or the victim"."""
    roles = [PartyRole(role).label.lower() for role in LETTER_RECIPIENT_ROLES[kind]]
    return " or ".join(f"the {role}" for role in roles)


class LetterTemplate(models.Model):
    """One version of one kind of letter. Letters point at the version they were made from,
    so editing a template never changes a letter already produced."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="letter_templates"
    )
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    version = models.PositiveIntegerField()
    subject = models.CharField(max_length=200)
    body = models.TextField(
        help_text="Plain text. Blank lines separate paragraphs. Merge fields: {{ field_name }}."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    change_note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "version"], name="letter_template_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"
