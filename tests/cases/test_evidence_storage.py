"""Evidence on a full or read-only document store: a message beside the file field, the
rest of the form kept, and nothing left behind (no file without a row, no row without a
file), also when the row cannot be saved after the file was stored."""

import errno
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import reverse

from cases.models import Evidence
from tests.cases.factories import make_case
from tests.storage_faults import (
    files_under,
    remount,
    small_tmpfs,
    use_storage,
)

pytestmark = pytest.mark.django_db

# A PDF by its content (filetype reads the header), large enough to fill a small disk.
PDF = b"%PDF-1.4\n" + b"0" * (96 * 1024)


@pytest.fixture
def case(cast):
    return make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)


def attach(client, case):
    return client.post(
        reverse("cases:evidence_add", args=[case.pk]),
        {
            "kind": "document",
            "description": "Noise diary kept by the complainant",
            "file": SimpleUploadedFile("diary.pdf", PDF),
        },
    )


def refused_beside_the_field(response, words: str) -> None:
    assert response.status_code == 200
    error = response.context["form"].errors["file"][0]
    assert words in error and "Nothing was attached" in error
    assert b"Noise diary kept by the complainant" in response.content  # the input is kept


@pytest.mark.parametrize(
    ("refuse", "words"),
    [
        (errno.ENOSPC, "The document store is full"),
        (errno.EROFS, "The document store is read-only"),
    ],
)
def test_a_refused_upload_is_explained_beside_the_field_and_leaves_nothing(
    client, cast, case, settings, tmp_path, refuse, words
):
    use_storage(settings, tmp_path / "private", refuse=refuse)
    client.force_login(cast.officer)
    refused_beside_the_field(attach(client, case), words)
    assert Evidence.objects.count() == 0
    assert files_under(tmp_path / "private") == []  # not even a partial or empty file


def test_a_row_that_cannot_be_saved_takes_its_stored_file_with_it(
    client, cast, case, settings, tmp_path
):
    use_storage(settings, tmp_path / "private")
    client.force_login(cast.officer)
    with mock.patch.object(Evidence, "save", side_effect=OperationalError("database is locked")):
        response = attach(client, case)
    refused_beside_the_field(response, "could not be recorded")
    assert Evidence.objects.count() == 0
    assert files_under(tmp_path / "private") == []


def test_on_a_real_full_disk_the_upload_is_refused_then_accepted_once_there_is_room(
    client, cast, case, settings, tmp_path
):
    with small_tmpfs(tmp_path / "private", size="64k") as disk:
        use_storage(settings, disk)
        client.force_login(cast.officer)
        # 96 KB does not fit on 64 KB: the kernel stops the write part-way (ENOSPC).
        refused_beside_the_field(attach(client, case), "The document store is full")
        assert Evidence.objects.count() == 0 and files_under(disk) == []
        remount(disk, "size=256k")  # space returns
        assert attach(client, case).status_code == 302
        (evidence,) = Evidence.objects.all()
        assert files_under(disk) == [disk / evidence.file.name]


def test_on_a_real_read_only_disk_the_upload_is_refused_and_nothing_is_kept(
    client, cast, case, settings, tmp_path
):
    with small_tmpfs(tmp_path / "private", size="256k") as disk:
        use_storage(settings, disk)
        (disk / "evidence").mkdir()
        remount(disk, "ro")
        client.force_login(cast.officer)
        refused_beside_the_field(attach(client, case), "The document store is read-only")
        assert Evidence.objects.count() == 0
        remount(disk, "rw")
        assert files_under(disk) == []
