"""A transfer referral names the household to move: an officer who may no longer open its
case (restricted, and given to someone else) no longer sees the referral either."""

import pytest
from django.urls import reverse

from accounts.models import Role
from cases.models import Case
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_referring_officer_loses_the_referral_when_its_case_is_restricted_away_from_them(
    client, cast, case, referral
):
    client.force_login(cast.officer)
    url = reverse("transfers:referral_detail", args=[referral.pk])
    assert client.get(url).status_code == 200
    other = member(cast.organisation, Role.OFFICER, full_name="Oona Other")
    Case.objects.filter(pk=case.pk).update(restricted=True, assigned_officer=other)
    assert client.get(url).status_code == 404
    progress = reverse("transfers:referral_progress", args=[referral.pk])
    assert client.post(progress).status_code == 404
    listed = client.get(reverse("transfers:referral_list")).context["page"].object_list
    assert referral not in listed
    client.force_login(other)
    assert client.get(url).status_code == 200
