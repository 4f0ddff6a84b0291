"""Private storage full (a storage that writes part of the file, then raises
OSError(ENOSPC)): evidence uploads are refused beside the field with nothing left behind,
closure letters wait with the reason shown, and are sent exactly once when space returns."""

import contextlib
import time
from pathlib import Path

import pytest
from django.urls import reverse

from cases.models import Evidence, OnlineReport
from letters.models import Letter, LetterKind, LetterStatus

from .stack import Browser, attachments, wait_until
from .workload import PASSWORD, case_with_victim, close_case_by_http

pytestmark = pytest.mark.fault

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
SWEEP_SECONDS = 15


def stored_files(root: Path) -> dict[str, int]:
    return {
        str(path.relative_to(root)): path.stat().st_size
        for path in root.rglob("*")
        if path.is_file()
    }


def referenced() -> set[str]:
    names = set(Evidence.objects.values_list("file", flat=True))
    names |= set(Letter.objects.exclude(pdf="").values_list("pdf", flat=True))
    names |= set(OnlineReport.objects.exclude(upload="").values_list("upload", flat=True))
    return names


def test_full_disk_refuses_uploads_cleanly_and_letters_are_sent_once_when_space_returns(
    stack, people, tmp_path
):
    private = tmp_path / "private"
    flag = tmp_path / "disk-full"
    stack.extra_env.update(
        {
            "HAVEN_TEST_STORAGE_BACKEND": "tests.faults.full_disk.FullDiskStorage",
            "HAVEN_TEST_PRIVATE_ROOT": str(private),
            "HAVEN_TEST_DISK_FULL_FLAG": str(flag),
            "HAVEN_LETTER_SWEEP_SECONDS": str(SWEEP_SECONDS),
        }
    )
    evidence_case = case_with_victim(people, 0)
    to_close = [case_with_victim(people, n) for n in range(1, 4)]
    stack.redis.start()
    stack.start_web()
    stack.start_worker()
    stack.start_beat()
    officer = Browser(stack.base_url)
    officer.sign_in(people.officer.email, PASSWORD)

    flag.touch()  # the disk is full from here
    uploads = [
        officer.post_file(
            reverse("cases:evidence_add", args=[evidence_case.pk]),
            {"kind": "photo", "description": f"Photo of the graffiti {n}"},
            field="file",
            name="door.png",
            content=PNG,
        )
        for n in range(3)
    ]
    closures = [close_case_by_http(officer, case) for case in to_close]
    letters = Letter.objects.filter(kind=LetterKind.CLOSURE)
    time.sleep(2 * SWEEP_SECONDS)  # the worker and a sweep try, and fail, to store the PDFs
    while_full = {
        "upload statuses": [r.status for r in uploads],
        "uploads kept the description": sum(
            f"Photo of the graffiti {n}" in r.body for n, r in enumerate(uploads)
        ),
        "evidence rows": Evidence.objects.count(),
        "closures saved": sum(r.status == 302 for r in closures),
        "letters sent": letters.filter(status=LetterStatus.SENT).count(),
        "letters with a reason shown": letters.exclude(failure="").count(),
        "orphan files": sorted(set(stored_files(private)) - referenced()),
    }
    print(f"\nwhile the disk was full: {while_full}")

    flag.unlink()  # space returns
    returned = time.monotonic()
    with contextlib.suppress(AssertionError):  # counted and asserted below either way
        wait_until(
            lambda: letters.filter(status=LetterStatus.SENT).count() == len(to_close),
            timeout=240,
            what="the closure letters to be sent after space returned",
        )
    time.sleep(SWEEP_SECONDS + 2)
    per_letter = attachments(stack.mails())
    files = stored_files(private)
    after = {
        "letters sent": letters.filter(status=LetterStatus.SENT).count(),
        "e-mailed once": sum(1 for count in per_letter.values() if count == 1),
        "e-mailed twice or more": sum(1 for count in per_letter.values() if count > 1),
        "empty files": sorted(name for name, size in files.items() if size == 0),
        "orphan files": sorted(set(files) - referenced()),
        "seconds to send after space returned": round(time.monotonic() - returned),
    }
    print(f"after space returned: {after}")

    assert 500 not in while_full["upload statuses"]
    assert set(while_full["upload statuses"]) <= {200, 400}
    assert while_full["uploads kept the description"] == 3
    assert while_full["evidence rows"] == 0
    assert while_full["closures saved"] == len(to_close)
    assert while_full["letters sent"] == 0
    assert while_full["letters with a reason shown"] == len(to_close)
    assert while_full["orphan files"] == []
    assert after["letters sent"] == len(to_close) == after["e-mailed once"]
    assert after["e-mailed twice or more"] == 0
    assert after["empty files"] == [] and after["orphan files"] == []
