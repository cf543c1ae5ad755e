"""Attachments are recognised by content (magic bytes), never by name; size-limited; stored under generated names."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import override_settings

from yiwang.cases.uploads import check_upload, sniff
from yiwang.core.errors import ServiceError


def _zip(names: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in names:
            z.writestr(n, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
    ],
)
def test_allowed_types_by_content(data: bytes, kind: str) -> None:
    assert check_upload(data, name="whatever.exe") == kind


def test_ofd_is_a_zip_with_ofd_xml() -> None:
    assert check_upload(_zip(["OFD.xml", "Doc_0/Document.xml"]), name="证照.ofd") == "ofd"


def test_renamed_exe_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ServiceError) as err:
        check_upload(b"MZ\x90\x00" + b"\x00" * 60, name="申请书.pdf")
    assert err.value.code == "file_type"
    assert "Windows" in str(err.value) or "程序" in str(err.value)


def test_plain_zip_is_refused() -> None:
    with pytest.raises(ServiceError) as err:
        check_upload(_zip(["a.txt"]), name="材料.ofd")
    assert err.value.code == "file_type"
    assert sniff(b"PK\x03\x04") == "zip"


def test_empty_file_is_refused() -> None:
    with pytest.raises(ServiceError):
        check_upload(b"", name="x.pdf")


@override_settings(CASES_MAX_UPLOAD_BYTES=1024)
def test_oversized_upload_is_refused() -> None:
    with pytest.raises(ServiceError) as err:
        check_upload(b"%PDF-" + b"0" * 2000, name="big.pdf")
    assert err.value.code == "too_large"
