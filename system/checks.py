"""Deployment checks for what Django's own ``check --deploy`` cannot know about Haven."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def uploads_are_scanned(app_configs, **kwargs):
    if settings.HAVEN_CLAMD_ADDRESS:
        return []
    return [
        Warning(
            "Uploaded evidence and online-report attachments are not scanned for viruses.",
            hint="Set HAVEN_CLAMD_ADDRESS to a ClamAV daemon (docker-compose.yml runs one).",
            id="haven.W001",
        )
    ]
