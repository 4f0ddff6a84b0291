"""No page showing case data (no page at all but signing in) for a session that has a
password but not its second factor. The patterns are read from the URL resolver, so a new
page is covered without being listed here."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, UUIDConverter

from accounts.models import Role
from tests.factories import member
from tests.signin import authenticator_for, force_login_password_only
from twofactor.middleware import OPEN_URL_NAMES

# Reached before the second factor, and why: none shows case data.
EXPECTED_OPEN = {
    "login": "the password step",
    "logout": "signing out",
    "password_reset": "asking for a reset link",
    "password_reset_done": "the reset link was sent",
    "password_reset_confirm": "the one-time link that sets a password (invitations too)",
    "password_reset_complete": "the password was set",
    "healthz": "liveness check, nothing personal",
    "readyz": "readiness check, nothing personal",
    "feedback": "a letter recipient's feedback form, keyed by its own token",
    "online_report_start": "the public report form",
    "online_report_privacy": "the public report form's privacy notice",
    "online_report_sent": "the public report form's thank-you page",
    "online_report_leave": "the public report form's quick exit",
    "online_report_step": "the public report form's later steps",
    "twofactor:verify": "the code step",
    "twofactor:enrol": "setting up an authenticator",
}


def sample(converter) -> object:
    if isinstance(converter, IntConverter):
        return 1
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    if isinstance(converter, SlugConverter | PathConverter):
        return "x"
    return "x"


def every_url(patterns=None, namespace="", prefix="/"):
    """(view name, a URL for it) for every pattern in the project; admin's (regular
    expressions) are tried by name below."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from every_url(entry.url_patterns, inner, prefix + str(entry.pattern))
        else:
            assert isinstance(entry, URLPattern)
            if not entry.name:  # an old address that redirects
                assert not entry.pattern.converters, entry
                yield f"unnamed {prefix}{entry.pattern}", f"{prefix}{entry.pattern}"
                continue
            name = f"{namespace}{entry.name}"
            kwargs = {key: sample(c) for key, c in entry.pattern.converters.items()}
            yield name, reverse(name, kwargs=kwargs)


ADMIN_URLS = [
    "admin:index",
    "admin:accounts_user_changelist",
    "admin:otp_totp_totpdevice_changelist",
]


def test_the_open_pages_are_exactly_the_sign_in_and_public_ones():
    assert set(EXPECTED_OPEN) == OPEN_URL_NAMES


def test_the_crawl_sees_every_page():
    names = {name for name, _ in every_url()}
    assert len(names) > 100
    assert {"cases:detail", "cases:person", "dashboards:dashboard", "deadlines:my_work"} <= names


@pytest.fixture
def everyone(organisation):
    """One person holding every role, so no page refuses them for their role first."""
    return member(
        organisation,
        Role.STAFF,
        Role.OFFICER,
        Role.MANAGER,
        Role.PANEL,
        Role.ORG_ADMIN,
        full_name="Alex All-Roles",
        is_staff=True,
    )


def _refused(client, step: str) -> list[str]:
    served = []
    urls = list(every_url()) + [(name, reverse(name)) for name in ADMIN_URLS]
    for name, url in urls:
        if name in OPEN_URL_NAMES:
            continue
        for method in (client.get, client.post):
            response = method(url)
            if response.status_code != 302 or response["Location"] != reverse(step):
                served.append(f"{method.__name__.upper()} {url} ({name}): {response.status_code}")
    return served


@pytest.mark.django_db
def test_password_without_a_device_reaches_only_enrolment_on_every_page(client, everyone):
    force_login_password_only(client, everyone)
    assert _refused(client, "twofactor:enrol") == []


@pytest.mark.django_db
def test_password_without_the_code_reaches_only_the_code_step_on_every_page(client, everyone):
    authenticator_for(everyone)
    force_login_password_only(client, everyone)
    assert _refused(client, "twofactor:verify") == []


@pytest.mark.django_db
def test_a_partial_update_asks_the_browser_to_load_the_code_page(client, everyone):
    authenticator_for(everyone)
    force_login_password_only(client, everyone)
    response = client.get(reverse("deadlines:my_work"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("twofactor:verify")
