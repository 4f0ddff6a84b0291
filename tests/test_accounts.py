import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from tests.conftest import PASSWORD
from tests.factories import OrganisationFactory, member
from tests.signin import client_sign_in


def login(client, email, password=PASSWORD):
    return client_sign_in(client, email, password)


@pytest.mark.django_db
def test_login_by_email_address_any_case(client, cast):
    response = login(client, cast.officer.email.upper())
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert "Watford Community Housing" in home.content.decode()


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_message_and_the_email_kept(client, cast):
    response = login(client, cast.officer.email, "wrong-password")
    assert response.status_code == 200
    body = response.content.decode()
    assert "do not match an account" in body
    assert cast.officer.email in body


@pytest.mark.django_db
def test_account_locks_after_repeated_failures(client, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, cast.officer.email, "wrong").status_code == 200
    locked = login(client, cast.officer.email, "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    # Even the right password is refused while locked.
    assert login(client, cast.officer.email).status_code == 429
    # Another account from the same address is not locked.
    assert login(client, cast.manager.email).status_code == 302


@pytest.mark.django_db
def test_session_expires_after_30_minutes_idle(client, cast):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        login(client, cast.officer.email)
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200  # activity renews the session
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=30, seconds=1))
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


@pytest.mark.django_db
def test_logout_needs_post(client, cast):
    client.force_login(cast.officer)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_password_reset_sends_an_email_with_a_working_link(
    client, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": cast.officer.email})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [cast.officer.email]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    response = client.get(path, follow=True)
    assert "Choose a new password" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_does_not_reveal_whether_an_account_exists(client, cast):
    known = client.post(reverse("password_reset"), {"email": cast.officer.email}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nobody@x.test"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain

    def without_tokens(response):
        return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", response.content.decode())

    assert without_tokens(known) == without_tokens(unknown)


@pytest.mark.django_db
def test_password_change(client, cast):
    client.force_login(cast.officer)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-pass-2026",
            "new_password2": "a-much-longer-pass-2026",
        },
    )
    assert response.status_code == 302
    cast.officer.refresh_from_db()
    assert cast.officer.check_password("a-much-longer-pass-2026")


@pytest.mark.django_db
def test_navigation_differs_by_role(client, cast):
    client.force_login(cast.officer)
    officer_nav = client.get(reverse("home")).context["nav_items"]
    client.force_login(cast.manager)
    manager_nav = client.get(reverse("home")).context["nav_items"]
    assert "Members" not in [i["label"] for i in officer_nav]
    assert "Members" in [i["label"] for i in manager_nav]


@pytest.mark.django_db
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
def test_members_page_by_role(client, cast, role, status):
    client.force_login(cast.by_role()[role])
    response = client.get(reverse("accounts:members"))
    assert response.status_code == status
    if role == "outsider":
        # The outsider manages their own organisation and sees none of ours.
        assert cast.officer.email not in response.content.decode()


@pytest.mark.django_db
def test_user_with_roles_in_two_organisations_switches_between_them(client, cast):
    partner = OrganisationFactory(name="Partner Homes", code="PTH")
    user = member(cast.organisation, Role.OFFICER)
    from tests.factories import MembershipFactory

    MembershipFactory(user=user, organisation=partner, role=Role.MANAGER)
    client.force_login(user)
    first = client.get(reverse("home"))
    assert first.context["request"].access.organisation.code in {"WCH", "PTH"}
    client.post(reverse("accounts:switch_organisation"), {"organisation": partner.pk})
    home = client.get(reverse("home"))
    assert home.context["request"].access.organisation == partner
    assert home.context["request"].access.roles == {Role.MANAGER}
    # An organisation the user has no role in cannot be chosen.
    response = client.post(
        reverse("accounts:switch_organisation"),
        {"organisation": cast.other_organisation.pk},
        follow=True,
    )
    assert "You do not hold a role in that organisation." in response.content.decode()
    assert response.context["request"].access.organisation == partner


@pytest.mark.django_db
def test_members_page_query_count_is_fixed(client, cast, django_assert_num_queries):
    for _ in range(20):
        member(cast.organisation, Role.OFFICER)
    client.force_login(cast.manager)
    # session, user, memberships (access), count, page of members, their memberships here
    # and those memberships' areas (prefetch); no session save (signing in wrote it under a
    # minute ago). tests/members/test_views.py pins the same for 3 and 30 members.
    with django_assert_num_queries(7):
        client.get(reverse("accounts:members"))


@pytest.mark.django_db
def test_error_pages_leak_nothing(client, cast):
    client.force_login(cast.officer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "Traceback" not in body and "urlpatterns" not in body
