from .letters import Delivery, Letter, LetterStatus
from .templates import (
    LETTER_RECIPIENT_ROLES,
    LetterKind,
    LetterTemplate,
    letter_recipients_text,
)
from .workflow import (
    CaseClosure,
    ClosureReason,
    ConcernOutcome,
    FalseReportConcern,
    SatisfactionMethod,
)

__all__ = [
    "LETTER_RECIPIENT_ROLES",
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
    "letter_recipients_text",
]
