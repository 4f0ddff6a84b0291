"""Kinds of e-mail rendered when they are sent, registered by the apps that own them.

The outbox sits below every Haven app, so it never imports one: an app registers a renderer
for its kinds from its ``AppConfig.ready``. A renderer takes the row's ``params`` (ids) and
returns the message, or ``None`` when there is nothing to send any more. ``sent`` (optional)
is told the params and time once the mail server has accepted the message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.mail import EmailMessage


@dataclass(frozen=True)
class Kind:
    render: Callable[[dict], EmailMessage | None]
    sent: Callable[[dict, datetime], None] | None = None


_kinds: dict[str, Kind] = {}


def register(
    kind: str,
    *,
    render: Callable[[dict], EmailMessage | None],
    sent: Callable[[dict, datetime], None] | None = None,
) -> None:
    _kinds[kind] = Kind(render=render, sent=sent)


def kind_for(kind: str) -> Kind | None:
    return _kinds.get(kind)
