"""Start a real Celery worker (and beat) against the test database for end-to-end tests."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from celery import Celery
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The URL of the database the tests are using right now (the test database)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}{password}@{host}/{s['NAME']}"


def producer(broker_url: str, broker_folder: Path | None) -> Celery:
    app = Celery("haven-test-producer", broker=broker_url, set_as_current=False)
    # An explicit write URL: Celery lets $CELERY_BROKER_URL override ``broker`` otherwise.
    app.conf.broker_write_url = broker_url
    if broker_folder is not None:
        app.conf.broker_transport_options = {
            "data_folder_in": str(broker_folder),
            "data_folder_out": str(broker_folder),
            "control_folder": str(broker_folder / "control"),
        }
    app.conf.task_serializer = "json"
    return app


def celery_env(
    *, broker_url: str, queue: str, folder: Path | None = None, extra_env: dict | None = None
) -> dict:
    """The environment of a worker, beat or web process against the test database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "HAVEN_CELERY_DEFAULT_QUEUE": queue,
        **({"HAVEN_BROKER_FOLDER": str(folder)} if folder else {}),
        **(extra_env or {}),
    }


def worker_command(queue: str, *, pool: str = "solo", concurrency: int = 1) -> list[str]:
    celery = str(Path(sys.executable).parent / "celery")
    return [
        celery,
        "-A",
        "config",
        "worker",
        f"--pool={pool}",
        *([f"--concurrency={concurrency}"] if pool != "solo" else []),
        "-Q",
        queue,
        f"--hostname=test-{queue}-{uuid.uuid4().hex[:4]}@%h",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=WARNING",
    ]


def beat_command(schedule: Path) -> list[str]:
    celery = str(Path(sys.executable).parent / "celery")
    return [celery, "-A", "config", "beat", "--loglevel=WARNING", "--schedule", str(schedule)]


def spawn(command: list[str], *, env: dict, log: Path) -> subprocess.Popen:
    """Start one process with its output appended to ``log``."""
    with open(log, "a") as handle:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen, *, timeout: float = 15) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


@contextmanager
def celery_processes(
    *, broker_url: str, tmp_path: Path, beat: bool = False, extra_env: dict | None = None
) -> Iterator[tuple[Celery, str]]:
    """Yield a producer app and a private queue name served by a real worker process."""
    queue = f"haven-test-{uuid.uuid4().hex[:8]}"
    folder = tmp_path / "broker" if broker_url.startswith("filesystem") else None
    if folder is not None:
        (folder / "control").mkdir(parents=True, exist_ok=True)
    env = celery_env(broker_url=broker_url, queue=queue, folder=folder, extra_env=extra_env)
    commands = [worker_command(queue)]
    if beat:
        commands.append(beat_command(tmp_path / "beat-schedule"))
    processes = [
        spawn(cmd, env=env, log=tmp_path / f"celery-{i}.log") for i, cmd in enumerate(commands)
    ]
    try:
        yield producer(broker_url, folder), queue
    finally:
        for process in processes:
            stop(process)


def wait_for(condition: Callable[[], bool], *, timeout: float = 45, logs: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    detail = ""
    if logs is not None:
        detail = "\n".join(p.read_text()[-3000:] for p in sorted(logs.glob("celery-*.log")))
    raise AssertionError(f"Condition not met within {timeout}s.\n{detail}")


class CeleryCluster:
    """Worker and beat processes a test can kill and replace (fault tests)."""

    def __init__(self, *, broker_url: str, tmp_path: Path, extra_env: dict | None = None):
        self.queue = f"haven-test-{uuid.uuid4().hex[:8]}"
        self.tmp_path = tmp_path
        folder = tmp_path / "broker" if broker_url.startswith("filesystem") else None
        if folder is not None:
            (folder / "control").mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "HAVEN_CELERY_DEFAULT_QUEUE": self.queue,
            **({"HAVEN_BROKER_FOLDER": str(folder)} if folder else {}),
            **(extra_env or {}),
        }
        self.app = producer(broker_url, folder)
        self.processes: list[subprocess.Popen] = []
        self._logs: list = []

    def _start(self, args: list[str]) -> subprocess.Popen:
        celery = str(Path(sys.executable).parent / "celery")
        log = open(self.tmp_path / f"celery-{len(self._logs)}.log", "w")  # noqa: SIM115
        self._logs.append(log)
        process = subprocess.Popen(
            [celery, "-A", "config", *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def start_worker(self, *, pool: str = "solo", concurrency: int = 1) -> subprocess.Popen:
        return self._start(
            [
                "worker",
                f"--pool={pool}",
                f"--concurrency={concurrency}",
                "-Q",
                self.queue,
                f"--hostname=test-{uuid.uuid4().hex[:6]}-{self.queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ]
        )

    def start_beat(self) -> subprocess.Popen:
        schedule = self.tmp_path / "beat-schedule"
        return self._start(["beat", "--loglevel=WARNING", "--schedule", str(schedule)])

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in self._logs:
            log.close()


@contextmanager
def celery_cluster(
    *, broker_url: str, tmp_path: Path, extra_env: dict | None = None
) -> Iterator[CeleryCluster]:
    cluster = CeleryCluster(broker_url=broker_url, tmp_path=tmp_path, extra_env=extra_env)
    try:
        yield cluster
    finally:
        cluster.stop()


def child_pids(pid: int) -> list[int]:
    """The pool children of a prefork worker (Linux /proc)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []
