"""The order of the public form's steps, and which apply given the answers so far."""

from collections.abc import Callable
from dataclasses import dataclass

from . import forms


@dataclass(frozen=True)
class Step:
    slug: str
    form_class: type[forms.StepForm]
    applies: Callable[[dict], bool] = lambda answers: True


def _contactable(answers: dict) -> bool:
    return answers.get("contact_choice") == "contact"


STEPS: list[Step] = [
    Step("danger", forms.DangerForm),
    Step("safety", forms.SafetyForm, lambda a: a.get("danger") == "yes"),
    Step("who", forms.WhoForm),
    Step("what", forms.WhatForm),
    Step("when-where", forms.WhenWhereForm),
    Step("why", forms.WhyForm),
    Step("who-did-it", forms.PerpetratorForm),
    Step("victim", forms.VictimForm, lambda a: a.get("reporter_type") == "on_behalf"),
    Step("contact", forms.ContactChoiceForm),
    Step("your-details", forms.DetailsForm, _contactable),
    Step("safe-contact", forms.SafeContactForm, _contactable),
    Step("send", forms.SendForm),
]
BY_SLUG = {step.slug: step for step in STEPS}


def steps_for(answers: dict) -> list[Step]:
    return [step for step in STEPS if step.applies(answers)]


def next_step(slug: str, answers: dict) -> Step | None:
    applicable = steps_for(answers)
    slugs = [s.slug for s in applicable]
    if slug not in slugs:
        return applicable[0]
    index = slugs.index(slug)
    return applicable[index + 1] if index + 1 < len(applicable) else None


def previous_step(slug: str, answers: dict) -> Step | None:
    applicable = steps_for(answers)
    slugs = [s.slug for s in applicable]
    if slug not in slugs or slugs.index(slug) == 0:
        return None
    return applicable[slugs.index(slug) - 1]


def first_unanswered(answers: dict, done: list[str]) -> Step | None:
    """The first applicable step not yet completed: nobody skips ahead by typing a URL."""
    for step in steps_for(answers):
        if step.slug not in done and step.slug != "send":
            return step
    return None
