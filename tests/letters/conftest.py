"""A case with the whole cast of parties for letter tests. The victim is the canary: any
letter to the other side that shows CANARY-VICTIM or CANARY-ADDRESS breaks C11."""

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from cases.models import CaseParty, Person
from cases.models.choices import PartyRole
from tests.cases.factories import make_case

CANARY_NAME = "CANARY-VICTIM"
CANARY_ADDRESS = "CANARY-ADDRESS"


@dataclass
class LetterCase:
    case: object
    victim: CaseParty
    perpetrator: CaseParty
    witness: CaseParty


def person(organisation, name, **fields):
    return Person.objects.create(organisation=organisation, full_name=name, **fields)


@pytest.fixture(autouse=True)
def private_storage(tmp_path, settings):
    """Each test writes its PDFs to its own private folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    return tmp_path / "private"


@pytest.fixture
def letter_case(cast):
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    org = cast.organisation
    victim = CaseParty.objects.create(
        case=case,
        role=PartyRole.VICTIM,
        person=person(
            org,
            CANARY_NAME,
            address=f"Flat 9, {CANARY_ADDRESS}\nWatford",
            postcode="WD17 9ZZ",
            email="victim@example.org",
        ),
    )
    perpetrator = CaseParty.objects.create(
        case=case,
        role=PartyRole.PERPETRATOR,
        person=person(
            org, "Peter Perpetrator", address="2 Other Road\nWatford", postcode="WD18 1AA"
        ),
    )
    witness = CaseParty.objects.create(
        case=case,
        role=PartyRole.WITNESS,
        person=person(org, "Wendy Witness", address="3 Third Road", postcode="WD19 2BB"),
    )
    return LetterCase(case=case, victim=victim, perpetrator=perpetrator, witness=witness)


def pdf_text(path_or_bytes) -> str:
    """The text of a PDF as pdftotext reads it, whitespace collapsed."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(out.split())


def letter_pdf_text(letter) -> str:
    letter.refresh_from_db()
    with letter.pdf.open("rb") as handle:
        return pdf_text(handle.read())


__all__ = ["CANARY_ADDRESS", "CANARY_NAME", "letter_pdf_text", "pdf_text", "settings"]
