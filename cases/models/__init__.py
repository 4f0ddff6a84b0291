from .case import Case, CaseAccess, CaseSequence
from .deadlines import Deadline, DeadlineDigest, DeadlineRule, DeadlineState
from .online import OnlineReport, OnlineReportAccess
from .people import CaseParty, Person
from .records import (
    CaseReview,
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
    "CaseReview",
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
    "OnlineReport",
    "OnlineReportAccess",
    "Person",
]
