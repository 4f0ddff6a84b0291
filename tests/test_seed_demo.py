import pytest
from django.core.management import CommandError, call_command

from accounts.models import Area, Membership, Organisation, User


@pytest.mark.django_db
def test_seed_demo_is_idempotent(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (
        Organisation.objects.count(),
        Area.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    password_hash = User.objects.get(email="officer@wch.example").password
    call_command("seed_demo")
    assert counts == (
        Organisation.objects.count(),
        Area.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    assert User.objects.get(email="officer@wch.example").password == password_hash
    assert set(Organisation.objects.values_list("code", flat=True)) == {"WCH", "CAH"}
    out = capsys.readouterr().out
    assert "haven-demo-2026" in out and "officer@wch.example" in out


@pytest.mark.django_db
def test_seed_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses"):
        call_command("seed_demo")
    assert not Organisation.objects.exists()
    call_command("seed_demo", "--force")
    assert Organisation.objects.count() == 2


@pytest.mark.django_db
def test_seed_demo_gives_each_organisation_its_policy_preset(settings):
    from policy.models import PolicySettings
    from policy.selectors import rule_in_force
    from tests.deadline_helpers import policy_change

    settings.DEBUG = True
    call_command("seed_demo")
    wch = PolicySettings.objects.get(organisation__code="WCH")
    cah = PolicySettings.objects.get(organisation__code="CAH")
    assert (wch.preset, wch.tenancy_action_requires_conviction) == ("wch_2022", True)
    assert (cah.preset, cah.tenancy_action_requires_conviction) == ("circle_anglia_2009", False)

    def welfare_days(organisation) -> int:
        return rule_in_force(organisation.pk, "w13_welfare_call").timescales.get().amount

    assert (welfare_days(wch.organisation), welfare_days(cah.organisation)) == (7, 15)
    # An admin's change to the policy survives a second run.
    policy_change(
        wch.organisation, w13_welfare_call={"timescales": [{"unit": "days", "amount": 5}]}
    )
    call_command("seed_demo")
    assert welfare_days(wch.organisation) == 5


@pytest.mark.django_db
def test_c13_seed_demo_leaves_online_reports_waiting_in_each_triage_queue(settings):
    from cases.models import OnlineReport

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    waiting = OnlineReport.objects.filter(status=OnlineReport.Status.NEW)
    assert sorted(waiting.values_list("organisation__code", flat=True)) == [
        "CAH",
        "CAH",
        "WCH",
        "WCH",
    ]
    assert set(waiting.values_list("channel", flat=True)) == {"website"}
