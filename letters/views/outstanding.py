"""The letters list: what has not gone yet on the cases the user may open, and why."""

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts import permissions

from ..selectors import letters_outstanding

PER_PAGE = 50


@permissions.role_required(permissions.WORK_CASES)
def outstanding(request):
    letters = letters_outstanding(user=request.user, access=request.access)
    page = Paginator(letters, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "letters/outstanding.html", {"page": page})
