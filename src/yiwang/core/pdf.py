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

from yiwang.core.text import seal_placeholder

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
    ``("figures", rows)`` a table of a wide label column and equal columns of figures,
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
        elif kind in ("table", "figures"):
            rows: Sequence[Sequence[Any]] = value
            if not rows:
                continue
            data = [[para(c, "cell") for c in row] for row in rows]
            widths = None
            if kind == "figures" and len(rows[0]) > 1:  # a wide label column, then equal number columns
                avail = A4[0] - 36 * mm
                label = avail * (0.55 if len(rows[0]) > 2 else 0.6)
                widths = [label] + [(avail - label) / (len(rows[0]) - 1)] * (len(rows[0]) - 1)
            table = Table(data, repeatRows=1, hAlign="LEFT", colWidths=widths)
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


def document_date(iso: str) -> str:
    """A document's date as official documents write it: 2026年12月3日 in Chinese (GB/T 9704), ISO otherwise."""
    from datetime import date

    from django.utils.translation import get_language

    try:
        d = date.fromisoformat(str(iso)[:10])
    except ValueError:
        return str(iso)
    if (get_language() or "").startswith("en"):
        return d.isoformat()
    return f"{d.year}年{d.month}月{d.day}日"


def _sign_off(organ: str, date_text: str, seal: bytes | None, font: str, width: float) -> Any:
    """The organ's name and the date, right-aligned, with the electronic seal over them (a dashed circle
    marked 印章 where the office has none configured)."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Flowable

    class SignOff(Flowable):
        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            return width, 44 * mm

        def draw(self) -> None:
            c = self.canv
            size = 40 * mm
            text_right = width - 8 * mm
            text_centre = (
                text_right - max(c.stringWidth(organ, font, 11), c.stringWidth(date_text, font, 11)) / 2
            )
            x, y = text_centre - size / 2, 2 * mm
            if seal:
                c.drawImage(ImageReader(io.BytesIO(seal)), x, y, size, size, mask="auto")
            else:
                c.saveState()
                c.setStrokeColor(colors.HexColor("#c0392b"))
                c.setDash(3, 3)
                c.circle(text_centre, y + size / 2, size / 2)
                c.setFillColor(colors.HexColor("#c0392b"))
                c.setFont(font, 9)
                c.drawCentredString(text_centre, y + 6 * mm, seal_placeholder())
                c.restoreState()
            c.setFont(font, 11)
            c.drawRightString(text_right, y + size / 2 + 4 * mm, organ)
            c.drawRightString(text_right, y + size / 2 - 4 * mm, date_text)

    return SignOff()


def official_document(  # noqa: C901 - one branch per block type
    *,
    organ: str,
    title: str,
    blocks: Iterable[Block],
    date: str,
    number: str = "",
    addressee: str = "",
    seal: bytes | None = None,
    codes: Sequence[tuple[str, str]] = (),
    footer: str = "",
) -> bytes:
    """An official document (执法文书) on A4: the issuing organ and the document's name centred, its 文号, the
    addressee ("王五："), the body, then the organ's name and the date with its seal, and QR codes with
    captions at the foot. Blocks: ``("p", text)`` an indented paragraph, ``("h", text)``, ``("list", […])``,
    ``("table", rows)`` with a header row, ``("form", rows)`` a two-column form without header (送达回证),
    ``("note", text)`` small print (legal basis, remedies)."""
    from xml.sax.saxutils import escape

    from reportlab.graphics.shapes import Drawing, Line
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = font_name()
    body_size = 12
    base = ParagraphStyle("doc", fontName=font, fontSize=body_size, leading=21, wordWrap="CJK")
    styles = {
        "organ": ParagraphStyle("doc-organ", parent=base, fontSize=16, leading=22, alignment=1),
        "title": ParagraphStyle(
            "doc-title", parent=base, fontSize=20, leading=28, alignment=1, spaceBefore=2
        ),
        "number": ParagraphStyle("doc-number", parent=base, fontSize=11, alignment=1, textColor=colors.black),
        "addressee": ParagraphStyle("doc-to", parent=base, spaceBefore=6),
        "p": ParagraphStyle("doc-p", parent=base, firstLineIndent=2 * body_size),
        "h": ParagraphStyle("doc-h", parent=base, fontSize=13, spaceBefore=4),
        "note": ParagraphStyle("doc-note", parent=base, fontSize=10.5, leading=17, firstLineIndent=2 * 10.5),
        "cell": ParagraphStyle("doc-cell", parent=base, fontSize=11, leading=16),
        "caption": ParagraphStyle("doc-cap", parent=base, fontSize=8, leading=10, alignment=1),
    }

    def para(text: Any, style: str = "p") -> Paragraph:
        return Paragraph(escape(str(text)).replace("\n", "<br/>"), styles[style])

    width = A4[0] - 2 * 26 * mm
    rule = Drawing(width, 4)
    rule.add(Line(0, 2, width, 2, strokeColor=colors.HexColor("#c0392b"), strokeWidth=1.2))
    story: list[Any] = [para(organ, "organ"), para(title, "title")]
    if number:
        story.append(para(number, "number"))
    story += [Spacer(1, 2 * mm), rule, Spacer(1, 3 * mm)]
    if addressee:
        story.append(para(addressee, "addressee"))
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    for kind, value in blocks:
        if kind in ("p", "h", "note"):
            story.append(para(value, kind))
        elif kind == "list":
            for i, line in enumerate(value, start=1):
                story.append(para(f"{i}. {line}", "p"))
        elif kind in ("table", "form"):
            rows: Sequence[Sequence[Any]] = value
            if not rows:
                continue
            data = [[para(c, "cell") for c in row] for row in rows]
            widths = [width * 0.3, width * 0.7] if kind == "form" and len(rows[0]) == 2 else None
            table = Table(data, colWidths=widths, repeatRows=1 if kind == "table" else 0, hAlign="CENTER")
            style = TableStyle(grid.getCommands())
            if kind == "table":
                style.add("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2"))
            else:
                style.add("TOPPADDING", (0, 0), (-1, -1), 7)
                style.add("BOTTOMPADDING", (0, 0), (-1, -1), 7)
            table.setStyle(style)
            story.append(table)
        else:
            raise ValueError(f"unknown document block kind {kind!r}")
        story.append(Spacer(1, 1.5 * mm))
    story.append(Spacer(1, 6 * mm))
    story.append(_sign_off(organ, document_date(date), seal, font, width))
    if codes:
        cells = [
            [qr_drawing(url, size=70 if len(codes) > 1 else 80), para(caption, "caption")]
            for url, caption in codes
        ]
        table = Table([[Table([[d], [c]]) for d, c in cells]], hAlign="LEFT")
        story += [Spacer(1, 4 * mm), table]

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(26 * mm, 12 * mm, footer)
        canvas.drawRightString(A4[0] - 26 * mm, 12 * mm, str(doc.page))
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, title=title, leftMargin=26 * mm, rightMargin=26 * mm, topMargin=25 * mm,
        bottomMargin=22 * mm,
    )  # fmt: skip
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue()


def bar_chart(title: str, labels: list[str], values: list[int]) -> Any:
    """A bar chart for a PDF's ``("drawing", …)`` block: one series, Chinese labels, values on the bars."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    font = font_name()
    d = Drawing(460, 180)
    d.add(String(0, 166, title, fontName=font, fontSize=10))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, 400, 120
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#2f6fb0")
    chart.barLabelFormat = "%d"
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    d.add(chart)
    return d
