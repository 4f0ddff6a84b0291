"""Reads for letters, false-report concerns and closures."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404

from cases.models import Case
from cases.selectors import cases_visible_to

from .models import CaseClosure, FalseReportConcern, Letter, LetterStatus, LetterTemplate


def case_letters_panel(
    *,
    case: Case,
    any_letters: bool = True,
    any_concerns: bool = True,
    any_closures: bool = True,
) -> dict:
    """Everything the case page's letters, false-report and closure panels show: three
    queries whatever the number of letters, fewer when the caller already knows some of
    them are empty."""
    letters = (
        list(Letter.objects.filter(case=case).select_related("recipient__person", "template")[:50])
        if any_letters
        else []
    )
    concerns = list(FalseReportConcern.objects.filter(case=case)[:5]) if any_concerns else []
    closures = list(CaseClosure.objects.filter(case=case)[:5]) if any_closures else []
    return {
        "letters": letters,
        "open_concern": next((c for c in concerns if c.is_open), None),
        "concerns": concerns,
        "latest_closure": closures[0] if closures else None,
    }


def letters_outstanding(*, user, access) -> QuerySet[Letter]:
    """Letters not yet sent on the cases this user may open, newest first: waiting for the
    document store, queued, failed, or rendered for posting."""
    return (
        Letter.objects.filter(case__in=cases_visible_to(user=user, access=access).values("pk"))
        .exclude(status=LetterStatus.SENT)
        .select_related("case")
        .order_by("-created_at", "-id")
    )


def letter_get_for_case(*, case: Case, pk: int) -> Letter:
    try:
        return Letter.objects.select_related("case", "recipient__person").get(case=case, pk=pk)
    except Letter.DoesNotExist as missing:
        raise Http404("No such letter.") from missing


def letter_templates_current(*, organisation) -> list[LetterTemplate]:
    """The newest version of each kind, for the admin's list."""
    latest: dict[str, LetterTemplate] = {}
    for template in (
        LetterTemplate.objects.filter(organisation=organisation)
        .select_related("created_by")
        .order_by("kind", "-version")
    ):
        latest.setdefault(template.kind, template)
    return list(latest.values())


def letter_template_versions(*, organisation, kind: str) -> QuerySet[LetterTemplate]:
    return LetterTemplate.objects.filter(organisation=organisation, kind=kind).select_related(
        "created_by"
    )


def satisfaction_summary(*, organisation, since: datetime | None = None) -> dict:
    """C26 for the dashboards: closures, responses and their scores."""
    closures = CaseClosure.objects.filter(case__organisation=organisation)
    if since is not None:
        closures = closures.filter(closed_at__gte=since)
    totals = closures.aggregate(
        closed=Count("pk"),
        responses=Count("pk", filter=Q(satisfaction__isnull=False)),
        average=Avg("satisfaction"),
        satisfied=Count("pk", filter=Q(satisfaction__gte=4)),
    )
    by_score = dict(
        closures.filter(satisfaction__isnull=False)
        .values_list("satisfaction")
        .annotate(n=Count("pk"))
        .order_by()
    )
    totals["by_score"] = {score: by_score.get(score, 0) for score in range(1, 6)}
    return totals
