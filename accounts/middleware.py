from django.utils.functional import SimpleLazyObject

from .permissions import access_for

SESSION_KEY = "haven_organisation_id"


class CurrentOrganisationMiddleware:
    """Puts ``request.access``: the organisation the user works in and their roles there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.access = SimpleLazyObject(
            lambda: access_for(request.user, request.session.get(SESSION_KEY))
        )
        return self.get_response(request)
