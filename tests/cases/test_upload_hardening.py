"""Uploads: refused by size before they are read, active PDF content refused, files served as sandboxed
downloads (docs/rules.md §9)."""

from __future__ import annotations

import zlib
from typing import Any

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.test import override_settings

from yiwang.cases.uploads import check_upload, pdf_active_content, read_upload
from yiwang.core.errors import ServiceError

CLEAN = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf_with(body: bytes) -> bytes:
    return b"%PDF-1.4\n1 0 obj" + body + b"endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(
    ("pdf", "found"),
    [
        (_pdf_with(b"<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>"), ["JS", "JavaScript"]),
        (_pdf_with(b"<</OpenAction<</S/J#61vaScript/J#53(x)>>>>"), ["JS", "JavaScript"]),  # #xx escapes
        (_pdf_with(b"<</OpenAction<</S/Launch/F(cmd.exe)>>>>"), ["Launch"]),
        (_pdf_with(b"<</Names<</EmbeddedFiles 3 0 R>>>>"), ["EmbeddedFiles"]),
        # hidden in a compressed object stream
        (
            _pdf_with(
                b"<</Type/ObjStm/Filter/FlateDecode>>stream\n"
                + zlib.compress(b"<</S/JavaScript/JS(app.alert(1))>>")
                + b"\nendstream"
            ),
            ["JS", "JavaScript"],
        ),
    ],
)
def test_active_pdf_content_is_found_and_refused(pdf: bytes, found: list[str]) -> None:
    assert pdf_active_content(pdf) == found
    with pytest.raises(ServiceError) as refused:
        check_upload(pdf, name="a.pdf")
    assert refused.value.as_dict()["code"] == "active_content"


def test_a_plain_pdf_is_accepted() -> None:
    assert pdf_active_content(CLEAN) == []
    assert check_upload(CLEAN, name="a.pdf") == "pdf"


@override_settings(CASES_MAX_UPLOAD_BYTES=1000)
def test_a_file_over_the_limit_is_refused_before_it_is_read() -> None:
    upload = TemporaryUploadedFile("big.pdf", "application/pdf", 1001, None)
    upload.write(b"%PDF-" + b"0" * 996)
    upload.seek(0)
    with pytest.raises(ServiceError) as refused:
        read_upload(upload)
    assert refused.value.as_dict()["code"] == "too_large" and upload.tell() == 0
    upload.close()


@pytest.mark.django_db
@override_settings(REQUEST_MAX_BYTES=1000)
@pytest.mark.parametrize("path", ["/api/applications/receive", "/workbench/"])
def test_a_body_over_the_request_limit_is_refused_unread(client_for: Any, path: str) -> None:
    r = client_for("clerk").post(
        path,
        b"x" * 10,
        content_type="application/octet-stream",
        CONTENT_LENGTH="200000000",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 413
    text = r.json()["message"] if path.startswith("/api/") else r.content.decode()
    assert "190.7\xa0MB" in text and "at most 1000\xa0bytes" in text


@pytest.mark.django_db
def test_an_attachment_is_served_as_a_sandboxed_download(world: Any, client_for: Any) -> None:
    from django.urls import reverse

    from tests.applications.builders import code_of, make_item
    from yiwang.applications import services as s

    item = make_item(world)
    case = s.application_receive(
        actor=world.users["clerk"],
        item=item,
        person=world.other_person,
        uploads=[s.Upload(code_of(item, 1), CLEAN, "a.pdf")],
    )
    att = case.attachments.get()
    r = client_for("clerk").get(reverse("applications:attachment", args=[att.pk]))
    assert r.status_code == 200 and r.content == CLEAN
    assert r["Content-Disposition"] == f'attachment; filename="{att.pk}.pdf"'
    assert r["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert r["X-Content-Type-Options"] == "nosniff"
