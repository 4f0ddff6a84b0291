"""Every view that shows case data goes through one of these decorators, which resolves
what the user may open (404 otherwise), records one ``CaseAccess`` row and hands the
view what it resolved. A test walks every URL pattern and fails on a case view that
does not (tests/cases/test_access_log.py), so a new page cannot forget the log.

The row is written once the view has answered: a view that refuses (404 for a letter
not on the case, say) logs nothing. GET and HEAD record the decorator's action (what the
page shows); any other method records ``SUBMITTED``, since a form sent back with errors
shows the case again, and the change itself, once saved, is in the case's history.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login

from ..models import CaseAccess
from ..selectors import (
    case_get_for_user,
    person_get_for_update,
    person_get_for_user,
    person_roles,
)

# Set on every wrapped view (and carried by functools.wraps to any decorator outside it).
CASE_SCOPED = "haven_case_scoped"

SAFE_METHODS = frozenset({"GET", "HEAD"})


def _action_for(request, action: str) -> str:
    return action if request.method in SAFE_METHODS else CaseAccess.Action.SUBMITTED


def _mark(wrapper: Callable, action: str) -> Callable:
    setattr(wrapper, CASE_SCOPED, True)
    wrapper.haven_case_action = action  # type: ignore[attr-defined]
    return wrapper


def case_view(action: str, *, kwarg: str = "pk", object_kwarg: str | None = None) -> Callable:
    """Decorate a view keyed by a case id (URL kwarg ``kwarg``): the view receives
    ``case=`` (the case this user may open, else 404) instead of the id, and the opening
    is logged, with the URL kwarg ``object_kwarg`` (a letter, an assessment...) as the
    object id. Put it inside ``role_required`` so the role is checked first."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            case = case_get_for_user(user=request.user, access=request.access, pk=kwargs.pop(kwarg))
            response = view(request, *args, case=case, **kwargs)
            CaseAccess.objects.create(
                case=case,
                user=request.user,
                action=_action_for(request, action),
                object_id=kwargs.get(object_kwarg) if object_kwarg else None,
            )
            return response

        return _mark(wrapper, action)

    return decorator


def case_object_view(action: str, *, load: Callable, name: str, kwarg: str = "pk") -> Callable:
    """Decorate a view keyed by something that belongs to a case (a transfer referral, an
    online report): ``load(request, pk)`` returns it or raises 404 with the view's own
    scoping; the view receives it as ``name=``. Its case's log records the opening, with
    the object's id; an object not linked to a case (``case_id`` None) records nothing."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            obj = load(request, kwargs.pop(kwarg))
            response = view(request, *args, **{name: obj}, **kwargs)
            if obj.case_id is not None:
                CaseAccess.objects.create(
                    case_id=obj.case_id,
                    user=request.user,
                    action=_action_for(request, action),
                    object_id=obj.pk,
                )
            return response

        return _mark(wrapper, action)

    return decorator


def person_view(action: str, *, for_update: bool = False) -> Callable:
    """Decorate a view keyed by a person id: the view receives ``person=`` and ``roles=``
    (their parts in the cases this user may open). Looking at a person is looking into
    each of those cases, so each case's log records it, in one insert. ``for_update``: the
    person must be one the user may change (``person_get_for_update``)."""
    load = person_get_for_update if for_update else person_get_for_user

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            person = load(user=request.user, access=request.access, pk=kwargs.pop("pk"))
            roles = list(person_roles(person=person, user=request.user, access=request.access))
            response = view(request, *args, person=person, roles=roles, **kwargs)
            logged = _action_for(request, action)
            CaseAccess.objects.bulk_create(
                CaseAccess(case_id=case_id, user=request.user, action=logged, object_id=person.pk)
                for case_id in dict.fromkeys(party.case_id for party in roles)
            )
            return response

        return _mark(wrapper, action)

    return decorator
