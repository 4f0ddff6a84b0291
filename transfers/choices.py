"""Every set of choices in a transfer referral and a Housing Panel meeting (W05, W17, C25)."""

from django.db import models


class ReferralType(models.TextChoices):
    """W17: a managed transfer; C25: a voluntary move on management grounds."""

    MANAGED_TRANSFER = "managed_transfer", "Managed transfer (unsafe to stay)"
    MANAGEMENT_MOVE = "management_move", "Voluntary move on management grounds"


class Route(models.TextChoices):
    """W17: joint-venture tenants have no Registered Provider transfer rights."""

    PANEL = "panel", "Housing Panel (our own stock)"
    JV_LOCAL_AUTHORITY = (
        "jv_local_authority",
        "Joint referral to the local authority; direct let considered case by case",
    )


class Reason(models.TextChoices):
    POLICE_ADVICE = "police_advice", "Police advice"
    RISK_ASSESSMENT = "risk_assessment", "Risk assessment"
    REPEATED_INCIDENTS = "repeated_incidents", "Repeated incidents"
    OTHER = "other", "Other"


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", "Emergency (immediate danger)"
    URGENT = "urgent", "Urgent"
    ROUTINE = "routine", "Routine"


class ReferralStatus(models.TextChoices):
    AWAITING_PANEL = "awaiting_panel", "Awaiting the Housing Panel"
    APPROVED = "approved", "Approved"
    OFFER_MADE = "offer_made", "Offer made"
    OFFER_ACCEPTED = "offer_accepted", "Offer accepted"
    MOVED = "moved", "Moved (closed)"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (
    ReferralStatus.AWAITING_PANEL,
    ReferralStatus.APPROVED,
    ReferralStatus.OFFER_MADE,
    ReferralStatus.OFFER_ACCEPTED,
)

# An approved transfer moves forward through these steps, in this order, until the move.
PROGRESS_STEPS = (
    ReferralStatus.APPROVED,
    ReferralStatus.OFFER_MADE,
    ReferralStatus.OFFER_ACCEPTED,
    ReferralStatus.MOVED,
)


class Vote(models.TextChoices):
    APPROVE = "approve", "Approve"
    DECLINE = "decline", "Decline"
    DEFER = "defer", "Defer"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
