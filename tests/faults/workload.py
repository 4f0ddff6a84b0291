"""What the people in the fault experiments do, over HTTP like a browser."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from cases.models import CaseParty, Person
from cases.models.choices import PartyRole
from tests.cases.factories import make_case
from tests.online_reports import BASE_ANSWERS

from .stack import Browser, Response, hidden

PASSWORD = "correct-horse-battery"


@dataclass
class People:
    organisation: object
    officer: object
    admin: object


def case_with_victim(people: People, n: int):
    """A case the officer works on, whose victim reads letters by e-mail at their own address."""
    case = make_case(people.organisation, people.officer, assigned_officer=people.officer)
    victim = Person.objects.create(
        organisation=people.organisation,
        full_name=f"Victim {n}",
        address=f"{n} Fault Street",
        postcode="WD17 1AA",
        email=f"victim-{n}@example.test",
    )
    CaseParty.objects.create(case=case, role=PartyRole.VICTIM, person=victim)
    return case


def resident_report(base_url: str, code: str, n: int) -> tuple[bool, str]:
    """A resident walks the public form and presses Send once. Returns (saved, detail):
    saved when the last answer is the "sent" page's redirect."""
    browser = Browser(base_url)
    answers = {slug: dict(data) for slug, data in BASE_ANSWERS.items()}
    answers["your-details"]["email"] = f"resident-{n}@example.test"
    start = reverse("online_report_start", args=[code])
    url = reverse("online_report_step", args=[code, "danger"])
    for path in (start, url):
        response = browser.get(path)
        if response.status != 200:
            return False, f"GET {path}: {response.status}"
    while not url.endswith("/send/"):
        slug = url.rstrip("/").rsplit("/", 1)[-1]
        response = browser.post(url, answers.get(slug, {}))
        if response.status != 302:
            return False, f"POST {slug}: {response.status}"
        url = response.location
    response = browser.get(url)
    if response.status != 200:
        return False, f"GET send: {response.status}"
    key = hidden(response.body, "submission_key")
    response = browser.post(url, {"submission_key": key})
    if response.status != 302 or not response.location.endswith("/sent/"):
        return False, f"POST send: {response.status}"
    return True, key


def close_case_by_http(officer: Browser, case) -> Response:
    page = officer.get(reverse("letters:close", args=[case.pk]))
    if page.status != 200:
        return page
    return officer.post(
        reverse("letters:close", args=[case.pk]),
        {
            "reason": "resolved",
            "rationale": "No incidents for three months.",
            "discussed_with_complainant": "on",
            "discussed_on": timezone.localdate().isoformat(),
            "discussion_notes": "Agreed.",
            "version": hidden(page.body, "version"),
        },
    )
