"""The minutes of a panel meeting as a PDF (W05), built from bundled assets only."""

from django.template.loader import render_to_string
from django.utils import timezone

from ..models import PanelDecision, PanelMeeting, PanelVote


def refuse_external(url: str, *args, **kwargs):
    """WeasyPrint's url_fetcher: the minutes never fetch anything from outside."""
    raise ValueError(f"External resources are not allowed in the minutes: {url[:60]}")


def meeting_minutes_pdf(*, meeting: PanelMeeting) -> bytes:
    from weasyprint import HTML

    decisions = list(
        PanelDecision.objects.filter(meeting=meeting)
        .select_related("referral__case")
        .order_by("decided_at", "pk")
    )
    votes = PanelVote.objects.filter(meeting=meeting).select_related("member")
    by_referral: dict[int, list[PanelVote]] = {}
    for vote in votes:
        by_referral.setdefault(vote.referral_id, []).append(vote)
    # Requests still on this meeting's agenda without a decision (they roll on at closing).
    undecided = list(
        meeting.agenda.exclude(decisions__meeting=meeting)
        .select_related("case")
        .order_by("referred_at")
    )
    html = render_to_string(
        "transfers/minutes.html",
        {
            "meeting": meeting,
            "organisation": meeting.organisation,
            "decisions": [(d, by_referral.get(d.referral_id, [])) for d in decisions],
            "undecided": undecided,
            "generated_at": timezone.now(),
        },
    )
    return HTML(string=html, base_url=None, url_fetcher=refuse_external).write_pdf()
