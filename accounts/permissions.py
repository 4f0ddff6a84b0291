"""The one place where Haven decides who may do what.

A user's roles are per organisation. The middleware resolves the organisation the user is
working in and their roles there into ``request.access``; views ask it through
``role_required`` / ``RoleRequiredMixin`` and scope their querysets to
``request.access.organisation``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .models import Membership, Organisation, Role

# What each kind of work needs. Views name one of these, never a list of their own.
LOG_CASES = frozenset({Role.STAFF, Role.OFFICER, Role.MANAGER, Role.ORG_ADMIN})
WORK_CASES = frozenset({Role.OFFICER, Role.MANAGER})
MANAGE = frozenset({Role.MANAGER, Role.ORG_ADMIN})
SIT_ON_PANEL = frozenset({Role.PANEL})
ADMINISTER = frozenset({Role.ORG_ADMIN})
ANY_ROLE = frozenset(Role)


@dataclass(frozen=True)
class Access:
    """What the signed-in user may do in the organisation they are working in."""

    organisation: Organisation | None
    roles: frozenset[str]
    organisations: tuple[Organisation, ...] = field(default=())

    def can(self, needed: Iterable[str]) -> bool:
        return self.organisation is not None and bool(self.roles & frozenset(needed))

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in Role if r in self.roles]


NO_ACCESS = Access(organisation=None, roles=frozenset())


def access_for(user, organisation_id: int | None) -> Access:
    """Resolve the user's roles, in one query, for the organisation they chose."""
    if not user.is_authenticated:
        return NO_ACCESS
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    organisations: dict[int, Organisation] = {}
    for membership in memberships:
        organisations.setdefault(membership.organisation_id, membership.organisation)
    if not organisations:
        return NO_ACCESS
    current_id = organisation_id if organisation_id in organisations else next(iter(organisations))
    roles = frozenset(m.role for m in memberships if m.organisation_id == current_id)
    return Access(
        organisation=organisations[current_id],
        roles=roles,
        organisations=tuple(organisations.values()),
    )


def check(request: HttpRequest, needed: Iterable[str]) -> None:
    if not request.access.can(needed):  # type: ignore[attr-defined]
        raise PermissionDenied


def role_required(needed: Iterable[str]) -> Callable:
    """Decorate a view: sign-in required, then one of the roles in ``needed``, else 403."""
    needed = frozenset(needed)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check(request, needed)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class RoleRequiredMixin:
    """Class-based twin of ``role_required``."""

    needed_roles: frozenset[str] = frozenset()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        check(request, self.needed_roles)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def login_username(request, credentials) -> str | None:
    """The account a sign-in attempt is for, as django-axes counts failures against it."""
    raw = (credentials or {}).get("username") or request.POST.get("username") or ""
    return raw.strip().lower() or None
