"""A bounded load run: gunicorn serving Haven with DEBUG off (``config/gunicorn.py``, on the
loopback only) and a few users at once for a fixed time, first on the anonymous sign-in page,
then on the officers' mix (case list, case page, My work). The two rates come from the same
server in the same run, so their ratio holds even on a busy machine.

The users are threads of this process on keep-alive HTTP connections (http.client): they
wait on the socket, so they take little of the CPU gunicorn needs. Each officer user is
signed in by a session written the way ``Client.force_login`` writes it; its key travels
only in the cookie header to 127.0.0.1.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from statistics import median
from time import monotonic, perf_counter, sleep
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.urls import reverse

from accounts.models import Role

from .pages import load_average, percentile, signed_in
from .volume import Volume, typical_case

HOST = "127.0.0.1"
WORKERS = 2
THREADS = 4
STARTUP_SECONDS = 60
MIX_LABEL = "officers' mix: list, case page, My work"

Request = Callable[[int, int], tuple[str, dict[str, str]]]


@dataclass
class Phase:
    """What the users got in one phase."""

    label: str
    users: int
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    load_average: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return median(self.latencies_ms) if self.latencies_ms else float("inf")

    @property
    def p95(self) -> float:
        return percentile(self.latencies_ms, 95) if self.latencies_ms else float("inf")


@dataclass(frozen=True)
class LoadResult:
    sign_in: Phase
    mix: Phase

    @property
    def share(self) -> float:
        """The officers' mix's rate as a share of the sign-in page's."""
        return self.mix.rate / self.sign_in.rate if self.sign_in.rate else 0.0


def load_run(*, volume: Volume, seconds: float, users: int) -> LoadResult:
    officers = list(
        volume.organisation.memberships.filter(role=Role.OFFICER)
        .select_related("user")
        .order_by("user__email")
    )[:users]
    cookies, cases = [], []
    for membership in officers:
        client = signed_in(membership.user)
        cookies.append(
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
        case = typical_case(
            organisation=volume.organisation, officer=membership.user, busy=volume.busy_case
        )
        cases.append(reverse("cases:detail", args=[case.pk]))
    mix_paths = [reverse("cases:list"), None, reverse("deadlines:my_work")]

    def officer_request(user: int, n: int) -> tuple[str, dict[str, str]]:
        path = mix_paths[(user + n) % len(mix_paths)] or cases[user % len(cases)]
        return path, {"Cookie": cookies[user % len(cookies)]}

    def sign_in_request(user: int, n: int) -> tuple[str, dict[str, str]]:
        return reverse("login"), {}

    with gunicorn_serving() as port:
        sign_in = _phase(port, "sign-in page, anonymous", seconds, users, sign_in_request)
        mix = _phase(port, MIX_LABEL, seconds, users, officer_request)
    return LoadResult(sign_in=sign_in, mix=mix)


def _phase(port: int, label: str, seconds: float, users: int, request: Request) -> Phase:
    phase = Phase(label, users)
    lock = threading.Lock()
    start = threading.Barrier(users + 1)

    def user(index: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        start.wait()
        n = 0
        while monotonic() < deadline:
            path, headers = request(index, n)
            n += 1
            began = perf_counter()
            try:
                conn.request("GET", path, headers={"Host": HOST, **headers})
                response = conn.getresponse()
                response.read()
                failed = response.status != 200
            except (OSError, http.client.HTTPException):
                failed = True
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
            elapsed = (perf_counter() - began) * 1000
            with lock:
                phase.latencies_ms.append(elapsed)
                phase.errors += failed
        conn.close()

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    for thread in threads:
        thread.start()
    deadline = monotonic() + seconds
    began = monotonic()
    start.wait()
    for thread in threads:
        thread.join()
    phase.seconds = monotonic() - began
    phase.load_average = load_average()
    return phase


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{os.path.abspath(db['NAME'])}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn_serving():
    """gunicorn on a free loopback port with Haven's gunicorn settings and DEBUG off, on this
    process's database and secret key (so the sessions written here are valid there)."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": _database_url(),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--config",
        str(settings.BASE_DIR / "config" / "gunicorn.py"),
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--access-logfile",
        os.devnull,
    ]
    with tempfile.TemporaryFile() as errors:
        server = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
        try:
            _wait_until_serving(server, port, errors)
            yield port
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_serving(server: subprocess.Popen, port: int, errors) -> None:
    give_up = monotonic() + STARTUP_SECONDS
    while monotonic() < give_up:
        if server.poll() is not None:
            errors.seek(0)
            raise RuntimeError(f"gunicorn stopped: {errors.read().decode()[-2000:]}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", reverse("login"), headers={"Host": HOST})
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {STARTUP_SECONDS} s.")
