from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import permissions
from .forms import EmailAuthenticationForm
from .middleware import SESSION_KEY
from .selectors import membership_list


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True


@permissions.role_required(permissions.ANY_ROLE)
def home(request):
    return render(request, "home.html")


@require_POST
@permissions.role_required(permissions.ANY_ROLE)
def switch_organisation(request):
    wanted = request.POST.get("organisation")
    allowed = {str(org.pk): org for org in request.access.organisations}
    if wanted in allowed:
        request.session[SESSION_KEY] = int(wanted)
        messages.success(request, f"You are now working in {allowed[wanted].name}.")
    else:
        messages.error(request, "You do not hold a role in that organisation.")
    target = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("home")
    return HttpResponseRedirect(target)


@permissions.role_required(permissions.MANAGE)
def members(request):
    page = Paginator(membership_list(organisation=request.access.organisation), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/members.html", {"page": page})
