"""An organisation admin resets a member's lost second factor: audited, with a reason, the
member e-mailed and signed out; nobody resets their own."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from outbox.models import OutgoingEmail
from tests.signin import authenticator_for
from twofactor.models import SecondFactorEvent
from twofactor.services.devices import backup_codes_renew

REASON = "Lost phone; identity checked in person"


def reset(client, user, reason=REASON):
    return client.post(reverse("twofactor:member_reset", args=[user.pk]), {"reason": reason})


@pytest.mark.django_db(transaction=True)
def test_admin_resets_a_members_factor_with_a_reason_recorded_and_the_member_emailed(client, cast):
    authenticator_for(cast.officer)
    backup_codes_renew(user=cast.officer)
    officers_browser = Client()
    officers_browser.force_login(cast.officer)
    assert officers_browser.get(reverse("home")).status_code == 200

    client.force_login(cast.admin)
    page = client.get(reverse("accounts:member", args=[cast.officer.pk])).content.decode()
    assert "Authenticator app set up on" in page and "10 backup codes left" in page
    response = reset(client, cast.officer)

    assert response["Location"] == reverse("accounts:member", args=[cast.officer.pk])
    assert not TOTPDevice.objects.filter(user=cast.officer).exists()
    assert not StaticDevice.objects.filter(user=cast.officer).exists()
    event = SecondFactorEvent.objects.get(user=cast.officer, kind=SecondFactorEvent.Kind.RESET)
    assert (event.by, event.organisation, event.reason) == (cast.admin, cast.organisation, REASON)
    email = OutgoingEmail.objects.get(kind="twofactor.reset")
    assert email.params == {"event": event.pk}  # ids only
    (sent,) = [m for m in mail.outbox if m.to == [cast.officer.email]]
    assert "Adam Admin" in sent.body and "reset your two-factor sign-in" in sent.body
    assert REASON not in sent.body
    page = client.get(reverse("accounts:member", args=[cast.officer.pk])).content.decode()
    assert REASON in page and "Not set up" in page

    # The officer's session, verified before the reset, is signed out.
    response = officers_browser.get(reverse("home"))
    assert response["Location"].startswith(reverse("login"))
    # At the next sign-in they set up a new authenticator.
    response = officers_browser.post(
        reverse("login"), {"username": cast.officer.email, "password": "correct-horse-battery"}
    )
    assert response["Location"] == reverse("twofactor:enrol")


@pytest.mark.django_db
def test_a_reason_is_needed_and_shown_beside_the_field(client, cast):
    authenticator_for(cast.officer)
    client.force_login(cast.admin)
    response = reset(client, cast.officer, reason="")
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    assert TOTPDevice.objects.filter(user=cast.officer).exists()
    assert not SecondFactorEvent.objects.filter(kind=SecondFactorEvent.Kind.RESET).exists()


@pytest.mark.django_db
def test_nobody_resets_their_own_second_factor(client, cast):
    device = authenticator_for(cast.admin)
    client.force_login(cast.admin)
    response = reset(client, cast.admin)
    assert response.status_code == 400
    assert "cannot reset your own" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["officer", "manager", "staff", "panel"])
def test_only_organisation_admins_reset(client, cast, role):
    authenticator_for(cast.manager)
    client.force_login(getattr(cast, role))
    target = cast.officer if role == "manager" else cast.manager
    authenticator_for(target)
    assert reset(client, target).status_code == 403
    assert TOTPDevice.objects.filter(user=target).exists()


@pytest.mark.django_db
def test_another_organisations_admin_gets_a_404(client, cast):
    authenticator_for(cast.officer)
    client.force_login(cast.outsider)
    assert reset(client, cast.officer).status_code == 404
    assert TOTPDevice.objects.filter(user=cast.officer).exists()


@pytest.mark.django_db
def test_reset_needs_post(client, cast):
    client.force_login(cast.admin)
    assert client.get(reverse("twofactor:member_reset", args=[cast.officer.pk])).status_code == 405


@pytest.mark.django_db
def test_a_platform_operator_resets_the_last_admin_without_a_database_edit(cast, capsys):
    authenticator_for(cast.admin)
    with pytest.raises(CommandError):
        call_command("second_factor_reset", cast.admin.email, "--reason", "  ")
    call_command("second_factor_reset", cast.admin.email, "--reason", "Sole admin lost phone")
    assert not TOTPDevice.objects.filter(user=cast.admin).exists()
    event = SecondFactorEvent.objects.get(user=cast.admin)
    assert (event.by, event.reason) == (None, "Sole admin lost phone")
    assert cast.admin.email not in capsys.readouterr().out
