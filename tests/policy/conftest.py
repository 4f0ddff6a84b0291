import pytest

from policy.services import policy_version_create, rule_save


def rule_data(code, unit, amount=None, *, conditions=None, **extra) -> dict:
    """A rule in the policy file's shape, as the designer's form hands it to ``rule_save``."""
    data = {
        "code": code,
        "title": extra.pop("title", code.replace("_", " ").capitalize()),
        "clause": extra.pop("clause", ""),
        "promise": extra.pop("promise", "We will do this."),
        "subject": extra.pop("subject", "contact_complainant"),
        "starts_on": extra.pop("starts_on", "report_received"),
        "timescales": extra.pop(
            "timescales",
            [{"unit": unit, "amount": amount, "conditions": conditions or {}, "note": ""}],
        ),
        "met_by": extra.pop("met_by", [{"action": "contact", "roles": ["complainant"]}]),
        "repeats": False,
        "then_starts": "",
        "agreed_frequency": False,
        "window": False,
        "remind_hours_before": None,
        "tell_manager_when_overdue": True,
        "adopted_from": "",
    }
    data.update(extra)
    return data


@pytest.fixture
def empty_draft(cast):
    return policy_version_create(
        organisation=cast.organisation,
        document={"title": "Our policy", "rules": []},
        by=cast.admin,
        origin="Written in the designer",
    )


@pytest.fixture
def build(empty_draft, cast):
    """Save rules into the empty draft through ``rule_save``; returns the draft."""

    def _build(*rules):
        for data in rules:
            rule_save(version=empty_draft, by=cast.admin, data=data)
        return empty_draft

    return _build
