"""Every transfers view tried by the fixed cast; the panel summary; the agenda's queries."""

import subprocess

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.permissions import access_for
from cases.models import CaseAccess
from transfers.choices import ReferralStatus, Vote
from transfers.models import TransferReferral
from transfers.services.decisions import panel_decision_record, panel_vote_cast
from transfers.services.minutes import meeting_minutes_pdf, refuse_external

from .conftest import open_case, panellist, refer

pytestmark = pytest.mark.django_db

ROLES = ("staff", "officer", "manager", "panel", "admin", "outsider")


def statuses(client, cast, method, url, data=None):
    seen = {}
    for role in ROLES:
        client.force_login(cast.by_role()[role])
        response = getattr(client, method)(url, data or {})
        seen[role] = response.status_code
        client.logout()
    return seen


def test_permission_matrix_referral_views(cast, case, referral, client):
    expected_list = {
        "staff": 403, "officer": 200, "manager": 200, "panel": 403, "admin": 403, "outsider": 200
    }  # fmt: skip
    assert statuses(client, cast, "get", reverse("transfers:referral_list")) == expected_list
    objects = {
        "staff": 403, "officer": 200, "manager": 200, "panel": 403, "admin": 403, "outsider": 404
    }  # fmt: skip
    detail = reverse("transfers:referral_detail", args=[referral.pk])
    assert statuses(client, cast, "get", detail) == objects
    create = reverse("transfers:referral_create", args=[case.pk])
    assert statuses(client, cast, "get", create) == objects
    progress = reverse("transfers:referral_progress", args=[referral.pk])
    # Officer and manager may post; the referral is not approved yet, so they are sent back.
    assert statuses(client, cast, "post", progress) == {**objects, "officer": 302, "manager": 302}
    assert statuses(client, cast, "get", progress)["officer"] == 405


def test_officer_sees_only_their_own_referrals_manager_sees_all(cast, referral, client):
    from tests.factories import member

    other_officer = member(cast.organisation, "officer")
    client.force_login(other_officer)
    assert client.get(reverse("transfers:referral_detail", args=[referral.pk])).status_code == 404
    assert list(client.get(reverse("transfers:referral_list")).context["page"]) == []
    client.force_login(cast.manager)
    assert list(client.get(reverse("transfers:referral_list")).context["page"]) == [referral]


def test_permission_matrix_panel_views(cast, referral, client):
    meeting = referral.meeting
    home = reverse("transfers:panel_home")
    assert statuses(client, cast, "get", home) == {
        "staff": 403, "officer": 403, "manager": 200, "panel": 200, "admin": 403, "outsider": 200
    }  # fmt: skip
    panel_only = {
        "staff": 403, "officer": 403, "manager": 403, "panel": 200, "admin": 403, "outsider": 403
    }  # fmt: skip
    agenda = reverse("transfers:meeting_agenda", args=[meeting.pk])
    assert statuses(client, cast, "get", agenda) == panel_only
    request_page = reverse("transfers:panel_request", args=[referral.pk])
    assert statuses(client, cast, "get", request_page) == panel_only
    decide = reverse("transfers:panel_decide", args=[referral.pk])
    assert statuses(client, cast, "post", decide) == {**panel_only, "panel": 302}
    close = reverse("transfers:meeting_close", args=[meeting.pk])
    assert statuses(client, cast, "post", close) == {**panel_only, "panel": 302}
    minutes = reverse("transfers:meeting_minutes", args=[meeting.pk])
    # No decisions and not closed yet: nothing to download even for those allowed.
    assert statuses(client, cast, "get", minutes) == {
        "staff": 403, "officer": 403, "manager": 404, "panel": 404, "admin": 403, "outsider": 404
    }  # fmt: skip
    # A panel member of another organisation sees none of this organisation's panel.
    foreign = panellist(cast.other_organisation, manager=True)
    client.force_login(foreign)
    for url in (agenda, request_page, minutes):
        assert client.get(url).status_code == 404
    assert client.post(decide).status_code == 404


def test_w05_panel_summary_shows_no_notes_contacts_or_third_parties(cast, case, referral, client):
    client.force_login(cast.panel)
    response = client.get(reverse("transfers:panel_request", args=[referral.pk]))
    page = response.content.decode()
    assert "Vera Victim" in page and "Vic Victim Junior" in page
    assert "Police advice" in page and "Photo of the damaged door" in page
    assert "High" in page and "Threats of violence" in page
    for secret in (
        "Confidential note",  # case notes
        "Contact note",  # contact records
        "Wendy Witness",  # witness's name ...
        "07700 900999",  # ... phone
        "9 Witness Way",  # ... and address
        "Percy",  # the alleged perpetrator, also named in the incident's description
        "07700 900001",  # even the victim's own contact details
    ):
        assert secret not in page, secret
    # The panel's reading of the case is logged like any other view of it.
    assert CaseAccess.objects.filter(case=case, user=cast.panel).count() == 1


def test_agenda_query_count_is_pinned_for_few_and_many_requests(cast, client):
    client.force_login(cast.panel)
    first = refer(open_case(cast.organisation, cast.officer), cast.officer)
    meeting = first.meeting
    url = reverse("transfers:meeting_agenda", args=[meeting.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
        return len(statements), len(response.context["items"])

    # session, user, memberships (request.access), meeting, paginator count, referrals with
    # their cases, household prefetch, reasons prefetch, votes (with members), decisions. No
    # session save: it was written under a minute ago.
    client.get(url)  # the first request after sign-in also settles the session
    few = count()
    for n in range(4):
        case = open_case(cast.organisation, cast.officer, victim_name=f"Victim {n}")
        referral = refer(case, cast.officer)
        panel_vote_cast(referral=referral, member=cast.panel, vote=Vote.APPROVE, comment="ok")
    many = count()
    assert few == (10, 1)
    assert many == (10, 5)


def test_minutes_pdf_lists_decisions_votes_and_undecided_requests(cast, case, referral, client):
    members = [
        panellist(cast.organisation, manager=True, full_name="Mona Manager"),
        panellist(cast.organisation, manager=True, full_name="Max Manager"),
        cast.panel,
    ]
    for person, choice in zip(members, (Vote.APPROVE, Vote.APPROVE, Vote.DEFER), strict=True):
        panel_vote_cast(referral=referral, member=person, vote=choice, comment=f"{choice} view")
    panel_decision_record(referral=referral, by=cast.panel)
    other = refer(open_case(cast.organisation, cast.officer, victim_name="Una"), cast.officer)
    assert other.meeting_id == referral.meeting_id

    client.force_login(cast.manager)
    response = client.get(reverse("transfers:meeting_minutes", args=[referral.meeting_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "Housing Panel minutes" in text
    assert f"Case {case.reference}: Approve" in text
    assert "Mona Manager (manager)" in text and "defer view" in text
    assert f"Case {other.case.reference}: no quorum" in text
    assert "Vera Victim" not in text  # minutes carry references, not the household's names


def test_minutes_refuse_external_resources(referral):
    with pytest.raises(ValueError, match="External resources"):
        refuse_external("https://example.com/logo.png")
    # The template renders without fetching anything (a fetch would raise).
    assert meeting_minutes_pdf(meeting=referral.meeting).startswith(b"%PDF")


def test_closing_a_meeting_rolls_undecided_requests_to_the_next_one(cast, referral, client):
    import time_machine

    meeting = referral.meeting
    with time_machine.travel(meeting.meets_at, tick=False):
        client.force_login(cast.panel)
        response = client.post(reverse("transfers:meeting_close", args=[meeting.pk]))
    assert response.status_code == 302
    referral.refresh_from_db()
    meeting.refresh_from_db()
    assert meeting.is_closed
    assert referral.meeting.meets_at > meeting.meets_at
    assert referral.status == ReferralStatus.AWAITING_PANEL
    assert "rolled to the next" in referral.history.first().history_change_reason


def test_case_panel_include_shows_referrals_status_and_decision(cast, case, referral):
    TransferReferral.objects.filter(pk=referral.pk).update(status=ReferralStatus.OFFER_MADE)
    request = RequestFactory().get("/")
    request.access = access_for(cast.officer, cast.organisation.pk)
    html = Template("{% load transfers %}{% case_transfer_panel case %}").render(
        Context({"request": request, "case": case})
    )
    assert "Managed transfer" in html and "Offer made" in html
    assert reverse("transfers:referral_detail", args=[referral.pk]) in html


def test_access_log_referral_and_panel_summary_are_logged_against_the_case(
    cast, case, referral, client
):
    client.force_login(cast.officer)
    client.get(reverse("transfers:referral_detail", args=[referral.pk]))
    client.force_login(cast.panel)
    client.get(reverse("transfers:panel_request", args=[referral.pk]))
    client.post(reverse("transfers:panel_request", args=[referral.pk]), {"vote": "", "comment": ""})
    rows = list(
        CaseAccess.objects.order_by("pk").values_list("case_id", "user_id", "action", "object_id")
    )
    assert rows == [
        (case.pk, cast.officer.pk, CaseAccess.Action.VIEWED_REFERRAL, referral.pk),
        (case.pk, cast.panel.pk, CaseAccess.Action.VIEWED_PANEL_REQUEST, referral.pk),
        (case.pk, cast.panel.pk, CaseAccess.Action.SUBMITTED, referral.pk),
    ]
