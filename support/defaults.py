"""The agencies W12 names, loaded into an organisation's directory for the demo and on first
set-up. Contact details are left for the organisation to fill in: they are local."""

from .models import AgencyKind

DEFAULT_AGENCIES = (
    (
        "Victim Support",
        AgencyKind.VICTIM_SUPPORT,
        "Emotional and practical support for victims of crime.",
    ),
    (
        "HPFT Wellbeing Service",
        AgencyKind.HEALTH,
        "Talking therapies and wellbeing support (Hertfordshire).",
    ),
    ("The victim's GP", AgencyKind.HEALTH, "Can refer to CAMHS (children) or ACMHS (adults)."),
    ("Age Concern", AgencyKind.CHARITY, "Support for older people."),
    ("Mencap", AgencyKind.CHARITY, "Support for people with a learning disability."),
    ("MIND", AgencyKind.CHARITY, "Mental-health support."),
    ("Stop Hate UK", AgencyKind.SPECIALIST, "Hate crime reporting and support for every strand."),
    ("Race equality council", AgencyKind.SPECIALIST, "Support for victims of racist harassment."),
    ("Disability advocacy service", AgencyKind.SPECIALIST, "Advocacy for disabled victims."),
    ("Galop", AgencyKind.SPECIALIST, "Support for LGBT+ victims of abuse and hate crime."),
    (
        "Children's services (local authority)",
        AgencyKind.LOCAL_AUTHORITY,
        "Safeguarding children (W15).",
    ),
    (
        "Adult social care (local authority)",
        AgencyKind.LOCAL_AUTHORITY,
        "Safeguarding adults at risk (W15).",
    ),
)
