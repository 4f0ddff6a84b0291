import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_PASSWORD
from twofactor.demo import DEMO_KEY, demo_code


@pytest.mark.django_db
def test_seed_demo_prints_the_demo_secret_and_a_demo_user_signs_in_with_its_code(
    settings, capsys, client
):
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "HAVE NDEM OHAV" in out
    assert TOTPDevice.objects.get(user__email="chair@wch.example").key == DEMO_KEY
    response = client.post(
        reverse("login"), {"username": "officer@wch.example", "password": DEMO_PASSWORD}
    )
    assert response["Location"] == reverse("twofactor:verify")
    assert client.post(reverse("twofactor:verify"), {"code": demo_code()}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_seed_demo_with_debug_off_prints_no_secret_and_sets_none(settings, capsys):
    settings.DEBUG = False
    call_command("seed_demo", "--force")
    out = capsys.readouterr().out
    assert "HAVE" not in out
    assert not TOTPDevice.objects.exists()
