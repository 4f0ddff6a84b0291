"""The words a landlord's rules are written in: units, events, subjects, conditions and the
actions that meet a deadline.

``policy`` sits below ``cases``, so the values a condition or an action names (categories,
risk bands, contact methods, party roles, damage kinds) are spelled here; a test keeps them
equal to the case file's own choices.
"""

from django.db import models


class Unit(models.TextChoices):
    HOURS = "hours", "hours"
    DAYS = "days", "calendar days"
    WORKING_DAYS = "working_days", "working days (to the close of the last one)"
    WORKING_HOURS = "working_hours", "hours, not counting weekends and bank holidays"
    MONTHS = "months", "calendar months"
    SAME_WORKING_DAY = "same_working_day", "the same working day"
    COMING_FRIDAY = "coming_friday", "by the close of the coming Friday"


# Units whose timescale has no number.
UNITS_WITHOUT_AMOUNT = frozenset({Unit.SAME_WORKING_DAY, Unit.COMING_FRIDAY})


class Event(models.TextChoices):
    """What starts a deadline."""

    REPORT_RECEIVED = "report_received", "a report is received"
    PERPETRATOR_ADDED = "perpetrator_added", "an alleged perpetrator is added to the case"
    WITNESS_ADDED = "witness_added", "a witness is added to the case"
    SAFEGUARDING_RISK = "safeguarding_risk", "a child or adult at risk is recorded"
    REPAIR_REPORTED = "repair_reported", "damage is reported for repair"
    PLAN_AGREED = "plan_agreed", "the action plan is agreed"
    PLAN_CHANGED = "plan_changed", "the action plan changes"
    FALSE_REPORT_LETTER = "false_report_letter", "a false-report letter is sent"
    CASE_CLOSED = "case_closed", "the case is closed"
    PREVIOUS_MET = "previous_met", "another rule's deadline is met (see that rule)"


# Events about one thing in a case (a person, a repair, a risk): their deadlines carry its
# key, so two perpetrators or two repairs each get their own, met by action on that thing.
KEYED_EVENTS = frozenset(
    {Event.PERPETRATOR_ADDED, Event.WITNESS_ADDED, Event.SAFEGUARDING_RISK, Event.REPAIR_REPORTED}
)
# Events after which the case is closed: their deadlines outlive the closure.
AFTER_CLOSURE_EVENTS = frozenset({Event.CASE_CLOSED})


class Subject(models.TextChoices):
    """Whom or what the deadline is about: how it is grouped on pages and dashboards."""

    CONTACT_COMPLAINANT = "contact_complainant", "Contact the complainant"
    CONTACT_PERPETRATOR = "contact_perpetrator", "Contact the alleged perpetrator"
    CONTACT_WITNESS = "contact_witness", "Contact witnesses"
    MEET_IN_PERSON = "meet_in_person", "Meet in person (a visit or interview)"
    WELFARE_CALL = "welfare_call", "Regular contact with the complainant"
    REMOVE_GRAFFITI = "remove_graffiti", "Remove graffiti or make safe"
    ACTION_PLAN = "action_plan", "Agree an action plan"
    PLAN_REVIEW = "plan_review", "Review the action plan"
    PLAN_ISSUE = "plan_issue", "Send the updated action plan"
    SAFEGUARDING = "safeguarding", "Safeguarding referral"
    SUPPORT_REFERRAL = "support_referral", "Referral for support"
    CASE_REVIEW = "case_review", "Review the case"
    CLOSE_CASE = "close_case", "Close the case"
    EVIDENCE = "evidence", "Evidence from the complainant"
    AFTER_CLOSURE = "after_closure", "Contact after closure"
    APPEAL_WINDOW = "appeal_window", "Appeal window"


class Action(models.TextChoices):
    """What an officer records that can meet a deadline."""

    CONTACT = "contact", "a contact (reached)"
    SUPPORT_REFERRAL = "support_referral", "a referral to a support agency"
    SAFEGUARDING_REFERRAL = "safeguarding_referral", "a safeguarding referral"
    REPAIR_DONE = "repair_done", "the repair done"
    PLAN_AGREED = "plan_agreed", "the action plan agreed"
    PLAN_REVIEWED = "plan_reviewed", "the action plan reviewed"
    PLAN_ISSUED = "plan_issued", "the updated plan sent"
    CASE_REVIEWED = "case_reviewed", "a case review"
    EVIDENCE_RECEIVED = "evidence_received", "further evidence received"
    CONCERN_DECIDED = "concern_decided", "the false-report concern decided"
    CASE_CLOSED = "case_closed", "the case closed"
    APPEAL_RECEIVED = "appeal_received", "an appeal against closure received"


class Role(models.TextChoices):
    """A party's role, as a condition on a contact or referral."""

    COMPLAINANT = "complainant", "the complainant or victim"
    PERPETRATOR = "perpetrator", "the alleged perpetrator"
    WITNESS = "witness", "a witness"


class Method(models.TextChoices):
    PHONE = "phone", "Telephone call"
    VISIT = "visit", "Home visit"
    INTERVIEW = "interview", "Interview"
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Letter"
    TEXT = "text", "Text message"
    IN_PERSON = "in_person", "In person at an office"


IN_PERSON_METHODS = frozenset({Method.VISIT, Method.INTERVIEW, Method.IN_PERSON})


class Purpose(models.TextChoices):
    FIRST_CONTACT = "first_contact", "First contact and acknowledgement"
    CASE_OFFICER_CONTACT = "case_officer_contact", "Case officer introduction"
    INTERVIEW = "interview", "Interview"
    WELFARE_CALL = "welfare_call", "Welfare call"
    UPDATE = "update", "Progress update"
    OTHER = "other", "Other"


class Category(models.TextChoices):
    HARASSMENT = "harassment", "Harassment"
    HATE_CRIME = "hate_crime", "Hate crime"
    HATE_INCIDENT = "hate_incident", "Hate incident"


class RiskBand(models.TextChoices):
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class DamageKind(models.TextChoices):
    VANDALISM = "vandalism", "Vandalism"
    GRAFFITI = "graffiti", "Graffiti"
    ARSON = "arson", "Arson"
    OTHER = "other", "Other damage"


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Conditions a timescale may name, with the kind of value each takes. A condition left out
# holds for every case.
CONDITION_LISTS: dict[str, type[models.TextChoices]] = {
    "categories": Category,
    "risk_bands": RiskBand,
    "damage_kinds": DamageKind,
}
CONDITION_FLAGS: dict[str, str] = {
    "violence": "violence or a threat of it (fear of violence or a violent act recorded)",
    "fear_of_violence": "the complainant fears violence",
    "violent_act": "an incident with a violent act is recorded",
    "hate_ground": "hostility on a protected ground is recorded (a hate incident)",
    "offensive_graffiti": "the damage is offensive or discriminatory graffiti",
    "emergency_repair": "the repair is an emergency",
}
CONDITION_WEEKDAYS = "started_on"  # a list of weekday numbers, Monday 0

# What an action matcher may name beside its action.
MATCH_LISTS: dict[str, type[models.TextChoices]] = {
    "roles": Role,
    "methods": Method,
    "purposes": Purpose,
}
MATCH_FLAGS: dict[str, str] = {
    "in_person": "in person (a visit, an interview or at an office)",
    "by_case_officer": "by the officer the case is assigned to",
}
