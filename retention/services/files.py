"""Removing stored files once the anonymisation or deletion that let them go has committed."""

import logging

from django.core.files.storage import default_storage

from ..models import FileRemoval

logger = logging.getLogger(__name__)

BATCH = 500


def files_remove_queued() -> int:
    """Remove the queued files and their rows; a file already gone counts as removed. One
    that cannot be removed now (the store is down) stays queued for the next sweep."""
    removed = []
    for row in FileRemoval.objects.all()[:BATCH]:
        try:
            if default_storage.exists(row.name):
                default_storage.delete(row.name)
        except OSError:
            logger.warning("retention: file removal %s failed; kept for the next sweep", row.pk)
            continue
        removed.append(row.pk)
    FileRemoval.objects.filter(pk__in=removed).delete()
    return len(removed)
