"""The person page states C11's disclosure rule in the words ``cases.disclosure`` keeps."""

from django import template

from ..disclosure import disclosure_statements

register = template.Library()


@register.simple_tag
def disclosure_said(person, parties) -> list[str]:
    """What may be disclosed about ``person``, for the roles they hold in ``parties``."""
    roles = [party.role for party in parties if party.person_id == person.pk]
    return disclosure_statements(consent=person.disclosure_consent, roles=roles)
