"""The public report form (W07, C13): what it accepts, what it refuses and why."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import OnlineReport
from cases.models.choices import Channel
from tests.online_reports import BASE_ANSWERS, step_url, walk

RECEIVED = timezone.datetime(2026, 11, 23, 10, 15, tzinfo=timezone.get_current_timezone())


def _submitted(client, code, **kwargs):
    response = walk(client, code, **kwargs)
    assert response.status_code == 302, response.content[:3000]
    assert response["Location"] == reverse("online_report_sent", args=[code])
    return OnlineReport.objects.get()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "reporter_type", "anonymous"),
    [
        ({"contact": {"contact_choice": "anonymous"}}, "victim", True),
        ({"who": {"reporter_type": "witness"}}, "witness", False),
        ({"who": {"reporter_type": "on_behalf"}}, "on_behalf", False),
    ],
    ids=["anonymous", "witness", "on_behalf"],
)
def test_c13_w07_report_arrives_in_triage_with_channel_website_and_received_time(
    client, organisation, overrides, reporter_type, anonymous
):
    with time_machine.travel(RECEIVED, tick=False):
        report = _submitted(client, organisation.code, overrides=overrides)
    assert report.organisation == organisation
    assert report.status == OnlineReport.Status.NEW
    assert report.channel == Channel.WEBSITE
    assert report.received_at == RECEIVED
    assert report.answers["reporter_type"] == reporter_type
    assert report.anonymous is anonymous
    if anonymous:
        assert "full_name" not in report.answers  # the details steps were skipped
        assert report.acknowledgement_email == ""
    if reporter_type == "on_behalf":
        assert report.answers["victim_name"] == "Vera Victim"


@pytest.mark.django_db
def test_unknown_organisation_code_is_404(client, organisation):
    assert client.get("/report/NOPE/").status_code == 404
    assert client.get(step_url("NOPE", "danger")).status_code == 404


@pytest.mark.django_db
def test_code_is_not_case_sensitive_and_each_step_works_without_javascript(client, organisation):
    response = client.get("/report/wch/")
    assert response.status_code == 200
    assert b"<script" not in response.content
    response = client.get(step_url("WCH", "danger"))
    assert b"<script" not in response.content
    assert b'style="' not in response.content  # strict CSP: no inline styles


@pytest.mark.django_db
def test_in_danger_shows_call_999_before_anything_else(client, organisation):
    client.get(step_url("WCH", "danger"))
    response = client.post(step_url("WCH", "danger"), {"danger": "yes"})
    assert response["Location"] == step_url("WCH", "safety")
    page = client.get(response["Location"])
    assert b"<h1>Call 999 now</h1>" in page.content
    response = client.post(step_url("WCH", "safety"))
    assert response["Location"] == step_url("WCH", "who")


@pytest.mark.django_db
def test_cannot_skip_to_send_without_answering(client, organisation):
    client.get(step_url("WCH", "danger"))
    response = client.get(step_url("WCH", "send"))
    assert response["Location"] == step_url("WCH", "danger")
    assert not OnlineReport.objects.exists()


@pytest.mark.django_db
def test_no_personal_data_in_urls_or_on_the_sent_page(client, organisation):
    response = walk(client, "WCH")
    assert "Rita" not in response["Location"]
    page = client.get(response["Location"])
    report = OnlineReport.objects.get()
    assert report.reference.encode() in page.content
    for secret in (b"Rita", b"07700", b"Derek", b"racist", b"Oak House", b"rita@example"):
        assert secret not in page.content
    # The answers are forgotten: going back shows an empty form.
    back = client.get(step_url("WCH", "your-details"))
    assert b"Rita" not in back.content


@pytest.mark.django_db
def test_oversized_field_is_refused_beside_the_field_with_answer_kept(client, organisation):
    client.get(step_url("WCH", "danger"))
    client.post(step_url("WCH", "danger"), {"danger": "no"})
    client.post(step_url("WCH", "who"), {"reporter_type": "victim"})
    typed = "They keep banging on my door. " * 200  # 6,000 characters, over the 5,000 limit
    response = client.post(step_url("WCH", "what"), {"description": typed})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_description"' in html  # the summary links to the field
    assert 'id="id_description-error"' in html
    assert "at most 5000 characters" in html
    assert "They keep banging on my door." in html  # what was typed is kept
    assert 'aria-invalid="true"' in html
    assert "<title>Error: What happened?" in html


@pytest.mark.django_db
def test_missing_answer_error_links_to_first_radio(client, organisation):
    client.get(step_url("WCH", "danger"))
    response = client.post(step_url("WCH", "danger"), {})
    assert response.status_code == 400
    assert b'href="#id_danger_0"' in response.content
    assert b"Select yes if you are in danger now" in response.content


@pytest.mark.django_db
def test_contact_details_need_one_safe_way_to_reach_you(client, organisation):
    client.get(step_url("WCH", "danger"))
    for slug in ("danger", "who", "what", "when-where", "why", "who-did-it", "contact"):
        response = client.post(step_url("WCH", slug), BASE_ANSWERS[slug])
        assert response.status_code == 302, slug
    assert response["Location"] == step_url("WCH", "your-details")
    response = client.post(response["Location"], {"full_name": "Rita Resident"})
    assert response.status_code == 400
    assert b"Give a safe phone number, e-mail address or address" in response.content
    assert b'value="Rita Resident"' in response.content


@pytest.mark.django_db
def test_spam_trap_honeypot_refuses_and_says_why(client, organisation):
    response = walk(client, "WCH", send={"website": "http://spam.example"})
    assert response.status_code == 400
    assert b"looks like it was sent automatically" in response.content
    assert not OnlineReport.objects.exists()


@pytest.mark.django_db
def test_spam_trap_minimum_fill_time_refuses_and_says_why(client, organisation, settings):
    settings.HAVEN_REPORT_MIN_SECONDS = 60
    response = walk(client, "WCH")
    assert response.status_code == 400
    assert b"looks like it was sent automatically" in response.content
    assert not OnlineReport.objects.exists()
    # A person who really took a minute gets through; their answers were kept.
    later = timezone.now() + timedelta(seconds=61)
    with time_machine.travel(later):
        response = client.post(step_url("WCH", "send"))
    assert response.status_code == 302
    assert OnlineReport.objects.count() == 1


@pytest.mark.django_db
def test_rate_limit_per_address_refuses_and_says_why(client, organisation, settings):
    settings.HAVEN_REPORT_LIMIT_PER_ADDRESS = 2
    for _ in range(2):
        assert walk(client, "WCH").status_code == 302
    response = walk(client, "WCH")
    assert response.status_code == 429
    assert b"several reports from this connection" in response.content
    assert OnlineReport.objects.count() == 2


@pytest.mark.django_db
def test_rate_limit_per_organisation_refuses_and_says_why(
    client, organisation, other_organisation, settings
):
    settings.HAVEN_REPORT_LIMIT_PER_ORGANISATION = 1
    assert walk(client, "WCH").status_code == 302
    # A different address, the same organisation.
    response = walk(Client(REMOTE_ADDR="203.0.113.9"), "WCH")
    assert response.status_code == 400
    assert b"unusually high number of reports" in response.content
    assert OnlineReport.objects.count() == 1
    # Another organisation's form is unaffected.
    assert walk(Client(REMOTE_ADDR="203.0.113.10"), "ELS").status_code == 302


@pytest.mark.django_db
def test_upload_is_checked_by_content(client, organisation):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not really a photo", "image/jpeg")
    response = walk(client, "WCH", send={"upload": fake})
    assert response.status_code == 400
    assert b"must be a JPEG, PNG or PDF" in response.content
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    real = SimpleUploadedFile("my-name-photo.png", png, "image/png")
    response = client.post(step_url("WCH", "send"), {"upload": real})
    assert response.status_code == 302
    report = OnlineReport.objects.get()
    assert report.upload_content_type == "image/png"
    assert "my-name" not in report.upload.name  # the resident's file name is not kept
    assert report.reference in report.upload.name


@pytest.mark.django_db
def test_upload_size_is_limited(client, organisation, settings):
    settings.HAVEN_REPORT_UPLOAD_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024), "image/png")
    response = walk(client, "WCH", send={"upload": big})
    assert response.status_code == 400
    assert b"must be smaller than 1 MB" in response.content
    assert not OnlineReport.objects.exists()
