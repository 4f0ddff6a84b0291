"""Every set of choices in a case file, with the policy clause each comes from."""

from django.db import models


class Category(models.TextChoices):
    HARASSMENT = "harassment", "Harassment"
    HATE_CRIME = "hate_crime", "Hate crime"
    HATE_INCIDENT = "hate_incident", "Hate incident"


HATE_CATEGORIES = (Category.HATE_CRIME, Category.HATE_INCIDENT)


class Status(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    CLOSING = "closing", "Closing"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.CLOSING)


class RiskLevel(models.TextChoices):
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Channel(models.TextChoices):
    """W07, C13: how a report reached the landlord (monitored, C27)."""

    PHONE = "phone", "Telephone"
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    WEBSITE = "website", "Website"
    HOTLINE = "hotline", "24-hour hotline"
    STAFF_OBSERVED = "staff_observed", "Observed by staff"


class ReporterType(models.TextChoices):
    VICTIM = "victim", "The victim"
    ON_BEHALF = "on_behalf", "Someone on the victim's behalf"
    WITNESS = "witness", "A witness"
    STAFF = "staff", "A member of staff"
    ANONYMOUS = "anonymous", "Anonymous"


class PartyRole(models.TextChoices):
    COMPLAINANT = "complainant", "Complainant"
    VICTIM = "victim", "Victim"
    PERPETRATOR = "perpetrator", "Alleged perpetrator"
    WITNESS = "witness", "Witness"


class PerpetratorKind(models.TextChoices):
    NAMED = "named", "Named person"
    UNKNOWN = "unknown", "Unknown"
    GROUP = "group", "Group"


class Tenure(models.TextChoices):
    """W02, C10: who the policy covers, and who answers for whom."""

    TENANT = "tenant", "Tenant"
    LEASEHOLDER = "leaseholder", "Leaseholder"
    JV_TENANT = "jv_tenant", "Joint-venture tenant"
    HOUSEHOLD_MEMBER = "household_member", "Household member of a tenancy"
    VISITOR = "visitor", "Visitor to a tenancy"
    NOT_RESIDENT = "not_resident", "Not a resident"
    UNKNOWN = "unknown", "Not known"


RESIDENT_TENURES = (Tenure.TENANT, Tenure.LEASEHOLDER, Tenure.JV_TENANT)


class TenancyType(models.TextChoices):
    """C25 (004 §5.13): which possession ground applies depends on the tenancy's legal type:
    Ground 2 for secure tenancies (Housing Act 1985), Ground 14 for assured ones (1988)."""

    SECURE = "secure", "Secure (Housing Act 1985)"
    FLEXIBLE = "flexible", "Flexible (fixed-term secure)"
    INTRODUCTORY = "introductory", "Introductory"
    ASSURED = "assured", "Assured (Housing Act 1988)"
    ASSURED_SHORTHOLD = "assured_shorthold", "Assured shorthold, including starter tenancies"
    DEMOTED = "demoted", "Demoted"
    NOT_KNOWN = "", "Not recorded"


# Possession under each ground is brought against these tenancy types only.
GROUND_2_TENANCIES = (TenancyType.SECURE, TenancyType.FLEXIBLE)
GROUND_14_TENANCIES = (TenancyType.ASSURED, TenancyType.ASSURED_SHORTHOLD)


class PreferredFormat(models.TextChoices):
    """W22, C28: alternative formats on request."""

    STANDARD = "standard", "Standard print"
    LARGE_PRINT = "large_print", "Large print"
    BRAILLE = "braille", "Braille"
    AUDIO = "audio", "Audio"
    EASY_READ = "easy_read", "Easy read"


class IncidentAct(models.TextChoices):
    """C08 and WCH §4: what happened. Several may apply to one incident."""

    VERBAL_ABUSE = "verbal_abuse", "Verbal abuse or insults"
    DISCRIMINATORY_LANGUAGE = "discriminatory_language", "Discriminatory language"
    THREATS = "threats", "Threats of violence"
    ASSAULT = "assault", "Physical assault"
    CRIMINAL_DAMAGE = "criminal_damage", "Criminal damage to home or possessions"
    VANDALISM = "vandalism", "Vandalism"
    GRAFFITI = "graffiti", "Graffiti or offensive written material"
    HATE_MAIL = "hate_mail", "Hate mail"
    ONLINE_ABUSE = "online_abuse", "Online abuse"
    ROBBERY = "robbery", "Robbery"
    ARSON = "arson", "Arson"
    INTIMIDATION = "intimidation", "Intimidation or bullying"
    DRIVING_OUT = "driving_out", "Acts meant to drive someone from their home"
    INTERFERENCE = "interference", "Interference with peace and comfort"
    SEXUAL = "sexual", "Sexual harassment"
    OTHER = "other", "Other"


# C19, C20, C21 (004 §4.8-4.10): "where there is violence or threat of violence" the officer
# contacts, interviews and agrees a plan sooner. The acts that are violence or its threat:
# threats and assault by name; robbery is theft by force or the threat of it (Theft Act 1968
# s.8); arson at a home puts lives at risk. Damage, graffiti, intimidation and abuse without
# a threat of violence are not in the set; an officer who judges them a threat ticks "fear
# of violence" on the case, which counts the same.
VIOLENT_ACTS = frozenset(
    {IncidentAct.THREATS, IncidentAct.ASSAULT, IncidentAct.ROBBERY, IncidentAct.ARSON}
)


class HateGround(models.TextChoices):
    """W04 and C06 together: hostility perceived on any of these grounds."""

    DISABILITY = "disability", "Disability"
    RACE = "race", "Race or ethnicity"
    COLOUR = "colour", "Colour"
    NATIONALITY = "nationality", "Nationality"
    RELIGION = "religion", "Religion or belief"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"
    TRANSGENDER = "transgender", "Transgender identity"
    GENDER = "gender", "Gender"
    AGE = "age", "Age"
    ILLNESS = "illness", "Illness"


class PerceivedBy(models.TextChoices):
    VICTIM = "victim", "The victim"
    OTHER = "other", "Another person"


class PoliceReported(models.TextChoices):
    """W14: has the victim reported it to the police?"""

    YES = "yes", "Reported to the police"
    NO = "no", "Not reported"
    UNKNOWN = "unknown", "Not known"


class PoliceAdvice(models.TextChoices):
    NONE = "", "No advice needed"
    EMERGENCY = "999", "Advised to call 999 (emergency)"
    NON_EMERGENCY = "101", "Advised to call 101 (non-emergency)"
    ONLINE = "online", "Advised to report online"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Telephone call"
    VISIT = "visit", "Home visit"
    INTERVIEW = "interview", "Interview"
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Letter"
    TEXT = "text", "Text message"
    IN_PERSON = "in_person", "In person at an office"


class ContactDirection(models.TextChoices):
    OUTBOUND = "outbound", "We contacted them"
    INBOUND = "inbound", "They contacted us"


class ContactPurpose(models.TextChoices):
    FIRST_CONTACT = "first_contact", "First contact and acknowledgement"
    CASE_OFFICER_CONTACT = "case_officer_contact", "Case officer introduction"
    INTERVIEW = "interview", "Interview"
    WELFARE_CALL = "welfare_call", "Welfare call"
    UPDATE = "update", "Progress update"
    OTHER = "other", "Other"


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", "Photo"
    DOCUMENT = "document", "Document"
    AUDIO = "audio", "Audio"
    VIDEO = "video", "Video"


# Equality monitoring (W22, C27): every protected characteristic, each with "prefer not
# to say" and "not asked" so a blank is never mistaken for an answer.
PREFER_NOT = ("prefer_not", "Prefer not to say")
NOT_ASKED = ("", "Not asked")


class Gender(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    NON_BINARY = "non_binary", "Non-binary"
    SELF_DESCRIBED = "self_described", "Self-described"
    PREFER_NOT = PREFER_NOT
    NOT_ASKED = NOT_ASKED


class YesNoPrefer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT = PREFER_NOT
    NOT_ASKED = NOT_ASKED


class Ethnicity(models.TextChoices):
    """The ONS 2021 census groups for England and Wales."""

    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    GYPSY_TRAVELLER = "gypsy_traveller", "White: Gypsy or Irish Traveller"
    ROMA = "roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other background"
    ARAB = "arab", "Arab"
    OTHER = "other", "Any other ethnic group"
    PREFER_NOT = PREFER_NOT
    NOT_ASKED = NOT_ASKED


class Religion(models.TextChoices):
    NONE = "none", "No religion"
    BUDDHIST = "buddhist", "Buddhist"
    CHRISTIAN = "christian", "Christian"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Any other religion or belief"
    PREFER_NOT = PREFER_NOT
    NOT_ASKED = NOT_ASKED


class SexualOrientation(models.TextChoices):
    HETEROSEXUAL = "heterosexual", "Straight or heterosexual"
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Other sexual orientation"
    PREFER_NOT = PREFER_NOT
    NOT_ASKED = NOT_ASKED


class MaritalStatus(models.TextChoices):
    SINGLE = "single", "Never married or in a civil partnership"
    MARRIED = "married", "Married or in a civil partnership"
    SEPARATED = "separated", "Separated, divorced or dissolved"
    WIDOWED = "widowed", "Widowed or surviving civil partner"
    PREFER_NOT = PREFER_NOT
    NOT_ASKED = NOT_ASKED
