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


@contextmanager
def celery_processes(
    *, broker_url: str, tmp_path: Path, beat: bool = False, extra_env: dict | None = None
) -> Iterator[tuple[Celery, str]]:
    """Yield a producer app and a private queue name served by a real worker process."""
    queue = f"haven-test-{uuid.uuid4().hex[:8]}"
    folder = tmp_path / "broker" if broker_url.startswith("filesystem") else None
    if folder is not None:
        (folder / "control").mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "HAVEN_CELERY_DEFAULT_QUEUE": queue,
        **({"HAVEN_BROKER_FOLDER": str(folder)} if folder else {}),
        **(extra_env or {}),
    }
    celery = str(Path(sys.executable).parent / "celery")
    commands = [
        [
            celery,
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            f"--hostname=test-{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
    ]
    if beat:
        commands.append(
            [
                celery,
                "-A",
                "config",
                "beat",
                "--loglevel=WARNING",
                "--schedule",
                str(tmp_path / "beat-schedule"),
            ]
        )
    logs = [open(tmp_path / f"celery-{i}.log", "w") for i in range(len(commands))]  # noqa: SIM115
    processes = [
        subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        for cmd, log in zip(commands, logs, strict=True)
    ]
    try:
        yield producer(broker_url, folder), queue
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()


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
