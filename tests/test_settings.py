import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_ALLOWED_HOSTS="haven.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", DJANGO_SECRET_KEY=secrets.token_urlsafe(60))
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_check_deploy_is_clean():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="haven.example",
        HAVEN_CLAMD_ADDRESS="tcp://clamav:3310",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_check_deploy_warns_when_uploads_are_not_scanned():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="haven.example",
        HAVEN_CLAMD_ADDRESS="",
    )
    assert result.returncode != 0
    assert "haven.W001" in result.stdout + result.stderr


def test_every_response_carries_the_security_headers(client, db):
    response = client.get("/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_private_files_are_stored_outside_the_web_root_and_not_served(admin_client):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    location = Path(default_storage.location).resolve()
    assert ROOT / "static" not in location.parents
    name = default_storage.save("probe/secret.txt", ContentFile(b"private"))
    try:
        for url in (f"/{name}", f"/media/{name}", f"/static/{name}", f"/private/{name}"):
            assert admin_client.get(url).status_code == 404
    finally:
        default_storage.delete(name)


LOADER_CLASS = (
    "from django.template import engines; "
    "print(type(engines['django'].engine.template_loaders[0]).__module__)"
)


@pytest.mark.parametrize("settings_module", ["config.settings.production", "config.settings.test"])
def test_templates_are_compiled_once_and_kept_outside_development(settings_module):
    """The cached loader: a page's templates are parsed once per process, not per request."""
    result = run_manage(
        "shell",
        "-c",
        LOADER_CLASS,
        DJANGO_SETTINGS_MODULE=settings_module,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="haven.example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.template.loaders.cached"
