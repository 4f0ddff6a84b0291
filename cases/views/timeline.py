"""The case page's timeline rows, drawn in Python.

A busy case has a timeline of 160 entries or more; drawn by the template engine, each entry's
tags, filters and variable lookups were most of the page's CPU. Each kind of entry here is
one function writing the same HTML the template wrote, every value escaped as the template
escaped it (``conditional_escape``, Django's ``linebreaksbr`` and ``filesizeformat``, the
page's own ``uk_time``). The template keeps the list (``{{ entry.html }}``) and the empty
message. Links come from ``cases.views.browse._link_rows``, reversed once per kind.
"""

from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe

from policy.formats import uk_datetime

from .common import choice_label


def _incident(item, may_work: bool, may_manage: bool) -> str:
    location = f" at {esc(item.location)}" if item.location else ""
    parts = [f"<strong>Incident</strong>{location}:\n{', '.join(esc(a) for a in item.act_labels)}"]
    if item.ground_labels:
        parts.append(
            f"<div>Hostility perceived by {esc(choice_label(item, 'perceived_by').lower())} "
            f"because of: {', '.join(esc(g) for g in item.ground_labels)}</div>"
        )
    parts.append(f"<div>{linebreaksbr(item.description)}</div>")
    involved = "; ".join(esc(p) for p in item.involved) or "nobody recorded"
    reference = f" ({esc(item.crime_reference)})" if item.crime_reference else ""
    parts.append(
        f'<div class="small">Involved: {involved}. Police: '
        f"{esc(choice_label(item, 'police_reported'))}{reference}.</div>"
    )
    if may_work:
        parts.append(
            f'<a class="small me-2" href="{esc(item.edit_url)}">Edit<span '
            f'class="visually-hidden"> the incident of {uk_datetime(item.occurred_at)}'
            f'</span></a>\n<a class="small" href="{esc(item.parties_url)}">Change who was '
            "involved</a>"
        )
    return "\n".join(parts)


def _contact(item, may_work: bool, may_manage: bool) -> str:
    party = item.party
    with_party = f", with {esc(party.display_name)}" if party else ""
    reached = "" if item.reached else ' <span class="badge text-bg-light">Not reached</span>'
    parts = [
        f"<strong>{esc(choice_label(item, 'method'))}</strong>, "
        f"{esc(choice_label(item, 'direction').lower())}{with_party}: "
        f"{esc(choice_label(item, 'purpose'))}{reached}"
    ]
    if item.notes:
        parts.append(f"<div>{linebreaksbr(item.notes)}</div>")
    parts.append(
        f'<div class="small text-muted">Recorded by {esc(item.recorded_by.full_name)}</div>'
    )
    return "\n".join(parts)


def _note(item, may_work: bool, may_manage: bool) -> str:
    return (
        f"<strong>Note</strong> by {esc(item.author.full_name)}<div>{linebreaksbr(item.text)}</div>"
    )


def _evidence(item, may_work: bool, may_manage: bool) -> str:
    download = (
        f'\n<a href="{esc(item.download_url)}">Download</a>' if may_work or may_manage else ""
    )
    return (
        f"<strong>Evidence</strong> ({esc(choice_label(item, 'kind'))}): "
        f"{esc(item.description)}{download}\n"
        f'<div class="small text-muted">Uploaded by {esc(item.uploaded_by.full_name)}, '
        f"{filesizeformat(item.size)}</div>"
    )


def _review(item, may_work: bool, may_manage: bool) -> str:
    return (
        f"<strong>Case review (C26)</strong> by {esc(item.reviewed_by.full_name)}: "
        f"{esc(choice_label(item, 'outcome'))}\n<div>{linebreaksbr(item.summary)}</div>"
    )


def _party(item, may_work: bool, may_manage: bool) -> str:
    return f"<strong>{esc(choice_label(item, 'role'))} added</strong>: {esc(item.display_name)}"


ROWS = {
    "incident": _incident,
    "contact": _contact,
    "note": _note,
    "evidence": _evidence,
    "review": _review,
    "party": _party,
}


def timeline_draw(timeline: list[dict], *, may_work: bool, may_manage: bool) -> None:
    """Puts each entry's finished ``<li>`` in ``entry["html"]``."""
    for entry in timeline:
        kind = entry["kind"]
        body = ROWS[kind](entry["item"], may_work, may_manage)
        entry["html"] = mark_safe(  # noqa: S308 - every value above is escaped
            f'<li class="border-start ps-3 mb-3" data-kind="{kind}">\n'
            f'<div class="small text-muted">{uk_datetime(entry["at"])}</div>\n'
            f"{body}\n</li>"
        )
