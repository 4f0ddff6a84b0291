"""Virus scanning of uploaded files through ClamAV's daemon (clamd), before anything is kept.

Haven speaks clamd's INSTREAM command over TCP or a UNIX socket (``HAVEN_CLAMD_ADDRESS``:
``tcp://clamav:3310`` or ``unix:///run/clamav/clamd.ctl``): the file is streamed in chunks,
each prefixed with its length, and clamd answers ``stream: OK`` or ``stream: <name> FOUND``.
No client library is needed for a protocol this small, and none is well kept.

With no address set (development, tests) files are not scanned. With an address set the
check fails closed: if clamd cannot be reached or cannot finish, the upload is refused with
a message asking the user to try again, and nothing is stored.
"""

from __future__ import annotations

import logging
import socket
import struct
from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ValidationError

logger = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024

INFECTED_MESSAGE = "This file contains a virus or other malware, so it was not accepted."
UNAVAILABLE_MESSAGE = (
    "Files cannot be checked for viruses at the moment, so it was not accepted. "
    "Please try again in a few minutes."
)


class ScanUnavailable(Exception):
    """clamd could not be reached, or did not give a clean or infected answer."""


def scanning_enabled() -> bool:
    return bool(settings.HAVEN_CLAMD_ADDRESS)


def _connect() -> socket.socket:
    address = urlparse(settings.HAVEN_CLAMD_ADDRESS)
    timeout = settings.HAVEN_CLAMD_TIMEOUT_SECONDS
    if address.scheme == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address.path)
        return sock
    if address.scheme == "tcp" and address.hostname and address.port:
        return socket.create_connection((address.hostname, address.port), timeout=timeout)
    raise ScanUnavailable("HAVEN_CLAMD_ADDRESS is not tcp://host:port or unix:///path")


def scan(upload) -> str | None:
    """The malware's name if clamd finds one in ``upload``, None if it is clean. Raises
    ScanUnavailable when clamd cannot say. The upload is read from the start and left there."""
    try:
        with _connect() as sock:
            sock.sendall(b"zINSTREAM\0")
            upload.seek(0)
            for chunk in iter(lambda: upload.read(CHUNK_BYTES), b""):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                answer += part
    except OSError as error:
        raise ScanUnavailable(f"clamd unreachable: {error.__class__.__name__}") from error
    finally:
        upload.seek(0)
    reply = answer.rstrip(b"\0").decode("utf-8", "replace").strip()
    if reply.endswith(" OK"):
        return None
    if reply.endswith(" FOUND"):
        return reply.removeprefix("stream:").removesuffix("FOUND").strip()
    raise ScanUnavailable(f"clamd answered {reply[:100]!r}")


def upload_check(upload, *, field: str) -> None:
    """Raise a ValidationError on ``field`` unless ``upload`` is clean (or scanning is off).
    What is logged names the malware, never the file or who sent it."""
    if not scanning_enabled():
        return
    try:
        found = scan(upload)
    except ScanUnavailable as error:
        logger.error("Upload refused: virus scan unavailable (%s)", error)
        raise ValidationError({field: UNAVAILABLE_MESSAGE}) from error
    if found is not None:
        logger.warning("Upload refused: clamd found %s", found)
        raise ValidationError({field: INFECTED_MESSAGE})
