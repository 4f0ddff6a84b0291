"""Safe by construction: C11 in the merge values, escaping, a restricted template syntax,
and WeasyPrint fetching nothing but Haven's own assets."""

import shutil
import socket
import urllib.request

import pytest

from cases.models.choices import PartyRole
from letters.merge import WITHHELD, merge_values
from letters.models import Delivery, LetterKind
from letters.rendering import html_to_pdf, letter_html, render_text, template_errors
from letters.services.issue import letter_issue
from letters.services.templates import letter_template_save, letter_templates_ensure_defaults

from .conftest import CANARY_ADDRESS, CANARY_NAME, pdf_text

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


def _complainant(letter_case, cast):
    from cases.models import CaseParty

    from .conftest import person

    return CaseParty.objects.create(
        case=letter_case.case,
        role=PartyRole.COMPLAINANT,
        person=person(
            cast.organisation, "Carol Complainant", address="4 Fourth Road", postcode="WD20 3CC"
        ),
    )


# Names and addresses the officer's free text carries for every party; nobody has consented.
PEOPLE_IN_FREE_TEXT = (
    f"{CANARY_NAME} of {CANARY_ADDRESS}, Carol Complainant of 4 Fourth Road, "
    "Peter Perpetrator of 2 Other Road and Wendy Witness of 3 Third Road"
)
NEVER_SHOWN = ("Peter Perpetrator", "Perpetrator", "2 Other Road", "Wendy Witness", "3 Third Road")


@pytest.mark.parametrize("kind", list(LetterKind))
def test_c11_canary_every_letter_kind_strikes_the_perpetrator_and_witness_from_free_text(
    letter_case, cast, template_showing_everything, kind
):
    """Per kind, to each role it may go to: the complainant and the victim may read each
    other's names; the alleged perpetrator's and the witness's never appear (no consent)."""
    from letters.merge import FREE_TEXT_FIELDS
    from letters.models import LETTER_RECIPIENT_ROLES, LetterTemplate
    from letters.rendering import letter_html

    complainant = _complainant(letter_case, cast)
    recipients = {PartyRole.COMPLAINANT: complainant, PartyRole.VICTIM: letter_case.victim}
    extra = {**EVENT_VALUES, **dict.fromkeys(FREE_TEXT_FIELDS, f"About {PEOPLE_IN_FREE_TEXT}.")}
    extra.pop("reason")
    template = LetterTemplate.objects.filter(organisation=cast.organisation, kind=kind).first()
    for role in LETTER_RECIPIENT_ROLES[kind]:
        letter = letter_issue(
            case=letter_case.case,
            kind=kind,
            recipient=recipients[role],
            by=cast.officer,
            reason=f"Letter about {PEOPLE_IN_FREE_TEXT}",
            extra=extra,
            delivery=Delivery.POST,
        )
        html = letter_html(
            subject=template.subject,
            body=template.body + "\n\n" + " ".join(f"{{{{ {f} }}}}" for f in FREE_TEXT_FIELDS),
            values=letter.merge_values,
            large_print=False,
        )
        texts = [str(letter.merge_values), html]
        if shutil.which("pdftotext"):
            texts.append(pdf_text(html_to_pdf(html)))
        for text in texts:
            for name in NEVER_SHOWN:
                assert name.lower() not in text.lower(), (kind, role, name)
            assert WITHHELD in text
            # The complainant's side reads each other's names, and their own.
            assert CANARY_NAME in text and "Carol Complainant" in text, (kind, role)


def test_c11_the_closure_letter_to_the_complainant_strikes_the_perpetrator_named_in_the_rationale(
    letter_case, cast
):
    """The reported case: the rationale named the alleged perpetrator, who has no consent."""
    from letters.models import LetterKind as Kind
    from letters.services.closure import case_close

    complainant = _complainant(letter_case, cast)
    case = letter_case.case
    closure = case_close(
        case=case,
        by=cast.officer,
        reason="action_complete",
        rationale="Peter Perpetrator signed an ABC; Wendy Witness saw nothing since.",
        discussed_with_complainant=True,
        discussed_on=case.received_at.date(),
        discussion_notes="",
        expected_version=case.version,
    )
    letter = closure.letter
    assert letter.kind == Kind.CLOSURE and letter.recipient == complainant
    rationale = letter.merge_values["closure_rationale"]
    assert "Peter" not in rationale and "Wendy" not in rationale
    assert rationale == f"{WITHHELD} signed an ABC; {WITHHELD} saw nothing since."


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
            recipient=_complainant(letter_case, cast),
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


def test_c11_merge_values_for_the_other_side_never_carry_the_victim(letter_case):
    """No letter goes to the other side now; the rule under it still withholds the victim."""
    parties = list(letter_case.case.parties.select_related("person"))
    for reader in (letter_case.perpetrator, letter_case.witness):
        values = merge_values(
            case=letter_case.case,
            recipient=reader,
            parties=parties,
            extra={"closure_rationale": f"{CANARY_NAME} at {CANARY_ADDRESS}"},
        )
        stored = str(values)
        assert CANARY_NAME not in stored and CANARY_ADDRESS not in stored
        assert values["victim_name"] == WITHHELD


def test_c11_a_perpetrator_who_consented_may_be_named_to_the_complainant(letter_case, cast):
    from django.utils import timezone

    perpetrator = letter_case.perpetrator.person
    perpetrator.disclosure_consent = True
    perpetrator.disclosure_consent_recorded_at = timezone.now()
    perpetrator.save()
    parties = list(letter_case.case.parties.select_related("person"))
    values = merge_values(
        case=letter_case.case,
        recipient=letter_case.victim,
        parties=parties,
        extra={"closure_rationale": "Peter Perpetrator and Wendy Witness"},
    )
    assert values["closure_rationale"] == f"Peter Perpetrator and {WITHHELD}"
