"""The 答复书 (reply to a request for government information) as a PDF with the embedded CJK font."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from yiwang.core.pdf import pdf_document

from .vocabulary import NOT_DISCLOSED_GROUNDS, REMEDIES, REPLY_FIELDS, REPLY_TYPES, ground_label

if TYPE_CHECKING:
    from datetime import date

    from yiwang.cases.models import Case

    from .models import DisclosureRequest


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def reply_text(row: DisclosureRequest) -> str:
    """The reply's body from its type's template and content."""
    t = REPLY_TYPES[row.reply_type]
    values = _Blank({k: str(v) for k, v in row.reply.items()})
    if "ground" in values:
        values["ground"] = ground_label(values["ground"])
    if values.get("right_office"):
        values["right_office"] = _("Please apply to: %(office)s.") % {"office": values["right_office"]}
    return str(t.template) % values


def reply_pdf(case: Case, row: DisclosureRequest, day: date) -> bytes:
    t = REPLY_TYPES[row.reply_type]
    office = case.owning_office
    basis = t.basis
    ground = row.reply.get("ground")
    if ground in NOT_DISCLOSED_GROUNDS:
        basis = f"{basis}；{NOT_DISCLOSED_GROUNDS[ground][1]}"
    details = [
        [str(REPLY_FIELDS.get(k, k)), ground_label(v) if k == "ground" else v] for k, v in row.reply.items()
    ]
    blocks: list[tuple[str, Any]] = [
        ("p", f"{row.applicant_name}："),
        (
            "p",
            _(
                "On %(day)s this office received your request for government information (no. %(number)s): %(what)s"
            )
            % {"day": row.receipt_date, "number": case.number, "what": row.description[:500]},
        ),
        ("h", str(t.label)),
        ("p", reply_text(row)),
    ]
    if details:
        blocks.append(("table", [[pgettext("disclosure", "Item"), _("Content")], *details]))
    blocks += [
        ("h", _("Legal basis")),
        ("p", basis),
        ("h", _("Remedies")),
        ("p", str(REMEDIES)),
        ("p", _("%(office)s (seal)") % {"office": office.name}),
        ("p", f"{day:%Y}年{day.month}月{day.day}日"),
    ]
    return pdf_document(
        _("Reply to a request for government information"),
        blocks,
        subtitle=f"{office.name} · {case.number}",
        footer=_("[Seal of %(office)s]") % {"office": office.name},
    )


def reply_pdf_official(case: Case, row: DisclosureRequest, day: date) -> bytes:
    """The official 答复书 is issued in the site's language (Chinese), whatever the officer's page language."""
    with translation.override(settings.LANGUAGE_CODE):
        return reply_pdf(case, row, day)
