"""The shared PDF helper: a real PDF, the Chinese font embedded when a font file exists (STSong-Light
otherwise), and a QR code."""

from __future__ import annotations

import base64
import re
import zlib
from typing import Any

import pytest

from yiwang.core import pdf


def streams(data: bytes) -> list[bytes]:
    """The PDF's streams, decoded (reportlab writes Flate, or ASCII85 over Flate for page content)."""
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)\s*endstream", data, re.S):
        raw = raw.strip()
        if raw.endswith(b"~>"):
            raw = base64.a85decode(raw[:-2])
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return out


def rectangles(data: bytes) -> int:
    """Rectangles drawn on the pages (``x y w h re``), counted in the page content streams only."""
    pattern = re.compile(rb"-?[\d.]+ -?[\d.]+ -?[\d.]+ -?[\d.]+ re\b")
    return sum(len(pattern.findall(s)) for s in streams(data) if b" Tf" in s)


def test_qr_png_is_a_png() -> None:
    png = pdf.qr_png("https://example.org/catalogue/items/LG06001-00-00/")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.skipif(
    pdf.font_path() is None, reason="no CJK TrueType font installed (CI installs fonts-arphic-uming)"
)
def test_the_font_file_is_embedded() -> None:
    data = pdf.pdf_document("办事指南", [("h", "敬老优待证办理"), ("p", "年满60周岁的老年人。")])
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert b"/FontFile2" in data
    assert b"STSong-Light" not in data


def test_without_a_font_file_it_falls_back_to_stsong(monkeypatch: Any, settings: Any) -> None:
    settings.PDF_FONT_PATH = ""
    monkeypatch.delenv("YIWANG_PDF_FONT", raising=False)
    monkeypatch.setattr(pdf, "CANDIDATE_FONTS", ())
    assert pdf.font_path() is None
    data = pdf.pdf_document("办事指南", [("p", "年满60周岁的老年人。")])
    assert b"/STSong-Light" in data
    assert b"/FontFile2" not in data


def test_a_configured_font_path_wins_when_the_file_exists(settings: Any, tmp_path: Any) -> None:
    import os

    second = next((p for p in pdf.CANDIDATE_FONTS[1:] if os.path.isfile(p)), None)
    if second is None:
        pytest.skip("needs a second CJK font (fonts-wqy-microhei)")
    settings.PDF_FONT_PATH = second
    assert pdf.font_path() == second
    settings.PDF_FONT_PATH = str(tmp_path / "missing.ttf")
    assert pdf.font_path() != settings.PDF_FONT_PATH


def test_the_qr_block_draws_the_code() -> None:
    without = pdf.pdf_document("指南", [("p", "正文")])
    with_qr = pdf.pdf_document("指南", [("p", "正文"), ("qr", "https://example.org/g/1")])
    # A QR code of version 2+ has hundreds of dark modules, each drawn as a filled rectangle.
    assert rectangles(without) < 5
    assert rectangles(with_qr) > 150


def test_unknown_blocks_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown PDF block kind 'img'"):
        pdf.pdf_document("x", [("img", b"")])
