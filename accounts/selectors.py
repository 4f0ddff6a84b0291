"""Reads of accounts data shared by views, each scoped to one organisation."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from .models import JobTitle, Membership, Organisation, Role, User


def _job_title_here(organisation: Organisation) -> Subquery:
    return Subquery(
        JobTitle.objects.filter(organisation=organisation, user=OuterRef("pk")).values("title")[:1]
    )


def member_list(*, organisation: Organisation) -> QuerySet[User]:
    """The organisation's active members, one row each, with ``roles_here``: their
    memberships here (areas prefetched), and ``job_title_here``. Three queries for a page,
    however many members."""
    return (
        User.objects.filter(
            Exists(Membership.objects.filter(user=OuterRef("pk"), organisation=organisation)),
            is_active=True,
        )
        .annotate(job_title_here=_job_title_here(organisation))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(organisation=organisation)
                .order_by("role")
                .prefetch_related("areas"),
                to_attr="roles_here",
            )
        )
        .order_by("full_name", "pk")
    )


def member_search(queryset: QuerySet[User], text: str) -> QuerySet[User]:
    text = text.strip()
    if not text:
        return queryset
    return queryset.filter(Q(full_name__icontains=text) | Q(email__icontains=text))


def member_with_role(queryset: QuerySet[User], *, organisation: Organisation, role: str):
    return queryset.filter(
        Exists(Membership.objects.filter(user=OuterRef("pk"), organisation=organisation, role=role))
    )


def member_get(*, organisation: Organisation, user_id: int) -> User:
    """A member, or someone who was one, of this organisation; anyone else is a 404.

    ``roles_here`` lists their memberships here (empty for a former member).
    """
    user = (
        User.objects.filter(pk=user_id)
        .annotate(job_title_here=_job_title_here(organisation))
        .first()
    )
    if user is None:
        raise Http404("No such member.")
    user.roles_here = list(  # type: ignore[attr-defined]
        Membership.objects.filter(organisation=organisation, user=user)
        .order_by("role")
        .prefetch_related("areas")
    )
    was_member = user.roles_here or (  # type: ignore[attr-defined]
        Membership.history.filter(organisation=organisation, user=user).exists()
    )
    if not was_member:
        raise Http404("No such member.")
    return user


def roles_in_order(memberships) -> list[Membership]:
    order = {role: index for index, role in enumerate(Role.values)}
    return sorted(memberships, key=lambda m: order.get(m.role, len(order)))


@dataclass(frozen=True)
class MemberEvent:
    when: datetime
    who: User | None
    what: str
    why: str


def member_history(*, organisation: Organisation, user: User) -> list[MemberEvent]:
    """Roles given and taken away here, areas changed and the Housing Panel mark, newest
    first: who, when and why. Two queries."""
    # transfers builds on accounts; imported here so accounts' modules load without it.
    from transfers.models import PanelMember

    events = []
    for row in Membership.history.filter(organisation=organisation, user=user).select_related(
        "history_user"
    ):
        role = Role(row.role).label if row.role in Role.values else row.role
        what = {
            "+": f"Given the role {role}",
            "-": f"Role {role} taken away",
            "~": f"{role}: areas changed",
        }[row.history_type]
        events.append(MemberEvent(row.history_date, row.history_user, what, _why(row)))
    for row in PanelMember.history.filter(organisation=organisation, user=user).select_related(
        "history_user"
    ):
        if row.history_type == "-" or not row.is_manager:
            what = "Housing Panel: no longer counts as a manager"
        else:
            what = "Housing Panel: counts as a manager"
        events.append(MemberEvent(row.history_date, row.history_user, what, _why(row)))
    return sorted(events, key=lambda event: event.when, reverse=True)


def _why(row) -> str:
    return row.history_change_reason or ""
