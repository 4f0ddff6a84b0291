"""Uploads are scanned by ClamAV's daemon before anything is kept (system/antivirus.py).

A small stand-in for clamd speaks the INSTREAM protocol on a real socket: it finds the EICAR
test string, answers OK otherwise, or answers with an error when told to.
"""

import socket
import socketserver
import struct
import tempfile
import threading
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Evidence, OnlineReport
from system.antivirus import INFECTED_MESSAGE, UNAVAILABLE_MESSAGE
from tests.cases.factories import make_case
from tests.online_reports import walk

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


class FakeClamd(socketserver.BaseRequestHandler):
    streams: list[bytes] = []
    answer_error = False

    def handle(self):
        command = b""
        while not command.endswith(b"\0"):
            command += self.request.recv(1)
        assert command == b"zINSTREAM\0"
        data = b""
        while True:
            (size,) = struct.unpack("!L", self._read(4))
            if size == 0:
                break
            data += self._read(size)
        self.streams.append(data)
        if self.answer_error:
            self.request.sendall(b"INSTREAM size limit exceeded. ERROR\0")
        elif EICAR in data:
            self.request.sendall(b"stream: Eicar-Test-Signature FOUND\0")
        else:
            self.request.sendall(b"stream: OK\0")

    def _read(self, n: int) -> bytes:
        out = b""
        while len(out) < n:
            part = self.request.recv(n - len(out))
            if not part:
                raise ConnectionError
            out += part
        return out


@pytest.fixture
def clamd(settings):
    FakeClamd.streams, FakeClamd.answer_error = [], False
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeClamd)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.HAVEN_CLAMD_ADDRESS = f"tcp://127.0.0.1:{server.server_address[1]}"
    yield FakeClamd
    server.shutdown()
    server.server_close()


def _evidence(client, cast, content: bytes):
    case = make_case(cast.organisation, cast.staff)
    client.force_login(cast.officer)
    data = {
        "kind": "photo",
        "description": "Photo of the door",
        "file": SimpleUploadedFile("door.png", content),
    }
    return client.post(reverse("cases:evidence_add", args=[case.pk]), data)


@pytest.mark.django_db
def test_an_infected_evidence_file_is_refused_beside_the_field_and_not_stored(client, cast, clamd):
    response = _evidence(client, cast, PNG + EICAR)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [INFECTED_MESSAGE]
    assert b"Photo of the door" in response.content  # the rest of the input is kept
    assert not Evidence.objects.exists()
    assert clamd.streams == [PNG + EICAR]  # the whole file went to the scanner


@pytest.mark.django_db
def test_a_clean_evidence_file_is_scanned_and_kept(client, cast, clamd):
    response = _evidence(client, cast, PNG)
    assert response.status_code == 302
    assert Evidence.objects.get().size == len(PNG)
    assert clamd.streams == [PNG]


@pytest.mark.django_db
def test_when_the_scanner_cannot_answer_the_upload_is_refused_not_kept_unscanned(
    client, cast, clamd
):
    clamd.answer_error = True
    response = _evidence(client, cast, PNG)
    assert response.context["form"].errors["file"] == [UNAVAILABLE_MESSAGE]
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_when_the_scanner_is_down_the_upload_is_refused(client, cast, settings):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    settings.HAVEN_CLAMD_ADDRESS = f"tcp://127.0.0.1:{port}"  # nothing listens there
    response = _evidence(client, cast, PNG)
    assert response.context["form"].errors["file"] == [UNAVAILABLE_MESSAGE]
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_the_scanner_can_be_reached_on_a_unix_socket(client, cast, settings):
    FakeClamd.streams, FakeClamd.answer_error = [], False
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "clamd.ctl")
        server = socketserver.ThreadingUnixStreamServer(path, FakeClamd)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        settings.HAVEN_CLAMD_ADDRESS = f"unix://{path}"
        try:
            response = _evidence(client, cast, PNG + EICAR)
        finally:
            server.shutdown()
            server.server_close()
    assert response.context["form"].errors["file"] == [INFECTED_MESSAGE]


@pytest.mark.django_db
def test_without_a_scanner_address_nothing_is_scanned(client, cast, settings):
    settings.HAVEN_CLAMD_ADDRESS = ""
    assert _evidence(client, cast, PNG).status_code == 302


@pytest.mark.django_db
def test_an_infected_online_report_attachment_is_refused_and_the_report_not_sent(
    client, organisation, clamd
):
    infected = SimpleUploadedFile("photo.png", PNG + EICAR, "image/png")
    response = walk(client, "WCH", send={"upload": infected})
    assert response.status_code == 400
    assert INFECTED_MESSAGE.encode() in response.content
    assert not OnlineReport.objects.exists()
