"""Walking the public report form with Django's test client."""

from django.urls import reverse

BASE_ANSWERS = {
    "danger": {"danger": "no"},
    "who": {"reporter_type": "victim"},
    "what": {
        "description": "The man at number 14 shouted racist abuse at me on the stairs.",
        "acts": ["verbal_abuse", "threats"],
    },
    "when-where": {"occurred_on": "2026-11-20", "time_of_day": "evening", "location": "Oak House"},
    "why": {"grounds": ["race"]},
    "who-did-it": {"known": "yes", "perpetrator_name": "Derek Dunn"},
    "victim": {"victim_name": "Vera Victim", "victim_knows": "yes"},
    "contact": {"contact_choice": "contact"},
    "your-details": {
        "full_name": "Rita Resident",
        "phone": "07700 900123",
        "email": "rita@example.test",
    },
    "safe-contact": {
        "safe_times": "Weekdays 9 to 3",
        "leave_message": "no",
        "preferred_language": "English",
        "preferred_format": "standard",
    },
}


def step_url(code: str, slug: str) -> str:
    return reverse("online_report_step", args=[code, slug])


def walk(client, code: str, *, overrides: dict | None = None, send: dict | None = None):
    """Answer every step that applies, then send. Returns the final response."""
    answers = {slug: dict(data) for slug, data in BASE_ANSWERS.items()}
    for slug, data in (overrides or {}).items():
        answers[slug] = {**answers.get(slug, {}), **data}
    response = client.get(reverse("online_report_start", args=[code]))
    assert response.status_code == 200
    url = step_url(code, "danger")
    while not url.endswith("/send/"):
        slug = url.rstrip("/").rsplit("/", 1)[-1]
        response = client.post(url, answers.get(slug, {}))
        assert response.status_code == 302, (slug, response.content[:2000])
        url = response["Location"]
    return client.post(url, send or {})
