from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import permissions
from .forms import EmailAuthenticationForm, PolicySettingsForm
from .middleware import SESSION_KEY
from .policy import PRESETS, looser_than_preset, policy_for
from .selectors import membership_list
from .services import policy_settings_update


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True


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


@permissions.role_required(permissions.ADMINISTER)
def policy_settings(request):
    """C14: the organisation's timescales, with a warning beside any looser than its preset."""
    organisation = request.access.organisation
    current = policy_for(organisation)
    form = PolicySettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            policy_settings_update(
                organisation=organisation,
                by=request.user,
                values={name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Policy settings saved. They apply to deadlines started from now on."
            )
            return HttpResponseRedirect(reverse("accounts:policy_settings"))
    shown = form.instance
    preset = PRESETS.get(shown.preset)
    rows = [
        {
            "field": form[name],
            "clause": preset[name].clause if preset and name in preset else "",
            "preset_value": preset[name].value if preset and name in preset else None,
        }
        for name in form.Meta.fields
        if name != "preset"
    ]
    return render(
        request,
        "accounts/policy_settings.html",
        {
            "form": form,
            "rows": rows,
            "warnings": looser_than_preset(shown) if preset else {},
            "history": current.history.select_related("history_user")[:20] if current.pk else [],
        },
    )
