from .case import Case, CaseAccess, CaseSequence
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
    "Evidence",
    "Incident",
    "IncidentActEntry",
    "IncidentGroundEntry",
    "Note",
    "OnlineReport",
    "OnlineReportAccess",
    "Person",
]
