"""Sign-in lockout per account and address together, with a ceiling per account."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from tests.signin import client_sign_in


def login(client, email, password=PASSWORD):
    return client_sign_in(client, email, password)


@pytest.mark.django_db
def test_five_failures_from_one_address_lock_it_but_the_officer_signs_in_from_another(
    cast, settings
):
    attacker = Client(REMOTE_ADDR="198.51.100.66")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(attacker, cast.officer.email, "wrong").status_code == 200
    assert login(attacker, cast.officer.email, "wrong").status_code == 429
    assert login(attacker, cast.officer.email).status_code == 429
    officer = Client(REMOTE_ADDR="203.0.113.20")
    assert login(officer, cast.officer.email).status_code == 302


@pytest.mark.django_db
def test_spoofed_forwarded_for_does_not_escape_the_lockout(cast, settings):
    settings.HAVEN_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    for n in range(settings.AXES_FAILURE_LIMIT):
        attacker = Client(
            REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.66"
        )
        login(attacker, cast.officer.email, "wrong")
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.200, 198.51.100.66")
    assert login(attacker, cast.officer.email).status_code == 429


@pytest.mark.django_db
def test_the_per_account_ceiling_locks_everywhere_after_failures_from_many_addresses(
    cast, settings
):
    settings.HAVEN_LOGIN_ACCOUNT_FAILURE_CEILING = 12
    # Four tries from each of three addresses: under the per-address limit everywhere.
    for n in range(3):
        guesser = Client(REMOTE_ADDR=f"198.51.100.{n}")
        for _ in range(4):
            assert login(guesser, cast.officer.email, "wrong").status_code in (200, 429)
    # Twelve failures in the window: the account is locked from every address, even with the
    # right password.
    assert login(Client(REMOTE_ADDR="203.0.113.20"), cast.officer.email).status_code == 429
    # Other accounts are unaffected.
    assert login(Client(REMOTE_ADDR="203.0.113.20"), cast.manager.email).status_code == 302


@pytest.mark.django_db
def test_below_the_ceiling_failures_from_many_addresses_do_not_lock_the_account(cast, settings):
    settings.HAVEN_LOGIN_ACCOUNT_FAILURE_CEILING = 12
    for n in range(11):
        login(Client(REMOTE_ADDR=f"198.51.100.{n}"), cast.officer.email, "wrong")
    assert login(Client(REMOTE_ADDR="203.0.113.20"), cast.officer.email).status_code == 302
