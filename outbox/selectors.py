from .models import OutgoingEmail


def outbox_latest(*, kind: str, key: str) -> OutgoingEmail | None:
    """The newest e-mail of ``kind`` about ``key`` (served by outbox_kind_key_idx)."""
    return OutgoingEmail.objects.filter(kind=kind, key=key).order_by("-created_at", "-pk").first()
