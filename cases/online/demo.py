"""Two online reports waiting in each demo organisation's triage queue (idempotent)."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Organisation
from cases.models import OnlineReport
from cases.services.online import online_report_submit

DEMO_REPORTS = (
    {
        "danger": "no",
        "reporter_type": "victim",
        "description": "The couple upstairs call me names about my religion every time I pass "
        "them on the stairs, and last night they pushed a note under my door.",
        "acts": ["verbal_abuse", "hate_mail"],
        "time_of_day": "evening",
        "location": "Stairwell, Beech Court",
        "grounds": ["religion"],
        "known": "yes",
        "perpetrator_name": "The couple at flat 9",
        "contact_choice": "contact",
        "full_name": "Farah Begum",
        "phone": "07700 900456",
        "email": "",
        "safe_times": "Weekdays after 4pm",
        "leave_message": "no",
        "preferred_language": "Bengali",
        "interpreter": True,
        "preferred_format": "standard",
    },
    {
        "danger": "no",
        "reporter_type": "witness",
        "description": "I saw two teenagers spray offensive words on my neighbour's front door. "
        "He uses a wheelchair and I think they target him for it.",
        "acts": ["graffiti", "criminal_damage"],
        "time_of_day": "afternoon",
        "location": "Front doors on Willow Walk",
        "grounds": ["disability"],
        "known": "no",
        "contact_choice": "anonymous",
    },
)


def seed_online_reports() -> int:
    """Add the demo reports to each demo organisation that has none yet; return how many."""
    created = 0
    now = timezone.now()
    for organisation in Organisation.objects.filter(code__in=["WCH", "CAH"]):
        if OnlineReport.objects.filter(organisation=organisation).exists():
            continue
        for hours_ago, answers in zip((5, 30), DEMO_REPORTS, strict=True):
            received_at = now - timedelta(hours=hours_ago)
            occurred = timezone.localtime(received_at - timedelta(days=1)).date()
            online_report_submit(
                organisation=organisation,
                answers={**answers, "occurred_on": occurred.isoformat()},
                received_at=received_at,
            )
            created += 1
    return created
