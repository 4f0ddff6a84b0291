"""Hourly counters in the shared cache, for the limits on the public report form and on
password-reset requests: every web process sees the same count."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def counter_key(purpose: str, scope: str, value: str) -> str:
    """The cache key of one counter. E-mail and client addresses are personal data: the
    cache holds a keyed hash of the value, never the value."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]
    return f"{purpose}:{scope}:{digest}"


def counter_add(key: str) -> int:
    """Add one to the counter and return the new count, in one step where the cache can: two
    requests at the same moment get different counts. Cache errors reach the caller, which
    decides whether to let the request through."""
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1
