from .changes import (
    CaseEditForm,
    ContactFrequencyForm,
    ReassignForm,
    RecategoriseForm,
    RestrictForm,
)
from .intake import OutOfScopeForm, PerpetratorForm, ReportForm, VictimForm
from .parties import PartyForm, PersonForm
from .records import (
    CaseReviewForm,
    ContactForm,
    EvidenceForm,
    IncidentEditForm,
    IncidentForm,
    IncidentPartiesForm,
    NoteForm,
)

__all__ = [
    "CaseEditForm",
    "CaseReviewForm",
    "ContactForm",
    "ContactFrequencyForm",
    "EvidenceForm",
    "IncidentEditForm",
    "IncidentForm",
    "IncidentPartiesForm",
    "NoteForm",
    "OutOfScopeForm",
    "PartyForm",
    "PerpetratorForm",
    "PersonForm",
    "ReassignForm",
    "RecategoriseForm",
    "ReportForm",
    "RestrictForm",
    "VictimForm",
]
