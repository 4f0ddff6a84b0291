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
