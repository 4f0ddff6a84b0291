"""Reads of an organisation's policy: the version in force, its rules for an event, presets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from django.db.models import Prefetch, QuerySet, Subquery
from django.utils import timezone

from .formats import uk_datetime
from .models import PolicyVersion, Rule, Timescale
from .schema import document_parse

PRESETS_DIR = Path(__file__).resolve().parent / "presets"


def rules_with_timescales(queryset: QuerySet[Rule] | None = None) -> QuerySet[Rule]:
    rules = queryset if queryset is not None else Rule.objects.all()
    return rules.prefetch_related(
        Prefetch("timescales", queryset=Timescale.objects.order_by("position", "id"))
    ).order_by("position", "id")


def version_in_force(organisation_id: int, at: datetime | None = None) -> PolicyVersion | None:
    """The organisation's latest published version that has taken effect by ``at`` (now)."""
    return (
        PolicyVersion.objects.filter(
            organisation_id=organisation_id,
            status=PolicyVersion.Status.PUBLISHED,
            effective_from__lte=at or timezone.now(),
        )
        .order_by("-effective_from", "-number")
        .first()
    )


def rule_words_in_force(organisation_id: int, code: str) -> Rule | None:
    """The title, promise and clause of the rule ``code`` in the version in force, in one
    query (no timescales): for pages that only say what was promised."""
    version = PolicyVersion.objects.filter(
        organisation_id=organisation_id,
        status=PolicyVersion.Status.PUBLISHED,
        effective_from__lte=timezone.now(),
    ).order_by("-effective_from", "-number")
    return (
        Rule.objects.filter(code=code, version=Subquery(version.values("pk")[:1]))
        .only("pk", "code", "title", "promise", "clause")
        .first()
    )


def draft_of(organisation_id: int) -> PolicyVersion | None:
    return PolicyVersion.objects.filter(
        organisation_id=organisation_id, status=PolicyVersion.Status.DRAFT
    ).first()


def rules_in_force(organisation_id: int, *, at: datetime | None = None) -> list[Rule]:
    """Every rule of the version in force, with its timescales. Empty before any is published
    (``policy.services.policy_ensure`` gives a new organisation its default preset)."""
    version = version_in_force(organisation_id, at)
    if version is None:
        return []
    return list(rules_with_timescales(version.rules.all()))


def rule_in_force(organisation_id: int, code: str) -> Rule | None:
    version = version_in_force(organisation_id)
    if version is None:
        return None
    return rules_with_timescales(version.rules.filter(code=code)).first()


PRESET_FILES = {"wch_2022": "wch_2022.yaml", "circle_anglia_2009": "circle_anglia_2009.yaml"}


@lru_cache(maxsize=8)
def preset_document(preset: str) -> dict:
    """A preset as a parsed policy document (``policy/presets/<preset>.yaml``)."""
    return document_parse((PRESETS_DIR / PRESET_FILES[preset]).read_text(encoding="utf-8"))


# The designer's pages ----------------------------------------------------------------------


def versions_of(organisation_id: int) -> list[PolicyVersion]:
    """Every version of the organisation's policy, newest first, with who published it."""
    return list(
        PolicyVersion.objects.filter(organisation_id=organisation_id)
        .select_related("published_by", "created_by")
        .order_by("-number")
    )


def version_with_rules(queryset: QuerySet[PolicyVersion]) -> QuerySet[PolicyVersion]:
    """Versions with their rules and each rule's timescales loaded (``document_of`` reads
    them without a query per rule)."""
    return queryset.prefetch_related(Prefetch("rules", queryset=rules_with_timescales()))


@dataclass(frozen=True)
class PolicyChange:
    at: datetime
    by: object  # the user, or None for the system
    words: str


# Rules written together with their version (copied into a new draft, or deleted with a
# discarded one) are told as one change: a rule added or deleted within this of its version.
_TOGETHER = timedelta(seconds=1)


def policy_changes(organisation_id: int, *, limit: int = 20) -> list[PolicyChange]:
    """The latest changes to the organisation's policy, newest first, from the models'
    history: drafts started, discarded and published, rules added, changed and deleted."""
    version_rows = list(
        PolicyVersion.history.filter(organisation_id=organisation_id)
        .select_related("history_user")
        .order_by("-history_date")
    )
    numbers = {row.id: row.number for row in version_rows}
    rule_rows = list(
        Rule.history.filter(version_id__in=list(numbers))
        .select_related("history_user")
        .order_by("-history_date")[: limit * 10]
    )
    # When each version was started ("+") or discarded ("-").
    version_times: dict[tuple[int, str], list[datetime]] = {}
    for row in version_rows:
        version_times.setdefault((row.id, row.history_type), []).append(row.history_date)
    changes = [_version_change(row) for row in version_rows]
    for row in rule_rows:
        times = version_times.get((row.version_id, row.history_type), [])
        if row.history_type != "~" and any(abs(row.history_date - at) <= _TOGETHER for at in times):
            continue
        verb = {"+": "added to", "~": "changed in", "-": "deleted from"}[row.history_type]
        changes.append(
            PolicyChange(
                at=row.history_date,
                by=row.history_user,
                words=f"Rule “{row.title}” ({row.code}) {verb} draft version "
                f"{numbers.get(row.version_id, '?')}",
            )
        )
    changes.sort(key=lambda change: change.at, reverse=True)
    return changes[:limit]


def _version_change(row) -> PolicyChange:
    if row.history_type == "+":
        words = f"Draft version {row.number} started" + (f" ({row.origin})" if row.origin else "")
    elif row.history_type == "-":
        words = f"Draft version {row.number} discarded"
    elif row.status == PolicyVersion.Status.PUBLISHED:
        effective = uk_datetime(row.effective_from)
        words = f"Version {row.number} published, in force from {effective}"
    else:
        words = f"Draft version {row.number} titled “{row.title}”"
    return PolicyChange(at=row.history_date, by=row.history_user, words=words)
