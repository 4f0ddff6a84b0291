from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Area, Organisation

from .choices import Category, Channel, ReporterType, RiskLevel, Status


class CaseSequence(models.Model):
    """The last case number issued per organisation and year, for readable references."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="case_sequence_unique"),
        ]


class SearchIndex(GinIndex):
    """A GIN index on PostgreSQL. The embedded SQLite has no GIN: there it is a plain index on
    the same column, so migrations and SQLite's table rebuilds still run (its search is a
    simple scan, see ``cases.selectors.cases_matching``)."""

    def __init__(self, *expressions, fallback_field: str, **kwargs):
        self.fallback_field = fallback_field
        super().__init__(*expressions, **kwargs)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "fallback_field": self.fallback_field}

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = models.Index(fields=[self.fallback_field], name=self.name)
        return plain.create_sql(model, schema_editor)


# The longest interval between welfare calls an officer may agree with a complainant.
MAX_AGREED_CONTACT_DAYS = 90


class Case(models.Model):
    """One harassment or hate-crime case: the report, and everything done about it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=20, unique=True, editable=False)
    category = models.CharField(max_length=20, choices=Category.choices)
    # C07: the category the case was first logged under stays visible after recategorising.
    original_category = models.CharField(max_length=20, choices=Category.choices, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    # W09: harassment and hate crime are High Risk until an assessment says otherwise.
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, default=RiskLevel.HIGH)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT)
    location = models.CharField("where it happened", max_length=255, blank=True)
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    restricted = models.BooleanField(
        default=False,
        help_text="Only the assigned officer, named staff and managers may open the case.",
    )
    named_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="named_on_cases"
    )

    # The report (W07, C13, W11).
    received_at = models.DateTimeField("report received")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    reporter_type = models.CharField("reported by", max_length=20, choices=ReporterType.choices)
    summary = models.TextField("what happened")
    prior_action = models.TextField(
        "what has already been done about it",
        blank=True,
        help_text="What the complainant, victim or others have already done (W11).",
    )
    fear_of_violence = models.BooleanField(
        default=False, help_text="The complainant fears violence (C16, C19)."
    )
    # W13 / C22 ("unless the plan says otherwise"): how often the complainant agreed to be
    # called on this case; blank follows the organisation's policy.
    agreed_contact_days = models.PositiveSmallIntegerField(
        "welfare calls every (days), as agreed with the complainant", null=True, blank=True
    )
    # W03: two or more incidents by the same perpetrator against the same victim.
    course_of_conduct = models.BooleanField(default=False, editable=False)
    # W04: an incident records hostility on a protected ground. Kept on the case so NM01's
    # "cases involving hate incidents" is one column, not a search of every incident.
    hate_ground_recorded = models.BooleanField(default=False, editable=False)
    previous_case = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="later_cases",
        help_text="An earlier, closed case about the same people.",
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: a save carries the version it read; a stale one is refused.
    version = models.PositiveIntegerField(default=1)
    # What the case list's search looks in: the reference, where it happened and every
    # party's name, known-as and description, lower-cased. Derived, so kept out of history;
    # written only by cases.services.search.case_search_refresh, which every service that
    # changes one of those calls.
    search_document = models.TextField(default="", blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "search_document"])

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            # The case list's filters: by organisation and status, officer, area, category.
            models.Index(fields=["organisation", "status", "-received_at"]),
            models.Index(fields=["organisation", "assigned_officer", "status"]),
            models.Index(fields=["organisation", "area", "status"]),
            models.Index(fields=["organisation", "category", "-received_at"]),
            models.Index(fields=["organisation", "risk_level", "status"]),
            models.Index(fields=["organisation", "-received_at"]),
            # The case list sorted by officer: how many cases each officer holds
            # (cases.selectors.case_officer_groups), and each officer's cases in primary-key
            # order between the page's first and last key (cases_sorted_by_officer). The
            # columns an officer's visibility and "my cases" test are included, so counting
            # reads the index alone (PostgreSQL; SQLite builds it without them).
            models.Index(
                fields=["organisation", "assigned_officer", "id"],
                include=["restricted", "area", "created_by"],
                name="case_officer_sort",
            ),
            # The case list's search of a name or part of one: search_document LIKE '%smith%'
            # (pg_trgm, cases.selectors.cases_matching).
            SearchIndex(
                fields=["search_document"],
                opclasses=["gin_trgm_ops"],
                name="case_search_trgm",
                fallback_field="search_document",
            ),
            # The same search for words too short for trigrams: to_tsvector('simple', ...)
            # @@ 'jo':* (cases.selectors.cases_matching).
            SearchIndex(
                SearchVector("search_document", config="simple"),
                name="case_search_words",
                fallback_field="search_document",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(status=Status.CLOSED),
                name="case_closed_at_only_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(agreed_contact_days__isnull=True)
                | Q(agreed_contact_days__gte=1, agreed_contact_days__lte=MAX_AGREED_CONTACT_DAYS),
                name="case_agreed_contact_days_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs):
        # The search document is written by one UPDATE (case_search_refresh), never from an
        # instance read before a party was added, which would put back the old names.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "search_document"
            ]
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def is_hate(self) -> bool:
        return self.category in (Category.HATE_CRIME, Category.HATE_INCIDENT)

    @property
    def was_recategorised(self) -> bool:
        return self.category != self.original_category


class CaseAccess(models.Model):
    """Every request to a page that shows the case's data, and every download from it (who,
    what, which record, when). Written only by the decorators of cases/views/access.py."""

    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed the case"
        VIEWED_HISTORY = "viewed_history", "Viewed the audit trail"
        VIEWED_PERSON = "viewed_person", "Viewed a person on the case"
        OPENED_PERSON_FORM = "opened_person_form", "Opened a person's details to change them"
        OPENED_CASE_FORM = "opened_case_form", "Opened a form to change the case file"
        DOWNLOADED_EVIDENCE = "downloaded_evidence", "Downloaded evidence"
        VIEWED_RISK = "viewed_risk", "Viewed a risk assessment"
        OPENED_RISK_FORM = "opened_risk_form", "Opened a new risk assessment"
        OPENED_SUPPORT = "opened_support", "Opened support, safeguarding or police details"
        OPENED_PLAN = "opened_plan", "Opened the action plan"
        OPENED_REPAIR = "opened_repair", "Opened a repair"
        VIEWED_ENFORCEMENT = "viewed_enforcement", "Viewed tenancy enforcement"
        OPENED_ENFORCEMENT_FORM = "opened_enforcement_form", "Opened a tenancy enforcement form"
        OPENED_LETTER_FORM = "opened_letter_form", "Opened the letter form"
        DOWNLOADED_LETTER = "downloaded_letter", "Downloaded a letter"
        OPENED_CLOSING_FORM = "opened_closing_form", "Opened a closure, appeal or survey form"
        OPENED_REFERRAL_FORM = "opened_referral_form", "Opened the transfer referral form"
        VIEWED_REFERRAL = "viewed_referral", "Viewed the transfer referral"
        VIEWED_PANEL_REQUEST = "viewed_panel_request", "Viewed the Housing Panel's summary"
        VIEWED_ONLINE_REPORT = "viewed_online_report", "Viewed an online report on the case"
        DOWNLOADED_REPORT_UPLOAD = "downloaded_report_upload", "Downloaded an online report's file"
        VIEWED_DEADLINE = "viewed_deadline", "Opened a deadline"
        SUBMITTED = "submitted", "Sent a form (a saved change is listed above)"
        SUBJECT_ACCESS = "subject_access", "Included in a subject access export"
        READ_SUBJECT_ACCESS = "read_subject_access", "Read or downloaded a subject access export"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=30, choices=Action.choices)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["case", "-at"])]
