"""Promises with a legal clock that a higher app keeps on its own rows, not as a case's
deadline: a subject access or rectification request is about a person across cases. Each
source is named by dotted path in ``settings.HAVEN_TEAM_DEADLINE_SOURCES``, so this app never
imports the app that keeps them; Team deadlines lists what they return beside its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class OtherDeadline:
    title: str
    about: str
    due_at: datetime
    url: str


def other_deadlines_for_team(*, access, before: datetime) -> list[OtherDeadline]:
    """Every registered source's live promises due before ``before`` (overdue ones too)."""
    found: list[OtherDeadline] = []
    for path in settings.HAVEN_TEAM_DEADLINE_SOURCES:
        found += import_string(path)(access=access, before=before, make=OtherDeadline)
    return sorted(found, key=lambda d: d.due_at)
