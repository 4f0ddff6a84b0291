from .case import Case, CaseAccess, CaseSequence
from .deadlines import Deadline, DeadlineDigest, DeadlineRule, DeadlineState
from .people import CaseParty, Person
from .records import (
    Contact,
    Evidence,
    Incident,
    IncidentActEntry,
    IncidentGroundEntry,
    Note,
)

__all__ = [
    "Case",
    "CaseAccess",
    "CaseParty",
    "CaseSequence",
    "Contact",
    "Deadline",
    "DeadlineDigest",
    "DeadlineRule",
    "DeadlineState",
    "Evidence",
    "Incident",
    "IncidentActEntry",
    "IncidentGroundEntry",
    "Note",
    "Person",
]
