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
from .forms import (
    EmailAuthenticationForm,
    MemberAddForm,
    MemberChangeForm,
    MemberDeactivateForm,
    MemberFilterForm,
    PasswordResetRequestForm,
)
from .middleware import SESSION_KEY
from .models import Role
from .network import address_group, client_address
from .selectors import (
    member_get,
    member_history,
    member_list,
    member_search,
    member_with_role,
    roles_in_order,
)
from .services import members as member_services
from .services.invitations import invitation_latest, member_invitation_resend
from .services.password_reset import password_reset_request


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    """Queues the e-mail (accounts.services.password_reset) instead of sending it here, so
    the answer takes the same time whether or not the address has an account."""

    form_class = PasswordResetRequestForm

    def form_valid(self, form):
        try:
            password_reset_request(
                email=form.cleaned_data["email"], client=address_group(client_address(self.request))
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return HttpResponseRedirect(self.get_success_url())


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


# --- Members ------------------------------------------------------------------------------
# Managers read the list; organisation admins add, change and deactivate members. A user id
# in a URL is looked up only among this organisation's members (and former members): anyone
# else is a 404.

MEMBERS_PAGE_SIZE = 25


@permissions.role_required(permissions.MANAGE)
def members(request):
    organisation = request.access.organisation
    filters = MemberFilterForm(request.GET or None)
    rows = member_list(organisation=organisation)
    if filters.is_valid():
        rows = member_search(rows, filters.cleaned_data["q"])
        if filters.cleaned_data["role"]:
            rows = member_with_role(
                rows, organisation=organisation, role=filters.cleaned_data["role"]
            )
    page = Paginator(rows, MEMBERS_PAGE_SIZE).get_page(request.GET.get("page"))
    for user in page:
        user.roles_here = roles_in_order(user.roles_here)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/members.html",
        {
            "filters": filters,
            "page": page,
            "query_string": query.urlencode(),
            "may_administer": request.access.can(permissions.ADMINISTER),
        },
    )


@permissions.role_required(permissions.ADMINISTER)
def member_add_view(request):
    organisation = request.access.organisation
    form = MemberAddForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            added = member_services.member_add(
                organisation=organisation,
                by=request.user,
                email=data["email"],
                full_name=data["full_name"],
                job_title=data["job_title"],
                roles=data["roles"],
                areas=data["areas"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _added_message(
                    email=data["email"], full_name=data["full_name"], organisation=organisation
                ),
            )
            return HttpResponseRedirect(reverse("accounts:member", args=[added.user.pk]))
    return render(request, "accounts/member_add.html", {"form": form})


def _added_message(*, email: str, full_name: str, organisation) -> str:
    """The same words whether the address was new to Haven or already had an account, so
    adding someone reveals nothing about an account elsewhere."""
    return (
        f"{full_name} ({email}) now holds roles in {organisation.name}. If they have not set "
        "a Haven password yet, an e-mail with a link to set one is on its way to them."
    )


@permissions.role_required(permissions.ADMINISTER)
def member_detail(request, user_id: int):
    organisation = request.access.organisation
    member = member_get(organisation=organisation, user_id=user_id)
    if not member.roles_here:  # type: ignore[attr-defined]
        return _member_page(request, member, form=None)
    form = MemberChangeForm(
        request.POST or None, organisation=organisation, initial=_current(member, organisation)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = member_services.member_update(
                organisation=organisation,
                user=member,
                by=request.user,
                roles=data["roles"],
                areas=data["areas"],
                job_title=data["job_title"],
                counts_as_manager=data["counts_as_manager"],
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not changed.anything:
                messages.info(request, "Nothing changed.")
            else:
                messages.success(request, f"{member.full_name}'s membership saved.")
            if member.pk == request.user.pk and Role.ORG_ADMIN in changed.roles_removed:
                messages.info(request, "You are no longer an organisation admin here.")
                return HttpResponseRedirect(reverse("home"))
            return HttpResponseRedirect(reverse("accounts:member", args=[member.pk]))
    return _member_page(request, member, form=form)


@require_POST
@permissions.role_required(permissions.ADMINISTER)
def member_deactivate_view(request, user_id: int):
    organisation = request.access.organisation
    member = member_get(organisation=organisation, user_id=user_id)
    form = MemberDeactivateForm(request.POST)
    if form.is_valid():
        try:
            result = member_services.member_deactivate(
                organisation=organisation,
                user=member,
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            text = f"{member.full_name} no longer holds any role in {organisation.name}."
            if result.account_closed:
                text += " They hold no role anywhere else either, so they can no longer sign in."
            messages.success(request, text)
            return HttpResponseRedirect(reverse("accounts:member", args=[member.pk]))
    change_form = (
        MemberChangeForm(organisation=organisation, initial=_current(member, organisation))
        if member.roles_here  # type: ignore[attr-defined]
        else None
    )
    return _member_page(request, member, form=change_form, deactivate_form=form)


@require_POST
@permissions.role_required(permissions.ADMINISTER)
def member_invitation_view(request, user_id: int):
    organisation = request.access.organisation
    member = member_get(organisation=organisation, user_id=user_id)
    try:
        member_invitation_resend(organisation=organisation, user=member, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"A new link to set a password is on its way to {member.email}.")
    return HttpResponseRedirect(reverse("accounts:member", args=[member.pk]))


def _current(member, organisation) -> dict:
    from transfers.models import PanelMember

    officer = next((m for m in member.roles_here if m.role == Role.OFFICER), None)
    return {
        "job_title": member.job_title_here or "",
        "roles": [m.role for m in member.roles_here],
        "areas": list(officer.areas.all()) if officer else [],
        "counts_as_manager": PanelMember.objects.filter(
            organisation=organisation, user=member, is_manager=True
        ).exists(),
    }


def _member_page(request, member, *, form, deactivate_form=None):
    organisation = request.access.organisation
    open_cases = member_services.open_cases_assigned(organisation=organisation, user=member)
    return render(
        request,
        "accounts/member_detail.html",
        {
            "member": member,
            "roles_here": roles_in_order(member.roles_here),
            "form": form,
            "deactivate_form": deactivate_form or MemberDeactivateForm(),
            "open_cases": open_cases,
            "open_cases_url": f"{reverse('cases:list')}?assigned_officer={member.pk}",
            "is_self": member.pk == request.user.pk,
            "invitation_pending": member.is_active and not member.has_usable_password(),
            "invitation": invitation_latest(user=member, organisation=organisation),
            "history": member_history(organisation=organisation, user=member),
        },
    )
