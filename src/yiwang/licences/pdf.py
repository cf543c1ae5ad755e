"""The licence PDF: an A4 certificate with the embedded Chinese font (``core.pdf``), the fields, the issuing
office, the identifier and the QR code whose link carries the signed payload."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from reportlab.graphics import renderPDF
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from yiwang.core.pdf import font_name, qr_drawing

if TYPE_CHECKING:
    from .models import LicenceType, LicenceVersion


def verification_url(payload: str) -> str:
    """The link in the QR code: the public verification page with the compact payload."""
    return f"{settings.YIWANG_PUBLIC_BASE_URL.rstrip('/')}{reverse('licences:verify')}?p={quote(payload, safe='')}"


def _wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def _draw(
    *,
    title: str,
    rows: list[tuple[str, str]],
    issuer: str,
    identifier: str,
    signed_on: str,
    qr_url: str,
    watermark: str = "",
) -> bytes:
    font = font_name()
    buf = io.BytesIO()
    width, height = A4
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle(title)
    c.setStrokeColor(colors.HexColor("#b22222"))
    c.setLineWidth(2)
    c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    c.setLineWidth(0.6)
    c.rect(14 * mm, 14 * mm, width - 28 * mm, height - 28 * mm)
    c.setFillColor(colors.HexColor("#b22222"))
    c.setFont(font, 26)
    c.drawCentredString(width / 2, height - 42 * mm, title)
    c.setFont(font, 11)
    c.setFillColor(colors.black)
    c.drawCentredString(width / 2, height - 52 * mm, "电子证照 Electronic licence")
    y = height - 72 * mm
    for label, value in rows:
        c.setFont(font, 12)
        c.setFillColor(colors.HexColor("#444444"))
        c.drawString(28 * mm, y, label)
        c.setFillColor(colors.black)
        for line in _wrap(value, 30):
            c.drawString(70 * mm, y, line)
            y -= 7 * mm
        y -= 3 * mm
    c.setFont(font, 13)
    c.drawRightString(width - 28 * mm, 70 * mm, issuer)
    c.setFont(font, 11)
    c.drawRightString(width - 28 * mm, 63 * mm, signed_on)
    drawing = qr_drawing(qr_url, size=42 * mm)
    renderPDF.draw(drawing, c, 28 * mm, 30 * mm)
    c.setFont(font, 8)
    c.drawString(28 * mm, 26 * mm, "扫码核验 Scan to verify")
    c.drawString(28 * mm, 21 * mm, identifier)
    if watermark:
        c.saveState()
        c.setFont(font, 60)
        c.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.25))
        c.translate(width / 2, height / 2)
        c.rotate(35)
        c.drawCentredString(0, 0, watermark)
        c.restoreState()
    c.showPage()
    c.save()
    return buf.getvalue()


def _rows(
    ltype: LicenceType, holder: str, holder_no: str, fields: dict[str, Any], valid: str
) -> list[tuple[str, str]]:
    rows = [("持证主体", holder), ("证件号码", holder_no)]
    rows += [(str(f.get("label", f["key"])), str(fields.get(str(f["key"]), "") or "—")) for f in ltype.fields]
    rows.append(("有效期限", valid))
    return rows


def _validity(v_from: str, v_to: str) -> str:
    return f"{v_from} 至 {v_to}" if v_to else f"{v_from} 起长期有效"


def licence_pdf(version: LicenceVersion) -> bytes:
    ltype = version.licence.type
    return _draw(
        title=ltype.name,
        rows=_rows(
            ltype,
            version.holder_name,
            version.holder_number,
            dict(version.fields),
            _validity(
                version.valid_from.isoformat(), version.valid_to.isoformat() if version.valid_to else ""
            ),
        ),
        issuer=version.issuer_name,
        identifier=version.identifier,
        signed_on=timezone.localdate(version.signed_at).isoformat(),
        qr_url=verification_url(version.payload),
    )


def sample_pdf(ltype: LicenceType) -> bytes:
    """The type's sample (样本): its fields filled with the sample values, watermarked."""
    return _draw(
        title=ltype.name,
        rows=_rows(
            ltype,
            "（持证主体名称）",
            "（统一社会信用代码或身份证号码）",
            dict(ltype.sample),
            _validity("YYYY-MM-DD", "YYYY-MM-DD"),
        ),
        issuer="（发证机关）",
        identifier=f"1.2.156.3005.2.{ltype.code}.…",
        signed_on="YYYY-MM-DD",
        qr_url=f"{settings.YIWANG_PUBLIC_BASE_URL.rstrip('/')}{reverse('licences:verify')}",
        watermark="样本 SAMPLE",
    )


def qr_svg(url: str) -> str:
    """The QR code as inline SVG markup for the holder's page."""
    import segno

    return str(segno.make(url, error="m").svg_inline(scale=3, title="QR"))
