"""What every case view shares: the case the user may open, service errors on forms, and
the message for a save refused by optimistic locking."""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

from ..forms.parties import NOT_OFFERED
from ..models import Person
from ..selectors import case_get_for_user, people_possible_matches

# Stands for the varying id while a URL is reversed once (matches the ``int`` converter).
_PK_PLACEHOLDER = "2147483647"


def pk_url(name: str, *args) -> Callable[[int], str]:
    """The URL ``name`` with ``args`` and then one id, as a function of that id, reversed
    once: a page that links each of hundreds of rows builds each kind of link once instead
    of resolving the URL patterns per row."""
    head, tail = reverse(name, args=[*args, _PK_PLACEHOLDER]).rsplit(_PK_PLACEHOLDER, 1)
    return lambda pk: f"{head}{int(pk)}{tail}"


def choice_label(instance, field_name: str) -> str:
    """What ``instance.get_<field_name>_display()`` gives, from the field's choices turned
    into a lookup once per process: Django's own rebuilds that lookup from every choice on
    each call, which for the rows of a long page added up."""
    value = getattr(instance, field_name)
    labels = _choice_labels(type(instance), field_name)
    return force_str(labels.get(make_hashable(value), value), strings_only=True)


@cache
def _choice_labels(model, field_name: str) -> dict:
    field = model._meta.get_field(field_name)
    return {make_hashable(value): label for value, label in field.flatchoices}


def case_for(request, pk: int):
    return case_get_for_user(user=request.user, access=request.access, pk=pk)


def errors_to_form(error: ValidationError, *forms) -> None:
    """Put a service's field errors beside the matching field of whichever form has it."""
    mapping = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, messages in mapping.items():
        target = next((f for f in forms if field in f.fields), forms[0])
        for message in messages:
            target.add_error(field if field in target.fields else None, message)


STALE = (
    "Someone else saved this {what} after you opened it. Your changes are below and were not "
    "saved; the current values are shown beside them. Check and save again."
)


def stale_refused(form, what: str, current_version: int, message: str = "") -> None:
    """Keep the user's input, tell them plainly (``message``, or the standard words), and
    let a deliberate second save through."""
    form.data = form.data.copy()
    form.data["version"] = str(current_version)
    form.add_error(None, message or STALE.format(what=what))


@dataclass
class MatchChoice:
    """What the user answered to "is it one of these people?"."""

    person: Person | None = None  # an existing person, chosen from those offered
    new: bool = False  # "None of these: a new person"
    matches: list[Person] = dataclasses.field(
        default_factory=list
    )  # to offer (again) before going on
    error: str = ""  # beside the question: the posted choice was not one offered

    @property
    def unanswered(self) -> bool:
        return bool(self.matches or self.error)


def match_choice(
    request, *, key: str, full_name: str, date_of_birth=None, postcode=""
) -> MatchChoice:
    """Read the answer to the suggestions for the person typed in. A posted id is accepted
    only if it is among the people this user is offered for those details: a hand-made id
    (someone on a restricted case the user may not open, or anyone not suggested) is refused
    with a message beside the question, and the suggestions are shown again."""
    choice = request.POST.get(key, "")
    if choice == "new":
        return MatchChoice(new=True)
    matches = people_possible_matches(
        user=request.user,
        access=request.access,
        full_name=full_name,
        date_of_birth=date_of_birth,
        postcode=postcode,
    )
    if choice:
        chosen = next((p for p in matches if str(p.pk) == choice), None)
        if chosen is not None:
            return MatchChoice(person=chosen)
        return MatchChoice(matches=matches, error=NOT_OFFERED)
    return MatchChoice(matches=matches)
