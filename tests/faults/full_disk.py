"""Private storage that fails as a full disk does while a flag file exists: the first part of
the file is written, then ``OSError(ENOSPC)``. Named by the disk-fault experiment in
HAVEN_TEST_STORAGE_BACKEND; the flag (HAVEN_TEST_DISK_FULL_FLAG) is shared by every process."""

import errno
import os
from pathlib import Path

from django.core.files.storage import FileSystemStorage


def disk_full() -> bool:
    flag = os.environ.get("HAVEN_TEST_DISK_FULL_FLAG", "")
    return bool(flag) and Path(flag).exists()


class FullDiskStorage(FileSystemStorage):
    def _save(self, name, content):
        if not disk_full():
            return super()._save(name, content)
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        content.seek(0)
        first = content.read(512)
        with open(path, "wb") as handle:  # a partial file, as a real full disk leaves
            handle.write(first[: len(first) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
