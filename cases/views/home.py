from django.shortcuts import render

from accounts import permissions

from ..home import home_figures


@permissions.role_required(permissions.ANY_ROLE)
def home(request):
    figures = home_figures(user=request.user, access=request.access)
    return render(request, "home.html", {"figures": figures})
