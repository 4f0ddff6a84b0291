"""What every case view shares: the case the user may open, service errors on forms, and
the message for a save refused by optimistic locking."""

from django.core.exceptions import ValidationError

from ..selectors import case_get_for_user


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
