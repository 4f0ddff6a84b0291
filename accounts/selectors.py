from django.db.models import QuerySet

from .models import Membership, Organisation


def membership_list(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation, user__is_active=True)
        .select_related("user")
        .prefetch_related("areas")
        .order_by("user__full_name", "role")
    )
