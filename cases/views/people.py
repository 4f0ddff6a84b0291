"""Live suggestions of people already on file while a person is being entered (htmx)."""

from datetime import date

from django.shortcuts import render
from django.views.decorators.http import require_POST

from accounts import permissions

from ..selectors import people_possible_matches

# The forms that may ask, by prefix, and who the suggestions are about.
PREFIXES = {"victim": "the victim", "perpetrator": "the perpetrator", "person": "this person"}


@require_POST
@permissions.role_required(permissions.LOG_CASES)
def person_matches(request):
    """POST, not GET: the name, date of birth and postcode never appear in a URL or a log."""
    prefix = request.POST.get("prefix", "")
    if prefix not in PREFIXES:
        return render(request, "cases/includes/matches.html", {"matches": []})
    try:
        dob = date.fromisoformat(request.POST.get(f"{prefix}-date_of_birth", ""))
    except ValueError:
        dob = None
    matches = people_possible_matches(
        user=request.user,
        access=request.access,
        full_name=request.POST.get(f"{prefix}-full_name", ""),
        date_of_birth=dob,
        postcode=request.POST.get(f"{prefix}-postcode", ""),
    )
    return render(
        request,
        "cases/includes/matches.html",
        {"matches": matches, "name": f"{prefix}-match", "who": PREFIXES[prefix]},
    )
