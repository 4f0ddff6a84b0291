"""Reads of an organisation's policy: the version in force, its rules for an event, presets."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

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
