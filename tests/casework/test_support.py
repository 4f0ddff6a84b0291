from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import Contact, Incident
from deadlines.events import deadlines_safeguarding_risk_recorded
from deadlines.models import Deadline, DeadlineRule
from support.models import Agency, SupportReferral, SupportStatus
from support.services.referrals import (
    agencies_ensure_defaults,
    support_offer,
    support_referral_update,
)
from support.services.safeguarding import safeguarding_referral_make
from tests.casework.helpers import add_incident, add_perpetrator, case_with_people
from tests.deadline_helpers import london

pytestmark = pytest.mark.django_db


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_w12_directory_holds_the_named_agencies_and_support_needs_consent_to_refer(cast):
    added = agencies_ensure_defaults(organisation=cast.organisation)
    assert agencies_ensure_defaults(organisation=cast.organisation) == 0  # idempotent
    names = set(
        Agency.objects.filter(organisation=cast.organisation).values_list("name", flat=True)
    )
    for name in (
        "Victim Support",
        "HPFT Wellbeing Service",
        "The victim's GP",
        "Age Concern",
        "Mencap",
        "MIND",
    ):
        assert name in names
    assert added == len(names)
    case, victim = case_with_people(cast)
    agency = Agency.objects.get(organisation=cast.organisation, name="Victim Support")
    with pytest.raises(ValidationError) as no_consent:
        support_offer(
            case=case,
            by=cast.officer,
            party=victim,
            agency=agency,
            offered_at=timezone.now(),
            consent=False,
            refer=True,
        )
    assert "consent" in no_consent.value.message_dict
    offer = support_offer(
        case=case,
        by=cast.officer,
        party=victim,
        agency=agency,
        offered_at=timezone.now(),
        consent=False,
        refer=False,
    )
    assert offer.status == SupportStatus.OFFERED
    referred = support_referral_update(
        referral=offer, by=cast.officer, status="referred", consent=True, outcome="Sent by e-mail"
    )
    assert referred.referred_at is not None
    accepted = support_referral_update(
        referral=referred,
        by=cast.officer,
        status="accepted",
        consent=True,
        outcome="Caseworker assigned",
    )
    closed = support_referral_update(
        referral=accepted, by=cast.officer, status="closed", consent=True, outcome="Support ended"
    )
    assert closed.history.count() == 4
    with pytest.raises(ValidationError):
        support_referral_update(
            referral=closed, by=cast.officer, status="referred", consent=True, outcome=""
        )


def test_w12_declined_offer_is_recorded_through_the_page(client, cast):
    agencies_ensure_defaults(organisation=cast.organisation)
    case, victim = case_with_people(cast)
    client.force_login(cast.officer)
    agency = Agency.objects.get(organisation=cast.organisation, name="MIND")
    response = client.post(
        reverse("support:offer", args=[case.pk]),
        {
            "party": victim.pk,
            "agency": agency.pk,
            "offered_at": local(timezone.now()),
            "refer": "on",
        },
    )
    assert response.status_code == 200
    assert "needs the person&#x27;s consent" in response.content.decode()
    offer = support_offer(
        case=case,
        by=cast.officer,
        party=victim,
        agency=agency,
        offered_at=timezone.now(),
        consent=False,
        refer=False,
    )
    client.post(
        reverse("support:referral_update", args=[case.pk, offer.pk]),
        {"status": "declined", "outcome": "Has family support"},
    )
    assert SupportReferral.objects.get(pk=offer.pk).status == SupportStatus.DECLINED


def test_w13_welfare_call_logged_on_the_case_meets_the_deadline_and_starts_the_next(client, cast):
    case, victim = case_with_people(cast)
    first = Deadline.objects.get(case=case, rule=DeadlineRule.W13_WELFARE_CALL)
    client.force_login(cast.officer)
    response = client.post(
        reverse("support:welfare_call", args=[case.pk]),
        {
            "party": victim.pk,
            "occurred_at": local(timezone.now() - timedelta(minutes=1)),
            "reached": "on",
            "wellbeing": "Sleeping better",
            "support_in_place": "Victim Support visiting",
            "police_progress": "Suspect interviewed",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get(case=case)
    assert contact.purpose == "welfare_call"
    assert "Police progress: Suspect interviewed" in contact.notes
    first.refresh_from_db()
    assert first.state == "met"
    following = Deadline.objects.get(case=case, rule=DeadlineRule.W13_WELFARE_CALL, state="open")
    # WCH: weekly (W13).
    assert following.due_at - following.started_at == timedelta(days=7)


def test_w14_police_details_per_incident_with_advice_when_not_reported(client, cast):
    case, victim = case_with_people(cast)
    perp = add_perpetrator(case, cast.officer)
    incident = add_incident(case, cast.officer, [victim, perp])
    client.force_login(cast.officer)
    url = reverse("support:police", args=[case.pk, incident.pk])

    def post(**answers):
        version = Incident.objects.get(pk=incident.pk).version
        data = {"police_reported": "no", "police_advice": "", "crime_reference": ""}
        return client.post(url, {**data, "police_officer": "", "version": version, **answers})

    bad = post()
    assert "record the advice given" in bad.content.decode()
    officer_without_report = post(police_advice="101", police_officer="PC Khan")
    assert "An officer in the case means it was reported" in officer_without_report.content.decode()
    post(police_advice="101")
    assert Incident.objects.get(pk=incident.pk).police_advice == "101"
    response = post(police_reported="yes", crime_reference="41/1234/26", police_officer="PC Khan")
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.crime_reference, incident.police_officer) == ("41/1234/26", "PC Khan")
    assert incident.history.count() == 3


def test_w14_police_details_saved_after_someone_elses_change_are_refused_with_input_kept(
    client, cast
):
    case, victim = case_with_people(cast)
    incident = add_incident(case, cast.officer, [victim])
    url = reverse("support:police", args=[case.pk, incident.pk])
    opened_at = Incident.objects.get(pk=incident.pk).version
    answers = {"police_advice": "", "police_officer": "", "version": opened_at}
    client.force_login(cast.manager)  # saves first
    first = {**answers, "police_reported": "yes", "crime_reference": "41/1111/26"}
    assert client.post(url, first).status_code == 302

    client.force_login(cast.officer)  # opened the page before that save
    second = {**answers, "police_reported": "yes", "crime_reference": "41/2222/26"}
    response = client.post(url, second)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this incident" in body
    assert "crime reference: 41/1111/26" in body
    assert 'value="41/2222/26"' in body  # the officer's answer is kept
    assert Incident.objects.get(pk=incident.pk).crime_reference == "41/1111/26"
    # Having seen it, the officer saves again on purpose: it goes through.
    again = {**second, "version": response.context["form"].data["version"]}
    assert client.post(url, again).status_code == 302
    assert Incident.objects.get(pk=incident.pk).crime_reference == "41/2222/26"


@time_machine.travel(london(2026, 11, 20, 16, 59), tick=False)
def test_w15_safeguarding_referral_by_the_end_of_the_same_working_day_meets_the_deadline(cast):
    # Friday 20 Nov 2026: risk recorded at 10:00, due at the close of that working day.
    case, victim = case_with_people(cast, received_at=london(2026, 11, 20, 9, 0))
    deadlines_safeguarding_risk_recorded(case=case, recorded_at=london(2026, 11, 20, 10, 0))
    deadline = Deadline.objects.get(case=case, rule=DeadlineRule.W15_SAFEGUARDING_REFERRAL)
    assert deadline.due_at == london(2026, 11, 20, 17, 0)
    safeguarding_referral_make(
        case=case,
        by=cast.officer,
        party=victim,
        kind="adult",
        local_authority="Hertfordshire County Council",
        referred_at=timezone.now(),
        concern="Lives alone, frightened to go out",
    )
    deadline.refresh_from_db()
    assert deadline.state == "met"
    assert not deadline.met_late


def test_w15_safeguarding_referral_needs_the_authority_and_the_concern(cast):
    case, victim = case_with_people(cast)
    with pytest.raises(ValidationError) as error:
        safeguarding_referral_make(
            case=case,
            by=cast.officer,
            party=victim,
            kind="child",
            local_authority=" ",
            referred_at=timezone.now(),
            concern="",
        )
    assert {"local_authority", "concern"} <= set(error.value.message_dict)
