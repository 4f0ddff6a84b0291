import os
import shutil
from dataclasses import dataclass

import pytest

from accounts.models import Organisation, Role, User
from tests.factories import AreaFactory, OrganisationFactory, member

# Playwright drives the browser from a thread the live server's ORM calls must tolerate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct-horse-battery"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("HAVEN_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and os.path.exists(candidate):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Real Chromium from the system; skipped (or failed, with REQUIRE_BROWSER=1) without it."""
    executable = chromium_path()
    if executable is None:
        reason = "No Chromium found (install the 'chromium' package to run browser tests)."
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason + " REQUIRE_BROWSER=1 makes this a failure.")
        pytest.skip(reason)
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@dataclass
class Cast:
    """The fixed cast every permission test uses."""

    organisation: Organisation
    other_organisation: Organisation
    staff: User
    officer: User
    manager: User
    panel: User
    admin: User
    outsider: User

    def by_role(self) -> dict[str, User]:
        return {
            "staff": self.staff,
            "officer": self.officer,
            "manager": self.manager,
            "panel": self.panel,
            "admin": self.admin,
            "outsider": self.outsider,
        }


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Watford Community Housing", code="WCH")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Elsewhere Homes", code="ELS")


@pytest.fixture
def area(organisation):
    return AreaFactory(organisation=organisation, name="Central")


@pytest.fixture
def cast(organisation, other_organisation) -> Cast:
    return Cast(
        organisation=organisation,
        other_organisation=other_organisation,
        staff=member(organisation, Role.STAFF, full_name="Sam Staff"),
        officer=member(organisation, Role.OFFICER, full_name="Olivia Officer"),
        manager=member(organisation, Role.MANAGER, full_name="Maya Manager"),
        panel=member(organisation, Role.PANEL, full_name="Priya Panel"),
        admin=member(organisation, Role.ORG_ADMIN, full_name="Adam Admin"),
        outsider=member(
            other_organisation, Role.OFFICER, Role.MANAGER, Role.ORG_ADMIN, full_name="Otto Other"
        ),
    )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache (locmem in tests): each test starts at zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def fill_date(page, field_id: str, value) -> None:
    """Type a date (or date and time) into a day/month/year entry, as a person does:
    ``field_id`` is the field's id (``id_occurred_at``), ``value`` a date or datetime."""
    parts = [str(value.day), str(value.month), str(value.year)]
    if hasattr(value, "hour"):
        parts.append(f"{value:%H:%M}")
    for index, part in enumerate(parts):
        page.locator(f"#{field_id}_{index}").fill(part)


# --- Two-factor sign-in in tests -----------------------------------------------------------
# Haven asks everyone for a second factor after their password. A test that signs someone in
# with ``client.force_login(user)`` or ``client.login(...)`` means "a person who has signed
# in", so the test client completes sign-in as Haven would: the user gets a real confirmed
# authenticator (tests.signin.authenticator_for) and the session is marked verified with it,
# exactly as the code step does. Tests of the second factor itself use
# ``tests.signin.force_login_password_only``, which leaves the session unverified.


@pytest.fixture(autouse=True)
def _test_client_completes_second_factor(monkeypatch):
    from django.test import Client

    from tests import signin

    original_force_login = Client.force_login
    original_login = Client.login

    def force_login(self, user, backend=None):
        original_force_login(self, user, backend)
        signin.client_session_verify(self, user)

    def login(self, **credentials):
        signed_in = original_login(self, **credentials)
        if signed_in:
            signin.client_session_verify(self, None)
        return signed_in

    monkeypatch.setattr(Client, "force_login", force_login)
    monkeypatch.setattr(Client, "login", login)
    monkeypatch.setattr(signin, "_original_force_login", original_force_login)
