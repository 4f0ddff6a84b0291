"""C11 in the panel summary: the officer's free text on a request reaches the panel struck of
the witness and the alleged perpetrator (no consent), as a letter would be; the household
the request is about stays named."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.disclosure import WITHHELD

from .conftest import refer

pytestmark = pytest.mark.django_db

NAMED = "Percy Perpetrator shouts at 9 Witness Way; Wendy Witness saw Vera Victim threatened"


def _summary(client, cast, referral):
    client.force_login(cast.panel)
    page = client.get(reverse("transfers:panel_request", args=[referral.pk])).content.decode()
    return page.split('data-testid="panel-summary"')[1].split("</section>")[0]


def test_c11_canary_panel_summary_strikes_the_perpetrator_and_witness_from_every_free_text(
    client, cast, case
):
    case.evidence_item.description = f"Photo: {NAMED}"
    case.evidence_item.save()
    referral = refer(
        case,
        cast.officer,
        reason_details=NAMED,
        accessibility_needs=f"Ramp, not near {NAMED}",
        areas_to_avoid=f"Anywhere near {NAMED}",
    )
    summary = _summary(client, cast, referral)
    for secret in ("Percy", "Perpetrator", "Wendy", "Witness Way"):
        assert secret not in summary, secret
    assert summary.count(WITHHELD) >= 4
    assert "Vera Victim" in summary  # the household is who the request is about


def test_c11_a_witness_who_consented_is_named_to_the_panel(client, cast, case):
    from cases.models import CaseParty
    from cases.models.choices import PartyRole

    witness = CaseParty.objects.get(case=case, role=PartyRole.WITNESS).person
    witness.disclosure_consent = True
    witness.disclosure_consent_recorded_at = timezone.now()
    witness.save()
    referral = refer(case, cast.officer, reason_details=NAMED)
    summary = _summary(client, cast, referral)
    assert "Wendy Witness saw" in summary and "Percy" not in summary


def test_c11_a_panel_comment_naming_the_perpetrator_is_struck_in_the_page_and_the_minutes(
    client, cast, case, referral
):
    from transfers.choices import Vote
    from transfers.services.decisions import panel_vote_cast
    from transfers.services.minutes import meeting_minutes_pdf

    from .conftest import panellist

    members = [panellist(cast.organisation, manager=True) for _ in range(2)] + [cast.panel]
    for member in members:
        panel_vote_cast(
            referral=referral, member=member, vote=Vote.APPROVE, comment="Percy Perpetrator again"
        )
    client.force_login(cast.panel)
    page = client.get(reverse("transfers:panel_request", args=[referral.pk])).content.decode()
    # Only the member's own comment, back in their own vote form, still says what they typed.
    assert page.count("Percy") == 1 and page.count(f"{WITHHELD} again") == 3

    from transfers.services.decisions import panel_decision_record

    panel_decision_record(referral=referral, by=cast.panel)
    referral.refresh_from_db()
    pdf = meeting_minutes_pdf(meeting=referral.decisions.first().meeting)
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Percy" not in text and WITHHELD in text
