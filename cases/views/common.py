"""What every case view shares: the case the user may open, and service errors on forms."""

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
