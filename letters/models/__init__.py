from .letters import Delivery, Letter, LetterStatus
from .templates import LetterKind, LetterTemplate
from .workflow import (
    CaseClosure,
    ClosureReason,
    ConcernOutcome,
    FalseReportConcern,
    SatisfactionMethod,
)

__all__ = [
    "CaseClosure",
    "ClosureReason",
    "ConcernOutcome",
    "Delivery",
    "FalseReportConcern",
    "Letter",
    "LetterKind",
    "LetterStatus",
    "LetterTemplate",
    "SatisfactionMethod",
]
