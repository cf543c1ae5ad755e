"""Notices as PDF (acceptance, correction 一次性告知, non-acceptance, 容缺 promise, decisions, delivery receipt):
the office's name, the date, and a QR code to the public progress page. Rendered from the notice's recorded
data when downloaded, through the shared ``yiwang.core.pdf`` helper (embedded Chinese font)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from yiwang.core.pdf import pdf_document

from .vocabulary import REFUSAL_REASONS

if TYPE_CHECKING:
    from yiwang.cases.models import Case, CaseNotice


def progress_url(case: Case) -> str:
    base = str(getattr(settings, "YIWANG_PUBLIC_BASE_URL", "")).rstrip("/")
    return f"{base}{reverse('applications:progress')}?number={case.number or ''}"


RATED_NOTICES = {
    "acceptance": "application.acceptance",
    "approval": "application.result",
    "rejection": "application.result",
    "not_accepted": "application.result",
}


def rate_url(case: Case, kind: str) -> str:
    """The satisfaction review's page for this notice (好差评: one review at acceptance, one at the result)."""
    base = str(getattr(settings, "YIWANG_PUBLIC_BASE_URL", "")).rstrip("/")
    token = getattr(getattr(case, "application", None), "public_token", "") or ""
    return (
        f"{base}{reverse('feedback:rate')}?service={RATED_NOTICES[kind]}&number={case.number or ''}"
        f"&code={token}&via=qr"
    )


def _applicant(case: Case) -> str:
    ent = case.applicant_enterprise
    if ent is not None:
        return f"{ent.name}（{ent.credit_code}）"
    p = case.applicant_person
    return f"{p.name}（{p.masked_id}）" if p else ""


def _received_text(row: dict[str, Any], promised_by: str) -> str:
    state = row.get("state")
    if state == "promised" or (state == "missing" and promised_by):
        return _("To be supplied by %(d)s (容缺)") % {"d": promised_by}
    if state != "provided":
        return _("Not received yet")
    if row.get("licence"):
        return _("Electronic: from the applicant's e-licence")
    if row.get("files"):
        return ngettext("Electronic: %(n)s file", "Electronic: %(n)s files", row["files"]) % {
            "n": row["files"]
        }
    originals, copies = row.get("originals", 0), row.get("copies", 0)
    if not originals and not copies:
        return _("Received on paper")
    return _("Paper: originals %(o)s, copies %(c)s") % {"o": originals, "c": copies}


def _receipt_blocks(blocks: list[tuple[str, Any]], case: Case, d: dict[str, Any]) -> None:
    where = _("online") if d.get("channel") == "online" else _("at a window")
    blocks.append(
        (
            "p",
            _("The following materials were received %(where)s on %(d)s.")
            % {"where": where, "d": d.get("received_on") or d.get("date", "")},
        )
    )
    promised_by = str(d.get("promised_by") or "")
    rows = [[_("Material"), _("What was received")]]
    rows += [[str(r.get("name", "")), _received_text(r, promised_by)] for r in d.get("materials", [])]
    blocks.append(("table", rows))
    blocks.append(
        (
            "p",
            _(
                "This receipt records what was received; it is not a decision on acceptance. The office "
                "decides within 5 working days of receipt (Administrative Licensing Law Art. 32)."
            ),
        )
    )


def render_notice(notice: CaseNotice) -> bytes:
    """The notice's PDF, in the language it was issued in (the district's language for older notices),
    whatever the reader's interface language."""
    language = str((notice.data or {}).get("language") or settings.LANGUAGE_CODE)
    with translation.override(language):
        return _render_notice(notice)


def _render_notice(notice: CaseNotice) -> bytes:  # noqa: C901 - one block per kind of notice
    case = notice.case
    app = case.application
    d: dict[str, Any] = notice.data or {}
    office = case.owning_office
    office_name = f"{office.department.name if office.department is not None else ''}{office.name}"
    rows = [
        [_("Case number"), case.number or ""],
        [_("Applicant"), _applicant(case)],
        [_("Item"), f"{app.item_version.code} {app.item_version.name}"],
    ]
    blocks: list[tuple[str, Any]] = [("table", [[_("Field"), _("Value")], *rows])]
    kind = notice.kind
    if kind == "acceptance":
        text = _("Your application has been accepted. A decision will be made within %(n)s working days.") % {
            "n": d.get("due_days", app.committed_days)
        }
        if d.get("deemed"):
            text += " " + _(
                "No correction notice was given within 5 working days of receipt, so the application "
                "counts as accepted on the day it was received (Administrative Licensing Law Art. 32)."
            )
        blocks.append(("p", text))
        if case.due_date:
            blocks.append(("p", _("Due date: %(d)s") % {"d": case.due_date.isoformat()}))
    elif kind == "receipt":
        _receipt_blocks(blocks, case, d)
    elif kind == "correction":
        blocks.append(("p", _("Please correct or supply all of the following at once (一次性告知):")))
        blocks.append(
            ("list", [f"{i.get('material') or _('Other')}: {i.get('problem')}" for i in d.get("items", [])])
        )
    elif kind == "rongque_promise":
        blocks.append(
            (
                "p",
                _(
                    "The applicant promises to supply the following materials by %(d)s (%(n)s working "
                    "days). The result is released only after they arrive; if they never arrive the "
                    "application is terminated."
                )
                % {"d": d.get("deadline"), "n": d.get("days")},
            )
        )
        blocks.append(("list", d.get("materials", [])))
        if d.get("signed_online"):
            blocks.append(("p", _("Signed online by the applicant when submitting the application.")))
        else:
            blocks.append(("p", _("Applicant's signature: ____________")))
    elif kind in {"not_accepted", "rejection"}:
        blocks.append(("h", _("Reason")))
        code = d.get("reason_code", "")
        blocks.append(("p", str(REFUSAL_REASONS[code]) if code in REFUSAL_REASONS else d.get("reason", "")))
        blocks.append(("h", _("What you can do next")))
        blocks.append(("p", d.get("guidance", "")))
        blocks.append(
            (
                "p",
                _(
                    "You may apply for administrative reconsideration within 60 days or bring an "
                    "administrative lawsuit within 6 months."
                ),
            )
        )
    elif kind == "approval":
        blocks.append(("p", _("Your application has been approved.")))
    elif kind == "extension":
        blocks.append(
            (
                "p",
                _(
                    "The time limit is extended by %(n)s working days with the approval of the office's "
                    "head. Reason: %(r)s"
                )
                % {"n": d.get("days"), "r": d.get("reason", "")},
            )
        )
    elif kind == "pause":
        blocks.append(
            (
                "p",
                _(
                    "%(k)s is needed; this time is not counted in the time limit (Administrative "
                    "Licensing Law Art. 45). Expected: about %(n)s days."
                )
                % {"k": d.get("pause", ""), "n": d.get("expected_days", "")},
            )
        )
    elif kind == "delivery":
        blocks.append(
            (
                "p",
                _("The result was delivered: %(m)s %(t)s")
                % {"m": d.get("method", ""), "t": d.get("tracking_number", "")},
            )
        )
    elif kind == "termination":
        blocks.append(
            ("p", _("The promised materials did not arrive by the deadline; the application is terminated."))
        )
    blocks.append(("p", f"{office_name}    {d.get('date', notice.issued_at.date().isoformat())}"))
    blocks.append(("qr", progress_url(case)))
    if kind in RATED_NOTICES:
        blocks.append(("p", _("Rate this service (scan the code):")))
        blocks.append(("qr", rate_url(case, kind)))
    return pdf_document(
        notice.title,
        blocks,
        subtitle=office_name,
        footer=_("Check progress with the case number and the last 4 characters of your ID."),
    )
