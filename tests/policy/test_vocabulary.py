"""``policy`` sits below the case file, so it spells the values its conditions and actions
name; they must stay those of the case file's own choices."""

import pytest

from cases.models.choices import Category, ContactMethod, ContactPurpose, PartyRole, RiskLevel
from deadlines.events import ROLE_IN_RULES
from policy import vocabulary
from repairs.models import DamageKind


@pytest.mark.parametrize(
    ("words", "choices"),
    [
        (vocabulary.Category, Category),
        (vocabulary.RiskBand, RiskLevel),
        (vocabulary.Method, ContactMethod),
        (vocabulary.Purpose, ContactPurpose),
        (vocabulary.DamageKind, DamageKind),
    ],
)
def test_policy_words_are_the_case_files_values(words, choices):
    assert list(words.values) == list(choices.values)


def test_every_party_role_is_a_role_a_rule_can_name():
    assert set(ROLE_IN_RULES) == set(PartyRole.values)
    assert set(ROLE_IN_RULES.values()) == set(vocabulary.Role.values)
