"""The production stack: a TLS proxy in front of gunicorn, forwarded headers trusted only from
it, no server banner, the admin site only for platform staff, Permissions-Policy everywhere."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent.parent
COMPOSE = (ROOT / "docker-compose.yml").read_text()
CADDYFILE = ROOT / "deploy" / "Caddyfile"
DOCKERFILE = (ROOT / "Dockerfile").read_text()
POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def service(name: str) -> str:
    """The text of one top-level service in docker-compose.yml (PyYAML is not installed)."""
    match = re.search(rf"^  {name}:\n(.*?)(?=^  \S|^\S|\Z)", COMPOSE, re.M | re.S)
    assert match, f"no {name} service"
    return match.group(1)


def test_compose_puts_caddy_in_front_and_publishes_no_port_of_gunicorn():
    proxy = service("proxy")
    assert "image: caddy:2" in proxy
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy
    assert '"443:443"' in proxy
    assert CADDYFILE.exists()
    assert "reverse_proxy web:8000" in CADDYFILE.read_text()
    assert "ports:" not in service("web")
    assert "8000:8000" not in COMPOSE


def test_gunicorn_trusts_forwarded_headers_only_from_the_proxy():
    assert "forwarded-allow-ips" not in DOCKERFILE
    assert '"*"' not in DOCKERFILE
    proxy_address = re.search(r"^x-proxy-address: &proxy-address (\S+)$", COMPOSE, re.M)
    assert proxy_address
    assert "ipv4_address: *proxy-address" in service("proxy")
    assert "FORWARDED_ALLOW_IPS: *proxy-address" in service("web")
    assert not re.search(r"FORWARDED_ALLOW_IPS:\s*['\"]?\*['\"]?\s*$", COMPOSE, re.M)
    assert "HAVEN_CLIENT_IP_HEADER: HTTP_X_FORWARDED_FOR" in COMPOSE


def test_caddy_strips_the_server_banner_and_sends_the_permissions_policy():
    caddyfile = CADDYFILE.read_text()
    assert "-Server" in caddyfile
    assert "header_down -Server" in caddyfile
    assert POLICY in caddyfile


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose not installed")
def test_compose_file_is_valid():
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "x",
        "DJANGO_ALLOWED_HOSTS": "haven.example",
        "POSTGRES_PASSWORD": "x",
    }
    result = subprocess.run(
        ["docker-compose", "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_production_trusts_x_forwarded_proto_which_caddy_sets():
    production = (ROOT / "config" / "settings" / "production.py").read_text()
    assert 'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")' in production


@pytest.mark.django_db
def test_every_response_has_a_permissions_policy(client, cast):
    assert client.get(reverse("login"))["Permissions-Policy"] == POLICY
    assert client.get(reverse("home"))["Permissions-Policy"] == POLICY  # a redirect
    client.force_login(cast.officer)
    assert client.get(reverse("home"))["Permissions-Policy"] == POLICY
    assert client.get("/no-such-page/")["Permissions-Policy"] == POLICY


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "officer", "manager", "panel", "admin", "outsider"])
def test_admin_site_is_a_404_for_a_signed_in_user_who_is_not_platform_staff(client, cast, role):
    client.force_login(cast.by_role()[role])
    for path in ("/admin/", "/admin/login/", "/admin/accounts/user/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Django administration" not in response.content.decode()


@pytest.mark.django_db
def test_admin_site_is_a_404_when_signed_out(client):
    response = client.get("/admin/login/")
    assert response.status_code == 404
    assert "Django administration" not in response.content.decode()


@pytest.mark.django_db
def test_platform_staff_reach_the_admin_site(client, cast):
    cast.admin.is_staff = True
    cast.admin.is_superuser = True
    cast.admin.save()
    client.force_login(cast.admin)
    assert client.get("/admin/").status_code == 200
