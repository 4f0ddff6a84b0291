"""Signing in with a second factor: enrolment, the code step, backup codes, replay,
remembered devices, lockout and the organisation's switch."""

import re
import time
from datetime import UTC, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from policy.models import PolicySettings
from tests.conftest import PASSWORD
from tests.factories import member
from tests.signin import authenticator_for, totp_code
from twofactor.models import SecondFactorEvent
from twofactor.services.devices import backup_codes_left
from twofactor.services.sessions import ENROL_KEY


def moment():
    """Five seconds into the current 30-second window: now, so the session's clocks (idle,
    lifetime) still hold once the test leaves the frozen time."""
    return timezone.datetime.fromtimestamp((int(time.time()) // 30) * 30 + 5, tz=UTC)


def password(client, user, pwd=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": user.email, "password": pwd, **extra})


def code(client, value, **extra):
    return client.post(reverse("twofactor:verify"), {"code": value, **extra})


def signed_in(client) -> bool:
    response = client.get(reverse("home"))
    return response.status_code == 200


def policy(organisation, **values):
    PolicySettings.objects.update_or_create(organisation=organisation, defaults=values)


# --- Enrolment ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_member_without_an_authenticator_is_taken_to_set_one_up_after_the_password(client, cast):
    response = password(client, cast.officer)
    assert response["Location"] == reverse("twofactor:enrol")
    assert not signed_in(client)
    page = client.get(reverse("twofactor:enrol"))
    body = page.content.decode()
    assert "<svg" in body  # the QR code, drawn without JavaScript
    secret = re.search(r'data-testid="secret">([A-Z2-7 ]+)<', body).group(1).replace(" ", "")
    assert len(secret) == 32
    assert secret not in page.wsgi_request.get_full_path()


@pytest.mark.django_db
def test_enrolment_needs_a_right_code_before_it_is_active(client, cast):
    with time_machine.travel(moment(), tick=False):
        password(client, cast.officer)
        client.get(reverse("twofactor:enrol"))
        key = client.session[ENROL_KEY]
        wrong = client.post(reverse("twofactor:enrol"), {"code": "000000"})
        assert wrong.status_code == 200
        assert "That code does not match" in wrong.content.decode()
        assert 'value="000000"' in wrong.content.decode()  # input kept
        assert not TOTPDevice.objects.filter(user=cast.officer).exists()
        assert not signed_in(client)

        right = client.post(reverse("twofactor:enrol"), {"code": totp_code(key)})
    assert right["Location"] == reverse("twofactor:backup_codes")
    device = TOTPDevice.objects.get(user=cast.officer)
    assert device.confirmed and device.key == key
    assert SecondFactorEvent.objects.filter(
        user=cast.officer, kind=SecondFactorEvent.Kind.ENROLLED
    ).exists()
    assert signed_in(client)


@pytest.mark.django_db
def test_ten_backup_codes_are_shown_once(client, cast):
    password(client, cast.officer)
    client.get(reverse("twofactor:enrol"))
    client.post(reverse("twofactor:enrol"), {"code": totp_code(client.session[ENROL_KEY])})
    first = client.get(reverse("twofactor:backup_codes"))
    codes = re.findall(r'<li class="col">([a-z2-7]{8})</li>', first.content.decode())
    assert len(set(codes)) == 10
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=cast.officer).values_list("token", flat=True)
    )
    again = client.get(reverse("twofactor:backup_codes"))
    assert again.status_code == 302
    assert again["Location"] == reverse("twofactor:overview")


@pytest.mark.django_db
def test_a_password_alone_cannot_replace_an_existing_authenticator(client, cast):
    authenticator_for(cast.officer)
    password(client, cast.officer)
    response = client.get(reverse("twofactor:enrol"))
    assert response["Location"] == reverse("twofactor:verify")
    response = client.post(reverse("twofactor:enrol"), {"code": "123456"})
    assert response["Location"] == reverse("twofactor:verify")
    assert TOTPDevice.objects.filter(user=cast.officer).count() == 1


# --- The code step --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_code_from_the_authenticator_signs_in_and_goes_where_they_were_going(client, cast):
    device = authenticator_for(cast.officer)
    with time_machine.travel(moment(), tick=False):
        response = password(client, cast.officer, next="/cases/")
        assert response["Location"] == reverse("twofactor:verify")
        response = code(client, totp_code(device.key))
        assert response["Location"] == "/cases/"
        assert signed_in(client)


@pytest.mark.django_db
def test_a_wrong_code_is_refused_beside_the_field_with_the_input_kept(client, cast):
    authenticator_for(cast.officer)
    password(client, cast.officer)
    response = code(client, "999999")
    assert response.status_code == 200
    body = response.content.decode()
    assert "That code is not right" in body
    assert 'value="999999"' in body
    assert not signed_in(client)


@pytest.mark.django_db
def test_a_code_is_not_accepted_twice_in_its_window(client, cast):
    device = authenticator_for(cast.officer)
    with time_machine.travel(moment(), tick=False) as clock:
        password(client, cast.officer)
        assert code(client, totp_code(device.key)).status_code == 302
        client.post(reverse("logout"))
        clock.shift(timedelta(seconds=10))  # the same 30-second window
        password(client, cast.officer)
        replay = code(client, totp_code(device.key))
        assert replay.status_code == 200
        assert "has been used already" in replay.content.decode()
        assert not signed_in(client)
        clock.shift(timedelta(seconds=30))  # the next window's code works
        assert code(client, totp_code(device.key)).status_code == 302
    assert signed_in(client)


@pytest.mark.django_db
def test_a_backup_code_signs_in_once(client, cast):
    authenticator_for(cast.officer)
    from twofactor.services.devices import backup_codes_renew

    codes = backup_codes_renew(user=cast.officer)
    clock = time_machine.travel(moment(), tick=False)
    frozen = clock.start()
    password(client, cast.officer)
    response = code(client, codes[0].upper())
    assert response.status_code == 302
    assert signed_in(client)
    assert backup_codes_left(user=cast.officer) == 9
    assert SecondFactorEvent.objects.filter(
        user=cast.officer, kind=SecondFactorEvent.Kind.BACKUP_CODE_USED
    ).exists()
    client.post(reverse("logout"))

    password(client, cast.officer)
    again = code(client, codes[0])
    assert again.status_code == 200
    frozen.shift(timedelta(seconds=2))  # django-otp's wait after a wrong code
    assert code(client, codes[1]).status_code == 302
    clock.stop()


@pytest.mark.django_db
def test_backup_code_holder_sets_up_a_new_authenticator_themselves(client, cast):
    old = authenticator_for(cast.officer)
    from twofactor.services.devices import backup_codes_renew

    codes = backup_codes_renew(user=cast.officer)
    password(client, cast.officer)
    code(client, codes[0])
    client.get(reverse("twofactor:enrol"))
    key = client.session[ENROL_KEY]
    response = client.post(reverse("twofactor:enrol"), {"code": totp_code(key)})
    assert response["Location"] == reverse("twofactor:backup_codes")
    assert list(TOTPDevice.objects.filter(user=cast.officer).values_list("key", flat=True)) == [key]
    assert key != old.key
    assert codes[1] not in StaticToken.objects.values_list("token", flat=True)


# --- Lockout --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_wrong_codes_lock_the_account_as_wrong_passwords_do(client, cast, settings):
    authenticator_for(cast.officer)
    password(client, cast.officer)
    with time_machine.travel(moment(), tick=True) as clock:
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            clock.shift(timedelta(minutes=1))  # past django-otp's own waits between tries
            assert code(client, "000000").status_code == 200
        clock.shift(timedelta(minutes=1))
        locked = code(client, "000000")
        assert locked.status_code == 429
        assert "Too many failed sign-in attempts" in locked.content.decode()
        assert SESSION_KEY not in client.session
        # The right password is refused now too.
        assert password(client, cast.officer).status_code == 429


@pytest.mark.django_db
def test_wrong_passwords_and_wrong_codes_count_together_and_a_password_does_not_clear_them(
    client, cast, settings
):
    authenticator_for(cast.officer)
    with time_machine.travel(moment(), tick=True) as clock:
        for _ in range(2):
            assert password(client, cast.officer, "wrong-password").status_code == 200
        for _ in range(settings.AXES_FAILURE_LIMIT - 3):
            clock.shift(timedelta(minutes=1))
            password(client, cast.officer)  # the right password again: failures stay
            assert code(client, "000000").status_code == 200
        clock.shift(timedelta(minutes=1))
        password(client, cast.officer)
        assert code(client, "000000").status_code == 429


@pytest.mark.django_db
def test_a_complete_sign_in_clears_the_failures(client, cast, settings):
    device = authenticator_for(cast.officer)
    with time_machine.travel(moment(), tick=False) as clock:
        password(client, cast.officer)
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            clock.shift(timedelta(minutes=1))
            code(client, "000000")
        clock.shift(timedelta(minutes=1))
        assert code(client, totp_code(device.key)).status_code == 302
        client.post(reverse("logout"))
        clock.shift(timedelta(minutes=1))
        password(client, cast.officer)
        assert code(client, "000000").status_code == 200  # counting from zero again


# --- Remember this device -------------------------------------------------------------------


@pytest.mark.django_db
def test_remember_this_device_is_off_by_default(client, cast):
    device = authenticator_for(cast.officer)
    password(client, cast.officer)
    page = client.get(reverse("twofactor:verify"))
    assert "Remember this device" not in page.content.decode()
    code(client, totp_code(device.key), remember="on")
    assert settings.HAVEN_REMEMBER_DEVICE_COOKIE not in client.cookies


@pytest.mark.django_db
def test_a_remembered_device_skips_the_code_until_its_days_are_up(client, cast):
    policy(cast.organisation, remember_device_days=30)
    device = authenticator_for(cast.officer)
    with time_machine.travel(moment(), tick=False) as clock:
        password(client, cast.officer)
        assert (
            "Remember this device for 30 days"
            in client.get(reverse("twofactor:verify")).content.decode()
        )
        code(client, totp_code(device.key), remember="on")
        cookie = client.cookies[settings.HAVEN_REMEMBER_DEVICE_COOKIE]
        assert str(cast.officer.email) not in cookie.value
        client.post(reverse("logout"))

        clock.shift(timedelta(days=30) - timedelta(seconds=1))
        assert password(client, cast.officer)["Location"] == reverse("home")
        assert signed_in(client)
        client.post(reverse("logout"))

        clock.shift(timedelta(seconds=1))
        assert password(client, cast.officer)["Location"] == reverse("twofactor:verify")
        assert not signed_in(client)


@pytest.mark.django_db
def test_a_remembered_device_is_bound_to_its_user(client, cast):
    policy(cast.organisation, remember_device_days=30)
    device = authenticator_for(cast.officer)
    authenticator_for(cast.manager)
    password(client, cast.officer)
    code(client, totp_code(device.key), remember="on")
    client.post(reverse("logout"))
    assert password(client, cast.manager)["Location"] == reverse("twofactor:verify")


@pytest.mark.django_db
def test_changing_the_password_forgets_every_remembered_device(client, cast):
    policy(cast.organisation, remember_device_days=30)
    device = authenticator_for(cast.officer)
    password(client, cast.officer)
    code(client, totp_code(device.key), remember="on")
    changed = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-password-2026",
            "new_password2": "a-new-long-password-2026",
        },
    )
    assert changed.status_code == 302
    assert signed_in(client)  # this session carries on
    client.post(reverse("logout"))
    response = password(client, cast.officer, "a-new-long-password-2026")
    assert response["Location"] == reverse("twofactor:verify")


@pytest.mark.django_db
def test_a_shorter_setting_made_later_is_honoured(client, cast):
    policy(cast.organisation, remember_device_days=30)
    device = authenticator_for(cast.officer)
    with time_machine.travel(moment(), tick=False) as clock:
        password(client, cast.officer)
        code(client, totp_code(device.key), remember="on")
        client.post(reverse("logout"))
        policy(cast.organisation, remember_device_days=7)
        clock.shift(timedelta(days=7))
        assert password(client, cast.officer)["Location"] == reverse("twofactor:verify")


# --- Who must give a second factor ----------------------------------------------------------


@pytest.mark.django_db
def test_an_organisation_that_turns_it_off_signs_in_with_the_password(client, cast):
    policy(cast.organisation, second_factor_required=False)
    assert password(client, cast.officer)["Location"] == reverse("home")
    assert signed_in(client)


@pytest.mark.django_db
def test_the_strictest_organisation_decides(client, cast, other_organisation):
    policy(cast.organisation, second_factor_required=False)
    shared = member(cast.organisation, Role.OFFICER)
    from accounts.models import Membership

    Membership.objects.create(user=shared, organisation=other_organisation, role=Role.STAFF)
    assert password(client, shared)["Location"] == reverse("twofactor:enrol")


@pytest.mark.django_db
def test_platform_staff_always_give_a_second_factor(client, cast):
    policy(cast.organisation, second_factor_required=False)
    from tests.factories import UserFactory

    operator = UserFactory(is_staff=True)
    assert password(client, operator)["Location"] == reverse("twofactor:enrol")
    assert client.get(reverse("admin:index"))["Location"] == reverse("twofactor:enrol")


@pytest.mark.django_db
def test_organisation_admin_sets_the_switch_and_the_days_on_policy_settings(client, cast):
    client.force_login(cast.admin)
    page = client.get(reverse("policy:settings")).content.decode()
    assert "Two-factor sign-in required" in page
    response = client.post(
        reverse("policy:settings"),
        {
            "preset": "wch_2022",
            "tenancy_action_requires_conviction": "on",
            "reminder_lead_hours": 24,
            "bank_holiday_region": "ENG",
            "working_day_starts": "09:00",
            "working_day_ends": "17:00",
            "remember_device_days": 14,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = PolicySettings.objects.get(organisation=cast.organisation)
    assert (saved.second_factor_required, saved.remember_device_days) == (False, 14)
    too_long = client.post(
        reverse("policy:settings"),
        {
            "preset": "wch_2022",
            "reminder_lead_hours": 24,
            "bank_holiday_region": "ENG",
            "working_day_starts": "09:00",
            "working_day_ends": "17:00",
            "second_factor_required": "on",
            "remember_device_days": 400,
        },
    )
    assert too_long.status_code == 200
    assert "less than or equal to 90" in too_long.content.decode()
    assert PolicySettings.objects.get(organisation=cast.organisation).remember_device_days == 14
