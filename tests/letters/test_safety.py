"""Safe by construction: C11 in the merge values, escaping, a restricted template syntax,
and WeasyPrint fetching nothing but Haven's own assets."""

import socket
import urllib.request

import pytest

from cases.models.choices import PartyRole
from letters.merge import WITHHELD, merge_values
from letters.models import Delivery, LetterKind
from letters.rendering import html_to_pdf, letter_html, render_text, template_errors
from letters.services.issue import letter_issue
from letters.services.templates import letter_template_save, letter_templates_ensure_defaults

from .conftest import CANARY_ADDRESS, CANARY_NAME, letter_pdf_text, pdf_text

pytestmark = pytest.mark.django_db

EVENT_VALUES = {
    # Officers' free text that (carelessly) names the victim: C11 strikes it out.
    "concern_reasons": f"{CANARY_NAME} said the damage was done at {CANARY_ADDRESS}.",
    "closure_rationale": f"Agreed with {CANARY_NAME.lower()}.",
    "plan_summary": f"Visit {CANARY_NAME} weekly.",
    "panel_decision": f"Move {CANARY_NAME} away from {CANARY_ADDRESS}.",
    "evidence_due_date": "Friday 1 May 2026",
    "closure_reason": "Resolved",
    "next_contact_date": "Friday 1 May 2026",
}


@pytest.fixture
def template_showing_everything(cast):
    """Every template's body extended with every identity merge field."""
    letter_templates_ensure_defaults(organisation=cast.organisation)
    fields = " ".join(
        f"{{{{ {f} }}}}"
        for f in ("complainant_name", "victim_name", "victim_address", "recipient_name")
    )
    for kind in LetterKind:
        letter_template_save(
            organisation=cast.organisation,
            kind=kind,
            by=cast.admin,
            subject="About {{ victim_name }}",
            body=f"Dear {{{{ recipient_name }}}},\n\n{fields}\n\n{{{{ reason }}}}",
            change_note="Canary",
        )


def test_c11_canary_no_letter_to_a_perpetrator_carries_the_victims_name_or_address(
    letter_case, cast, django_capture_on_commit_callbacks, template_showing_everything
):
    """Every template, every recipient role; the victim has recorded no consent."""
    case = letter_case.case
    recipients = {
        PartyRole.VICTIM: letter_case.victim,
        PartyRole.PERPETRATOR: letter_case.perpetrator,
        PartyRole.WITNESS: letter_case.witness,
    }
    letters = []
    with django_capture_on_commit_callbacks(execute=True):
        for kind in LetterKind:
            for role, party in recipients.items():
                extra = dict(EVENT_VALUES)
                letters.append(
                    (
                        role,
                        letter_issue(
                            case=case,
                            kind=kind,
                            recipient=party,
                            by=cast.officer,
                            reason=f"Letter about {CANARY_NAME}",
                            extra=extra,
                            delivery=Delivery.POST,
                        ),
                    )
                )
    assert len(letters) == len(LetterKind) * 3
    for role, letter in letters:
        text = letter_pdf_text(letter)
        stored = str(letter.merge_values)
        if role == PartyRole.VICTIM:
            assert CANARY_NAME in text  # their own letter names them
            continue
        for canary in (CANARY_NAME, CANARY_ADDRESS):
            assert canary.lower() not in text.lower(), (letter.kind, role)
            assert canary.lower() not in stored.lower(), (letter.kind, role)
        assert WITHHELD in text


def test_c11_consent_recorded_lets_the_name_through(letter_case, cast):
    from django.utils import timezone

    victim = letter_case.victim.person
    victim.disclosure_consent = True
    victim.disclosure_consent_recorded_at = timezone.now()
    victim.save()
    parties = list(letter_case.case.parties.select_related("person"))
    values = merge_values(case=letter_case.case, recipient=letter_case.perpetrator, parties=parties)
    assert values["victim_name"] == CANARY_NAME
    assert CANARY_ADDRESS in values["victim_address"]


def test_c11_callers_cannot_slip_a_name_in_as_an_event_value(letter_case):
    parties = list(letter_case.case.parties.select_related("person"))
    with pytest.raises(ValueError):
        merge_values(
            case=letter_case.case,
            recipient=letter_case.perpetrator,
            parties=parties,
            extra={"victim_name": CANARY_NAME},
        )


def test_merge_values_are_escaped():
    html = render_text("Dear {{ recipient_name }}", {"recipient_name": "<b>Bo</b> & <script>"})
    assert html == "Dear &lt;b&gt;Bo&lt;/b&gt; &amp; &lt;script&gt;"


@pytest.mark.parametrize(
    "body",
    [
        "{% load static %}hello",
        "{{ recipient_name|safe }}",
        "{{ settings.SECRET_KEY }}",
        "{{ request }}",
        "{# hidden #}",
        "{% debug %}",
        "{{ recipient_name }} }}",
    ],
)
def test_template_bodies_allow_merge_fields_and_nothing_else(cast, body):
    assert template_errors(body)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        letter_template_save(
            organisation=cast.organisation,
            kind=LetterKind.CLOSURE,
            by=cast.admin,
            subject="S",
            body=body,
            change_note="",
        )


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise NetworkUsed("WeasyPrint tried to fetch a URL")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)


@pytest.mark.parametrize(
    "src",
    ["file:///etc/passwd", "https://example.com/tracker.png", "http://169.254.169.254/latest/"],
)
def test_file_and_external_urls_render_without_being_fetched(no_network, src):
    html = (
        f'<html><head><link rel="stylesheet" href="{src}"></head>'
        f'<body><p>Before</p><img src="{src}" alt="x"><p>After</p>'
        f'<div style="background: url({src})">Styled</div></body></html>'
    )
    pdf = html_to_pdf(html)
    text = pdf_text(pdf)
    assert "Before" in text and "After" in text
    assert "root:" not in text


def test_an_admin_template_with_an_image_tag_prints_it_as_text(no_network):
    body = '<img src="file:///etc/passwd"> and <img src="https://example.com/x.png">'
    html = letter_html(subject="Hello", body=body, values={}, large_print=False)
    assert "<img" not in html
    text = pdf_text(html_to_pdf(html))
    assert "file:///etc/passwd" in text  # as words on the page, never fetched
    assert "root:" not in text


def test_haven_bundled_stylesheet_is_the_one_thing_fetched(monkeypatch):
    from letters import rendering

    fetched = []
    original = rendering._asset_path

    def spy(url):
        fetched.append(url)
        return original(url)

    monkeypatch.setattr(rendering, "_asset_path", spy)
    html = letter_html(subject="S", body="Body", values={}, large_print=True)
    html_to_pdf(html)
    assert fetched == ["haven-asset:/letter.css"]
    with pytest.raises(rendering.RefusedURL):
        original("haven-asset:/../../config/settings/base.py")


def test_w22_c28_large_print_letters_for_a_large_print_recipient(
    letter_case, cast, django_capture_on_commit_callbacks
):
    victim = letter_case.victim.person
    victim.preferred_format = "large_print"
    victim.save()
    with django_capture_on_commit_callbacks(execute=True):
        big = letter_issue(
            case=letter_case.case,
            kind=LetterKind.ACKNOWLEDGEMENT,
            recipient=letter_case.victim,
            by=cast.officer,
            reason="",
            extra={"next_contact_date": "Monday"},
            delivery=Delivery.POST,
        )
        small = letter_issue(
            case=letter_case.case,
            kind=LetterKind.ACKNOWLEDGEMENT,
            recipient=letter_case.witness,
            by=cast.officer,
            reason="",
            extra={"next_contact_date": "Monday"},
            delivery=Delivery.POST,
        )
    big.refresh_from_db()
    small.refresh_from_db()
    assert big.large_print and not small.large_print
    html = letter_html(subject="S", body="B", values=big.merge_values, large_print=True)
    assert 'class="large-print"' in html
    # The same letter runs to more pages in large print.
    assert pdf_pages(big) > pdf_pages(small)


def pdf_pages(letter) -> int:
    import subprocess

    with letter.pdf.open("rb") as handle:
        info = subprocess.run(
            ["pdfinfo", "-"], input=handle.read(), capture_output=True, check=True
        ).stdout.decode()
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
