"""Small shared PDF helper for guides and official notices: Chinese text and QR codes.

The font: a TrueType file is *embedded* when one is found (``settings.PDF_FONT_PATH`` or the environment
variable ``YIWANG_PDF_FONT``, then Debian's ``fonts-arphic-uming`` and ``fonts-wqy-microhei``). Only when no
file exists does it fall back to reportlab's built-in CID font ``STSong-Light``, which needs no file but
is not embedded (readers without Chinese fonts then show boxes).

Usage::

    pdf = pdf_document("办事指南", [
        ("h", "敬老优待证办理"), ("p", "……"), ("table", [["材料", "份数"], ["身份证", "1"]]),
        ("list", ["第一条", "第二条"]), ("qr", "https://example.org/guide/1"),
    ], subtitle="龙岗区政务服务数据管理局")
"""

from __future__ import annotations

import io
import os
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

CANDIDATE_FONTS = (
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
FALLBACK_FONT = "STSong-Light"
Block = tuple[str, Any]


def font_path() -> str | None:
    """The TrueType font file that will be embedded, or None when only the built-in CID font is available."""
    from django.conf import settings

    configured = getattr(settings, "PDF_FONT_PATH", "") or os.environ.get("YIWANG_PDF_FONT", "")
    for path in ([configured] if configured else []) + list(CANDIDATE_FONTS):
        if path and os.path.isfile(path):
            return path
    return None


@lru_cache(maxsize=4)
def _register(path: str | None) -> str:
    from reportlab.pdfbase import pdfmetrics

    if path is None:
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
        return FALLBACK_FONT
    from reportlab.pdfbase.ttfonts import TTFont

    name = "YiwangCJK-" + os.path.basename(path).split(".")[0]
    kwargs = {"subfontIndex": 0} if path.endswith(".ttc") else {}
    pdfmetrics.registerFont(TTFont(name, path, **kwargs))
    return name


def font_name() -> str:
    """Register (once) and return the font used for Chinese text."""
    return _register(font_path())


def qr_png(url: str, *, scale: int = 6) -> bytes:
    """A QR code for ``url`` as PNG bytes."""
    import segno

    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=scale, border=2)
    return buf.getvalue()


def qr_drawing(url: str, size: float = 90) -> Any:
    """A reportlab Drawing of a QR code for ``url`` (vector, for use inside a PDF)."""
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(url)
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing


def pdf_document(title: str, blocks: Iterable[Block], *, subtitle: str = "", footer: str = "") -> bytes:  # noqa: C901 - one branch per block type
    """An A4 PDF: a title, an optional subtitle, then blocks — ``("h", text)`` heading, ``("p", text)``
    paragraph, ``("list", [text, …])``, ``("table", [[cell, …], …])`` (first row is the header),
    ``("qr", url)`` QR code with the URL under it, ``("drawing", Drawing)`` a chart."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = font_name()
    base = ParagraphStyle("yw", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    styles = {
        "title": ParagraphStyle("yw-title", parent=base, fontSize=18, leading=24, alignment=1, spaceAfter=4),
        "subtitle": ParagraphStyle("yw-sub", parent=base, fontSize=10, alignment=1, textColor=colors.grey),
        "h": ParagraphStyle("yw-h", parent=base, fontSize=13, leading=18, spaceBefore=8, spaceAfter=3),
        "p": base,
        "cell": ParagraphStyle("yw-cell", parent=base, fontSize=9.5, leading=13),
    }

    def para(text: Any, style: str = "p") -> Paragraph:
        return Paragraph(escape(str(text)).replace("\n", "<br/>"), styles[style])

    story: list[Any] = [para(title, "title")]
    if subtitle:
        story.append(para(subtitle, "subtitle"))
    story.append(Spacer(1, 4 * mm))
    for kind, value in blocks:
        if kind == "h":
            story.append(para(value, "h"))
        elif kind == "p":
            story.append(para(value))
        elif kind == "list":
            for i, line in enumerate(value, start=1):
                story.append(para(f"{i}. {line}"))
        elif kind == "table":
            rows: Sequence[Sequence[Any]] = value
            if not rows:
                continue
            data = [[para(c, "cell") for c in row] for row in rows]
            table = Table(data, repeatRows=1, hAlign="LEFT")
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.append(table)
        elif kind == "drawing":  # a reportlab Drawing (a chart), drawn as vector graphics
            story.append(value)
        elif kind == "qr":
            story.append(Spacer(1, 3 * mm))
            story.append(qr_drawing(str(value)))
            story.append(para(value, "cell"))
        else:
            raise ValueError(f"unknown PDF block kind {kind!r}")
        story.append(Spacer(1, 2 * mm))

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, str(doc.page))
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        title=title,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
    )
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue()
