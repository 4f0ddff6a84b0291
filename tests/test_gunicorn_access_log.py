"""The web server's access log never keeps a query string or a Referer, where a name could
be (config/gunicorn.py, which the Dockerfile's CMD names)."""

import logging
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger

ROOT = Path(__file__).resolve().parents[1]


def _access_line(environ) -> str:
    cfg = Config()
    namespace: dict = {}
    exec((ROOT / "config" / "gunicorn.py").read_text(), namespace)
    for name in ("accesslog", "access_log_format"):
        cfg.set(name, namespace[name])
    logger = Logger(cfg)
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    logger.access_log.handlers = [Keep()]
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=42))
    assert len(records) == 1
    return records[0]


def test_access_log_line_has_the_path_but_no_query_string_nor_referer():
    line = _access_line(
        {
            "REQUEST_METHOD": "GET",
            "RAW_URI": "/cases/?q=Amina+Yusuf",
            "PATH_INFO": "/cases/",
            "QUERY_STRING": "q=Amina+Yusuf",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "10.0.0.2",
            "HTTP_REFERER": "https://haven.example/cases/?q=Amina+Yusuf",
            "HTTP_USER_AGENT": "Mozilla/5.0",
        }
    )
    assert '"GET /cases/ HTTP/1.1" 200 1234 42ms' in line
    assert "Amina" not in line
    assert "q=" not in line


def test_dockerfile_runs_gunicorn_with_haven_access_log_settings():
    cmd = next(line for line in (ROOT / "Dockerfile").read_text().splitlines() if "CMD" in line)
    assert '"--config", "config/gunicorn.py"' in cmd
