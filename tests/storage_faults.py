"""A document store on a full or read-only disk, for the tests of what Haven keeps then.

``RefusingStorage`` raises ``OSError(ENOSPC)`` or ``OSError(EROFS)`` the way a real disk
does (a full disk leaves the partly written file behind). ``small_tmpfs`` mounts a real
tmpfs of a few kilobytes (root only; it can be remounted read-only, which ``chmod`` cannot
do for root), for the tests that want the kernel's own errors.
"""

import errno
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage


class RefusingStorage(FileSystemStorage):
    def __init__(self, *, refuse: int, **kwargs):
        super().__init__(**kwargs)
        self.refuse = refuse

    def _save(self, name, content):
        if self.refuse == errno.ENOSPC:
            # The disk filled part-way through the write: half the first chunk is on disk.
            path = Path(self.path(name))
            path.parent.mkdir(parents=True, exist_ok=True)
            chunk = next(iter(content.chunks()), b"")
            path.write_bytes(chunk[: len(chunk) // 2])
        raise OSError(self.refuse, os.strerror(self.refuse))


def storage_settings(location: Path, refuse: int | None = None) -> dict:
    if refuse is None:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        }
    return {
        "BACKEND": "tests.storage_faults.RefusingStorage",
        "OPTIONS": {"location": str(location), "refuse": refuse},
    }


def use_storage(settings, location: Path, refuse: int | None = None) -> None:
    """Point the default (private) storage at ``location``, refusing writes if asked."""
    settings.STORAGES = {**settings.STORAGES, "default": storage_settings(location, refuse)}


def files_under(folder: Path) -> list[Path]:
    """Every file left in the storage folder (what an orphan check walks)."""
    return sorted(Path(root) / name for root, _, names in os.walk(folder) for name in names)


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True)


@contextmanager
def small_tmpfs(path: Path, *, size: str = "64k") -> Iterator[Path]:
    """A real filesystem of ``size`` at ``path``; skips the test where mounting is refused."""
    path.mkdir(parents=True, exist_ok=True)
    try:
        _mount("-t", "tmpfs", "-o", f"size={size},mode=0750", "tmpfs", str(path))
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False, capture_output=True)


def remount(path: Path, mode: str) -> None:
    _mount("-o", f"remount,{mode}", str(path))
