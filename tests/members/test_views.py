"""The members pages: who may use them, what they show, and the invitation e-mail's link."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership, Role, User
from tests.cases.factories import make_case
from tests.factories import AreaFactory, member

pytestmark = pytest.mark.django_db

ROLES = ["staff", "officer", "manager", "panel", "admin", "outsider"]


def member_url(name, user):
    return reverse(f"accounts:{name}", args=[user.pk])


# --- Who may do what ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 403),
        ("officer", 403),
        ("manager", 200),
        ("panel", 403),
        ("admin", 200),
        ("outsider", 200),
    ],
)
def test_member_list_by_role(client, cast, role, status):
    client.force_login(cast.by_role()[role])
    response = client.get(reverse("accounts:members"))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        edit_link = member_url("member", cast.officer)
        # The outsider administers their own organisation and sees none of ours.
        assert (cast.officer.email in body) == (role != "outsider")
        # Only organisation admins are offered changes.
        assert ('href="/accounts/members/add/"' in body) == (role in ("admin", "outsider"))
        assert (edit_link in body) == (role == "admin")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 403),
        ("officer", 403),
        ("manager", 403),
        ("panel", 403),
        ("admin", 200),
        ("outsider", 404),
    ],
)
def test_member_page_by_role_get_and_post(client, cast, role, status):
    """The outsider is an organisation admin elsewhere: our member's id is a 404 to them."""
    client.force_login(cast.by_role()[role])
    assert client.get(member_url("member", cast.staff)).status_code == status
    post = client.post(
        member_url("member", cast.staff),
        {"roles": [Role.STAFF, Role.PANEL], "job_title": "", "reason": "Joins the panel"},
    )
    assert post.status_code == (302 if role == "admin" else status)
    expected = {Role.STAFF, Role.PANEL} if role == "admin" else {Role.STAFF}
    assert set(cast.staff.memberships.values_list("role", flat=True)) == expected


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 403),
        ("officer", 403),
        ("manager", 403),
        ("panel", 403),
        ("admin", 302),
        ("outsider", 404),
    ],
)
def test_deactivate_by_role(client, cast, role, status):
    client.force_login(cast.by_role()[role])
    assert client.get(member_url("member_deactivate", cast.staff)).status_code in (403, 404, 405)
    response = client.post(
        member_url("member_deactivate", cast.staff), {"deactivate-reason": "Left"}
    )
    assert response.status_code == status
    still_here = Membership.objects.filter(user=cast.staff, organisation=cast.organisation)
    assert still_here.exists() == (role != "admin")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 403),
        ("officer", 403),
        ("manager", 403),
        ("panel", 403),
        ("admin", 302),
        ("outsider", 302),
    ],
)
def test_add_member_by_role_get_and_post(client, cast, role, status):
    client.force_login(cast.by_role()[role])
    assert client.get(reverse("accounts:member_add")).status_code == (
        200 if status == 302 else status
    )
    response = client.post(
        reverse("accounts:member_add"),
        {"email": f"new-{role}@haven.test", "full_name": "New Person", "roles": [Role.STAFF]},
    )
    assert response.status_code == status
    added = Membership.objects.filter(user__email=f"new-{role}@haven.test").first()
    if status == 302:
        # Always to the admin's own organisation, never another.
        mine = cast.other_organisation if role == "outsider" else cast.organisation
        assert added.organisation == mine
    else:
        assert added is None


@pytest.mark.parametrize("role", ROLES)
def test_invitation_resend_by_role(client, cast, role, django_capture_on_commit_callbacks):
    invited = member(cast.organisation, Role.STAFF, full_name="Ivy Invited")
    invited.set_unusable_password()
    invited.save()
    client.force_login(cast.by_role()[role])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(member_url("member_invitation", invited))
    expected = {"admin": 302, "outsider": 404}.get(role, 403)
    assert response.status_code == expected
    assert len(mail.outbox) == (1 if role == "admin" else 0)


def test_no_new_invitation_for_someone_who_has_a_password(client, cast):
    client.force_login(cast.admin)
    response = client.post(member_url("member_invitation", cast.staff), follow=True)
    assert "has set a password already" in response.content.decode()
    assert mail.outbox == []


def test_changes_need_csrf(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin)
    response = client.post(member_url("member", cast.staff), {"roles": [Role.PANEL], "reason": "x"})
    assert response.status_code == 403
    assert response.status_code == client.post(reverse("accounts:member_add"), {}).status_code
    page = client.get(member_url("member", cast.staff)).content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 2  # the change and deactivate forms


def test_a_user_with_no_past_here_is_a_404_even_by_id(client, cast):
    client.force_login(cast.admin)
    assert client.get(member_url("member", cast.outsider)).status_code == 404
    assert client.get("/accounts/members/999999/").status_code == 404


# --- The list -----------------------------------------------------------------------------


def list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_member_list_query_count_is_pinned_and_the_same_for_3_and_30_members(client, organisation):
    area = AreaFactory(organisation=organisation)
    admin = member(organisation, Role.ORG_ADMIN)
    member(organisation, Role.OFFICER).memberships.get().areas.add(area)
    member(organisation, Role.MANAGER, Role.PANEL)
    client.force_login(admin)
    url = reverse("accounts:members")
    # session, user, the admin's memberships (access), the page's count, the page of users,
    # their memberships here and those memberships' areas; no session save (signing in wrote
    # it under a minute ago).
    with_3 = list_queries(client, url)
    assert with_3 == 7
    for _ in range(27):
        member(organisation, Role.OFFICER, Role.PANEL).memberships.get(role=Role.OFFICER).areas.add(
            area
        )
    assert client.get(url).context["page"].paginator.count == 30
    assert list_queries(client, url) == with_3
    assert list_queries(client, f"{url}?q=test&role=officer") == with_3


def test_member_list_searches_by_name_or_email_and_filters_by_role(client, cast):
    client.force_login(cast.manager)
    url = reverse("accounts:members")

    def names(query):
        response = client.get(url, query)
        return [u.full_name for u in response.context["page"]]

    assert names({"q": "olivia"}) == ["Olivia Officer"]
    assert names({"q": cast.panel.email.upper()}) == ["Priya Panel"]
    assert names({"role": Role.MANAGER}) == ["Maya Manager"]
    assert names({"q": "officer", "role": Role.MANAGER}) == []
    assert "No members match." in client.get(url, {"q": "nobody"}).content.decode()
    # One row per person, however many roles they hold here.
    Membership.objects.create(user=cast.officer, organisation=cast.organisation, role=Role.PANEL)
    assert names({"q": "olivia"}) == ["Olivia Officer"]
    body = client.get(url, {"q": "olivia"}).content.decode()
    assert "Housing officer, Housing panel member" in body


def test_member_list_is_paginated_keeping_the_filter(client, cast):
    for n in range(30):
        member(cast.organisation, Role.STAFF, full_name=f"Staff {n:02d}")
    client.force_login(cast.admin)
    first = client.get(reverse("accounts:members"), {"role": Role.STAFF})
    assert len(first.context["page"]) == 25
    assert "role=staff&amp;page=2" in first.content.decode()
    second = client.get(reverse("accounts:members"), {"role": Role.STAFF, "page": 2})
    assert len(second.context["page"]) == 6  # 30 plus Sam Staff


# --- Adding, with the invitation ----------------------------------------------------------


def invitation_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/password/reset/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_add_a_new_member_sends_an_invitation_whose_link_sets_a_password_and_signs_in(
    client, cast, django_capture_on_commit_callbacks
):
    area = AreaFactory(organisation=cast.organisation, name="Oxhey")
    client.force_login(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:member_add"),
            {
                "email": "Nina.New@wch.test",
                "full_name": "Nina New",
                "job_title": "Housing officer",
                "roles": [Role.OFFICER],
                "areas": [area.pk],
            },
            follow=True,
        )
    nina = User.objects.get(email="nina.new@wch.test")
    assert response.redirect_chain[-1][0] == member_url("member", nina)
    body = response.content.decode()
    assert "Nina New (nina.new@wch.test) now holds roles in Watford Community Housing." in body
    assert "an e-mail with a link to set one is on its way" in body
    assert "Invited: has not set a password yet" in body

    (message,) = mail.outbox
    assert message.to == ["nina.new@wch.test"]
    assert "Watford Community Housing" in message.subject
    assert "expires after 3 days" in message.body
    client.logout()
    link = invitation_link(message)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "a-long-new-pass-2026", "new_password2": "a-long-new-pass-2026"},
        follow=True,
    )
    assert "Your new password is set" in done.content.decode()
    signed_in = client.post(
        reverse("login"),
        {"username": "nina.new@wch.test", "password": "a-long-new-pass-2026"},
        follow=True,
    )
    assert signed_in.context["user"] == nina
    assert signed_in.context["request"].access.roles == {Role.OFFICER}
    # The link works once.
    client.logout()
    again = client.get(link, follow=True)
    assert "This link has expired or been used" in again.content.decode()


def test_invitation_link_expires_after_three_days(
    client, cast, settings, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    assert settings.PASSWORD_RESET_TIMEOUT == 3 * 24 * 60 * 60
    start = timezone.now()
    client.force_login(cast.admin)
    with time_machine.travel(start, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("accounts:member_add"),
                {"email": "late@wch.test", "full_name": "Lee Late", "roles": [Role.STAFF]},
            )
        link = invitation_link(mail.outbox[0])
        client.logout()
        clock.move_to(start + timedelta(days=3))
        on_time = client.get(link, follow=True).content.decode()
        assert "Set password" in on_time
        clock.move_to(start + timedelta(days=3, seconds=1))
        client.cookies.clear()
        late = client.get(link, follow=True).content.decode()
    assert "This link has expired or been used" in late
    assert "ask your organisation admin to send a new invitation" in late


def test_adding_a_known_email_gives_the_same_confirmation_as_a_new_one_and_no_name(
    client, cast, django_capture_on_commit_callbacks
):
    def confirmation(email):
        with django_capture_on_commit_callbacks(execute=False):
            response = client.post(
                reverse("accounts:member_add"),
                {"email": email, "full_name": "Typed Name", "roles": [Role.PANEL]},
            )
        assert response.status_code == 302
        texts = [m.message for m in response.wsgi_request._messages]
        return texts[-1].replace(email, "EMAIL")

    client.force_login(cast.admin)
    existing = confirmation(cast.outsider.email)
    new = confirmation("brand.new@example.test")
    assert existing == new
    assert "Otto Other" not in existing
    assert "already" not in existing.lower()


def test_platform_administrator_deactivating_an_account_keeps_organisations_from_reactivating_it(
    client, cast
):
    gone = member(cast.other_organisation, Role.STAFF, full_name="Gone Away")
    from accounts.services.members import member_deactivate

    member_deactivate(
        organisation=cast.other_organisation, user=gone, by=cast.outsider, reason="Left"
    )
    gone.refresh_from_db()
    assert gone.deactivated_by_organisation == cast.other_organisation
    platform = User.objects.create_superuser(email="root@haven.test", full_name="Root")
    client.force_login(platform)
    # The platform administrator reactivates, then deactivates the account themselves.
    for active in (True, False):
        data = {"email": gone.email, "full_name": gone.full_name, "is_active": active}
        response = client.post(reverse("admin:accounts_user_change", args=[gone.pk]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
    gone.refresh_from_db()
    assert not gone.is_active and gone.deactivated_by_organisation is None
    client.force_login(cast.outsider)
    client.post(
        reverse("accounts:member_add"),
        {"email": gone.email, "full_name": "Gone Away", "roles": [Role.STAFF]},
    )
    gone.refresh_from_db()
    assert not gone.is_active


def test_add_form_errors_sit_beside_their_fields_and_keep_the_input(client, cast):
    theirs = AreaFactory(organisation=cast.other_organisation, name="Elsewhere")
    ours = AreaFactory(organisation=cast.organisation, name="Garston")
    client.force_login(cast.admin)
    response = client.post(
        reverse("accounts:member_add"),
        {"email": "kim@wch.test", "full_name": "Kim Keep", "job_title": "Clerk", "roles": []},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="kim@wch.test"' in body and 'value="Kim Keep"' in body
    assert response.context["form"].errors["roles"] == ["Choose at least one role."]
    assert "Elsewhere" not in body and "Garston" in body
    response = client.post(
        reverse("accounts:member_add"),
        {"email": "kim@wch.test", "full_name": "Kim", "roles": [Role.STAFF], "areas": [ours.pk]},
    )
    assert "Areas are for housing officers" in response.context["form"].errors["areas"][0]
    response = client.post(
        reverse("accounts:member_add"),
        {"email": "kim@wch.test", "full_name": "K", "roles": [Role.OFFICER], "areas": [theirs.pk]},
    )
    assert "areas" in response.context["form"].errors
    assert not User.objects.filter(email="kim@wch.test").exists()


# --- Changing and deactivating ------------------------------------------------------------


def test_the_member_page_shows_the_history_of_role_changes(client, cast):
    client.force_login(cast.admin)
    client.post(
        member_url("member", cast.staff),
        {"roles": [Role.STAFF, Role.PANEL], "job_title": "", "reason": "Joins the panel"},
    )
    page = client.get(member_url("member", cast.staff)).content.decode()
    assert "Given the role Housing panel member" in page
    assert "Adam Admin" in page and "Joins the panel" in page
    # Two forms on one page, each label pointing at its own field.
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert 'for="id_deactivate-reason"' in page and 'for="id_reason"' in page


def test_officer_with_open_cases_sees_how_many_and_a_link_to_them(client, cast):
    make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    client.force_login(cast.admin)
    response = client.post(
        member_url("member", cast.officer),
        {"roles": [Role.STAFF], "job_title": "Clerk", "reason": "Moves to reception"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["roles"] == [
        "Olivia Officer has 2 open cases assigned: reassign them before removing the "
        "housing officer role."
    ]
    body = response.content.decode()
    link = f"/cases/?assigned_officer={cast.officer.pk}"
    assert f'href="{link}"' in body
    assert 'value="Moves to reception"' in body  # input kept
    # The link is the case list filtered to that officer.
    cases = client.get(link)
    assert cases.status_code == 200 and cases.context["page"].paginator.count == 2


def test_last_admin_and_self_deactivation_guards_show_beside_the_fields(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        member_url("member", cast.admin),
        {"roles": [Role.MANAGER], "job_title": "", "reason": "Stepping down"},
    )
    assert (
        "must keep at least one organisation admin" in response.context["form"].errors["roles"][0]
    )
    page = client.get(member_url("member", cast.admin)).content.decode()
    assert "You cannot deactivate yourself" in page
    response = client.post(
        member_url("member_deactivate", cast.admin), {"deactivate-reason": "Bye"}
    )
    assert response.status_code == 200
    assert "You cannot deactivate yourself" in response.content.decode()
    assert Membership.objects.filter(user=cast.admin, role=Role.ORG_ADMIN).exists()


def test_deactivate_needs_a_reason_then_shows_the_former_member(client, cast):
    client.force_login(cast.admin)
    response = client.post(member_url("member_deactivate", cast.staff), {"deactivate-reason": ""})
    assert response.status_code == 200
    assert "Say why they are leaving" in response.content.decode()
    response = client.post(
        member_url("member_deactivate", cast.staff),
        {"deactivate-reason": "Left in March"},
        follow=True,
    )
    body = response.content.decode()
    assert "no longer holds any role in Watford Community Housing" in body
    assert "they can no longer sign in" in body
    assert "Deactivated: Left in March" in body
    assert "Role Staff taken away" in body
    cast.staff.refresh_from_db()
    assert not cast.staff.is_active
    # Gone from the list, still a page of their history for the admin.
    listing = client.get(reverse("accounts:members")).content.decode()
    assert cast.staff.email not in listing


def test_an_admin_who_steps_down_is_sent_home(client, cast):
    member(cast.organisation, Role.ORG_ADMIN, full_name="Second Admin")
    client.force_login(cast.admin)
    response = client.post(
        member_url("member", cast.admin),
        {"roles": [Role.MANAGER], "job_title": "", "reason": "Stepping down"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(member_url("member", cast.admin)).status_code == 403


def test_the_panel_mark_is_set_from_the_member_page(client, cast):
    from transfers.models import PanelMember

    client.force_login(cast.admin)
    client.post(
        member_url("member", cast.panel),
        {
            "roles": [Role.PANEL],
            "counts_as_manager": "on",
            "job_title": "Board member",
            "reason": "Chairs the board",
        },
    )
    assert PanelMember.objects.get(user=cast.panel, organisation=cast.organisation).is_manager
    page = client.get(member_url("member", cast.panel))
    assert page.context["form"].initial["counts_as_manager"] is True
    assert "Housing Panel: counts as a manager" in page.content.decode()


def test_members_item_sits_in_the_organisation_menu_for_managers_and_admins(client, cast):
    for role, sees in [("officer", False), ("manager", True), ("admin", True)]:
        client.force_login(cast.by_role()[role])
        items = client.get(reverse("home")).context["nav_items"]
        found = [i for i in items if i["label"] == "Members"]
        assert bool(found) == sees
        if found:
            assert found[0]["menu"] == "Organisation"
            assert found[0]["url"] == reverse("accounts:members")


def test_the_member_page_shows_the_invitation_queued_then_refused_then_sent(
    client, cast, django_capture_on_commit_callbacks
):
    from smtplib import SMTPServerDisconnected
    from unittest import mock

    from outbox import tasks
    from outbox.models import EmailStatus, OutgoingEmail
    from outbox.services import MAY_HAVE_GONE

    client.force_login(cast.admin)
    with mock.patch.object(tasks.send_emails, "apply_async", side_effect=OSError("broker down")):
        client.post(
            reverse("accounts:member_add"),
            {"email": "ivy@wch.test", "full_name": "Ivy New", "roles": [Role.STAFF]},
        )
    ivy = User.objects.get(email="ivy@wch.test")
    row = OutgoingEmail.objects.get()

    def status() -> str:
        page = client.get(member_url("member", ivy)).content.decode()
        found = re.search(r'data-testid="invitation-status">(.*?)</dd>', page, re.S)
        return found.group(1) if found else ""

    assert "Queued" in status()
    with mock.patch(
        "django.core.mail.EmailMessage.send", side_effect=SMTPServerDisconnected("gone")
    ):
        assert tasks.send_emails([row.pk]) == 0
    assert "Waiting to be sent again: Not accepted by the mail server" in status()
    OutgoingEmail.objects.filter(pk=row.pk).update(not_before=row.created_at)
    assert tasks.send_emails([row.pk]) == 1
    row.refresh_from_db()
    assert status().startswith("Sent ") and row.status == EmailStatus.SENT
    assert len(mail.outbox) == 1
    # A failure is shown, not hidden.
    OutgoingEmail.objects.filter(pk=row.pk).update(status=EmailStatus.FAILED, failure=MAY_HAVE_GONE)
    assert f"Not sent: {MAY_HAVE_GONE}" in status()
    # Nobody else's member page shows it, and another organisation cannot open the page.
    staff_page = client.get(member_url("member", cast.staff)).content.decode()
    assert "invitation-status" not in staff_page
    client.force_login(cast.outsider)
    assert client.get(member_url("member", ivy)).status_code == 404
