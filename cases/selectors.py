"""Reads of cases, always scoped to the user's organisation and role."""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts import permissions
from accounts.models import Role

from .models import Case, Person


def cases_visible_to(*, user, access) -> QuerySet[Case]:
    """Every case this user may open in the organisation they are working in.

    Managers and organisation admins: all of them. Officers: every case that is not
    restricted, and restricted ones they are assigned to or named on. Staff who only log
    reports: the cases they logged or are named on. Panel members: none (they see the
    panel's summaries instead). Another organisation's case is never in the set.
    """
    if access.organisation is None:
        return Case.objects.none()
    cases = Case.objects.filter(organisation=access.organisation)
    if access.can(permissions.MANAGE):
        return cases
    named = Q(assigned_officer=user) | Q(named_staff=user)
    if access.can({Role.OFFICER}):
        return cases.filter(Q(restricted=False) | Q(pk__in=cases.filter(named).values("pk")))
    if access.can({Role.STAFF}):
        mine = Q(created_by=user, restricted=False) | named
        return cases.filter(pk__in=cases.filter(mine).values("pk"))
    return Case.objects.none()


def case_get_for_user(*, user, access, pk: int) -> Case:
    """One case the user may open, or 404 (never 403: its existence is not disclosed)."""
    try:
        return (
            cases_visible_to(user=user, access=access)
            .select_related("organisation", "area", "assigned_officer", "created_by")
            .get(pk=pk)
        )
    except Case.DoesNotExist as missing:
        raise Http404("No such case.") from missing


def people_visible_to(*, access) -> QuerySet[Person]:
    if access.organisation is None or not access.can(permissions.WORK_CASES | {Role.STAFF}):
        return Person.objects.none()
    return Person.objects.filter(organisation=access.organisation)
