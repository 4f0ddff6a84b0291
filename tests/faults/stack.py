"""A private Haven for one fault experiment: its own Redis on a spare port, a gunicorn web
server (DEBUG off, test settings, cache and broker on that Redis), Celery worker and beat,
all against the test database; plus an HTTP client that signs in and posts forms with CSRF
like a browser, and a reader for the e-mails the processes wrote to files."""

from __future__ import annotations

import contextlib
import email
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.workers import beat_command, celery_env, spawn, stop, worker_command

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Redis:
    """redis-server with nothing kept on disk: stopped and started again, it comes back
    empty, as a Redis without persistence does after a crash."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: _answers(self.port), timeout=15, what="redis-server to answer")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()  # as a crash: nothing is flushed
            self.process.wait(timeout=10)
            self.process = None


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def wait_until(condition, *, timeout: float, what: str, every: float = 0.5) -> float:
    """Wait for ``condition``; returns the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(every)
    raise AssertionError(f"Waited {timeout:.0f}s for {what}")


@dataclass
class Stack:
    """The processes of one experiment. ``extra_env`` is given to every Haven process."""

    folder: Path
    extra_env: dict = field(default_factory=dict)
    queue: str = field(default_factory=lambda: f"haven-fault-{uuid.uuid4().hex[:8]}")
    web_port: int = field(default_factory=free_port)
    processes: dict = field(default_factory=dict)

    def __post_init__(self):
        self.redis = Redis(self.folder)
        self.mail_folder = self.folder / "mail"
        self.mail_folder.mkdir(parents=True, exist_ok=True)

    @property
    def env(self) -> dict:
        return celery_env(
            broker_url=self.redis.url(7),
            queue=self.queue,
            extra_env={
                "HAVEN_TEST_CACHE_REDIS_URL": self.redis.url(8),
                "HAVEN_TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "HAVEN_TEST_EMAIL_FILE_PATH": str(self.mail_folder),
                "HAVEN_LOG_LEVEL": "WARNING",
                **self.extra_env,
            },
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def log(self, name: str) -> Path:
        return self.folder / f"{name}.log"

    def start_web(self) -> None:
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        command = [gunicorn, "config.wsgi:application", "--bind", f"127.0.0.1:{self.web_port}"]
        command += ["--workers", "2", "--threads", "4", "--timeout", "60"]
        self.processes["web"] = spawn(command, env=self.env, log=self.log("web"))
        wait_until(self._web_answers, timeout=60, what="gunicorn to answer")

    def _web_answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.base_url + "/healthz", timeout=2) as response:
                return response.status == 200
        except (OSError, urllib.error.HTTPError):
            return False

    def start_worker(self, *, pool: str = "solo", concurrency: int = 1) -> subprocess.Popen:
        command = worker_command(self.queue, pool=pool, concurrency=concurrency)
        self.processes["worker"] = spawn(command, env=self.env, log=self.log("worker"))
        return self.processes["worker"]

    def start_beat(self) -> subprocess.Popen:
        command = beat_command(self.folder / "beat-schedule")
        self.processes["beat"] = spawn(command, env=self.env, log=self.log("beat"))
        return self.processes["beat"]

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self, name: str) -> None:
        stop(self.processes.pop(name))

    def close(self) -> None:
        for name in list(self.processes):
            process = self.processes.pop(name)
            if name == "worker":
                _kill_children(process.pid)
            stop(process)
        self.redis.stop()

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text()[-4000:]}" for path in self.folder.glob("*.log")
        )

    def mails(self) -> list[email.message.Message]:
        return read_mails(self.mail_folder)


def pool_children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _kill_children(pid: int) -> None:
    for child in pool_children(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)


SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def read_mails(folder: Path) -> list[email.message.Message]:
    """Every message Django's file backend wrote to ``folder`` (one file per connection)."""
    messages = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk.lstrip(b"\n")))
    return messages


def recipients(messages) -> Counter:
    return Counter(message["To"] for message in messages)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Response:
    status: int
    body: str
    location: str = ""


class Browser:
    """One person's browser: cookies kept, redirects not followed, CSRF token sent back."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )

    def _csrf(self) -> str:
        return next((c.value for c in self.cookies if c.name == "csrftoken"), "")

    def request(self, path: str, data: dict | None = None) -> Response:
        body = None
        if data is not None:
            fields = {"csrfmiddlewaretoken": self._csrf(), **data}
            body = urllib.parse.urlencode(fields, doseq=True).encode()
        return self._open(urllib.request.Request(self.base_url + path, data=body))

    def post_file(self, path: str, data: dict, *, field: str, name: str, content: bytes):
        """A multipart form post with one file, as a browser sends an upload."""
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in {"csrfmiddlewaretoken": self._csrf(), **data}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        request = urllib.request.Request(
            self.base_url + path,
            data=b"".join(parts),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        return self._open(request)

    def _open(self, request) -> Response:
        try:
            with self.opener.open(request, timeout=30) as response:
                return Response(response.status, response.read().decode(errors="replace"))
        except urllib.error.HTTPError as error:
            return Response(
                error.code, error.read().decode(errors="replace"), error.headers.get("Location", "")
            )

    def get(self, path: str) -> Response:
        return self.request(path)

    def post(self, path: str, data: dict) -> Response:
        return self.request(path, data)

    def sign_in(self, email_address: str, password: str) -> None:
        """The password, then the code the person's authenticator shows (set up for them
        here if they have none, as a member who enrolled earlier)."""
        from accounts.models import User
        from tests.signin import authenticator_for, next_code

        user = User.objects.get(email__iexact=email_address)
        authenticator_for(user)
        self.get("/login/")
        response = self.post("/login/", {"username": email_address, "password": password})
        assert response.status == 302, (response.status, response.body[:500])
        assert response.location.endswith("/two-factor/code/"), response.location
        self.get("/two-factor/code/")
        response = self.post("/two-factor/code/", {"code": next_code(user)})
        assert response.status == 302, (response.status, response.body[:500])


def hidden(body: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', body)
    assert match, f"no {name} in the page"
    return match.group(1)


def attachments(messages) -> Counter:
    """How many times each attached file name was sent (a letter's PDF names its id)."""
    return Counter(
        part.get_filename()
        for message in messages
        for part in message.walk()
        if part.get_filename()
    )
