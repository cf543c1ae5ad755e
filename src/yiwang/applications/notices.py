"""Notices as the official documents they are (docs/adr/0059): 受理通知书, 补正材料一次性告知书, 不予受理通知书,
准予 / 不予行政许可决定书, 延期告知书, 特别程序告知书, 终止办理通知书, 送达回证, and the receipt and 容缺 promise.
Each kind has its own body; all share the layout of ``yiwang.core.pdf.official_document``: the issuing organ
(the department, not its section), the document's name and 文号 (per office, year and type, from the kernel's
numbering), the addressee, the content, the legal basis, for refusals the remedies naming the office's
reconsideration body and court, the date under the organ's name with its electronic seal, and the QR codes.
Rendered from the notice's recorded data when downloaded, in the language it was issued in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from yiwang.accounts.selectors import Letterhead, office_letterhead
from yiwang.core.pdf import document_date, official_document
from yiwang.core.text import remedies

from .vocabulary import DELIVERY_METHODS, REFUSAL_REASONS

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


def _render_notice(notice: CaseNotice) -> bytes:
    case = notice.case
    d: dict[str, Any] = notice.data or {}
    head = office_letterhead(case.owning_office)
    body = BODIES.get(notice.kind, _no_body)
    blocks = body(Document(case=case, app=case.application, data=d, head=head))
    codes = [(progress_url(case), _("Scan to check progress"))]
    if notice.kind in RATED_NOTICES:
        codes.append((rate_url(case, notice.kind), _("Scan to rate this service")))
    return official_document(
        organ=head.organ,
        title=notice.title,
        number=notice.document_number,
        addressee=_addressee(notice.kind, case, head),
        blocks=blocks,
        date=str(d.get("date") or timezone.localdate(notice.issued_at).isoformat()),
        seal=head.seal,
        codes=codes,
        footer=_("Check progress with the case number and the last 4 characters of your ID."),
    )


class Document:
    """What a body is written from: the case, its application, the notice's recorded data, the letterhead."""

    def __init__(self, *, case: Case, app: Any, data: dict[str, Any], head: Letterhead):
        self.case, self.app, self.data, self.head = case, app, data, head

    @property
    def item(self) -> str:
        return f"{self.app.item_version.name}（{self.app.item_version.code}）"

    @property
    def number(self) -> str:
        return self.case.number or ""

    def basis(self, text: str) -> tuple[str, Any]:
        return ("note", _("Legal basis: %(basis)s") % {"basis": text})

    def remedies(self) -> tuple[str, Any]:
        return ("note", remedies(self.head.reconsideration_body, self.head.court))


Blocks = list[tuple[str, Any]]


def _law(article: str) -> str:
    law = _("the Administrative Licensing Law of the People's Republic of China")
    return _("%(law)s, %(article)s") % {"law": law, "article": article}


def _no_body(doc: Document) -> Blocks:
    return [("p", doc.item)]


def _receipt(doc: Document) -> Blocks:
    blocks: Blocks = [("p", _("Case number: %(n)s. Item: %(item)s.") % {"n": doc.number, "item": doc.item})]
    _receipt_blocks(blocks, doc.case, doc.data)
    return blocks


def _acceptance(doc: Document) -> Blocks:
    d = doc.data
    received = document_date(doc.app.received_on.isoformat()) if doc.app.received_on else ""
    blocks: Blocks = [
        (
            "p",
            _(
                "Your application for %(item)s (case number %(n)s), received on %(d)s, has been examined: the "
                "materials are complete and in the statutory form, and the application is accepted."
            )
            % {"item": doc.item, "n": doc.number, "d": received},
        )
    ]
    if d.get("deemed"):
        blocks.append(
            (
                "p",
                _(
                    "No correction notice was given within 5 working days of receipt, so the application "
                    "counts as accepted on the day it was received (Administrative Licensing Law Art. 32)."
                ),
            )
        )
    due = _(" by %(d)s") % {"d": document_date(doc.case.due_date.isoformat())} if doc.case.due_date else ""
    blocks.append(
        (
            "p",
            _("We will decide within %(n)s working days of acceptance%(due)s, and tell you the decision.")
            % {"n": d.get("due_days", doc.app.committed_days), "due": due},
        )
    )
    blocks.append(doc.basis(_law(_("Article 32"))))
    return blocks


def _correction(doc: Document) -> Blocks:
    return [
        (
            "p",
            _(
                "Your application for %(item)s (case number %(n)s) is not yet complete. Please correct or supply "
                "all of the following at once (一次性告知):"
            )
            % {"item": doc.item, "n": doc.number},
        ),
        (
            "list",
            [
                _("%(material)s: %(problem)s")
                % {"material": i.get("material") or _("Other"), "problem": i.get("problem")}
                for i in doc.data.get("items", [])
            ],
        ),
        (
            "p",
            _(
                "The application counts as received on the day the corrections arrive complete. Bring or upload "
                "them with this notice's case number."
            ),
        ),
        doc.basis(_law(_("Article 32(4)"))),
    ]


def _refusal_reason(doc: Document) -> str:
    code = doc.data.get("reason_code", "")
    text = str(REFUSAL_REASONS[code]) if code in REFUSAL_REASONS else str(doc.data.get("reason", ""))
    return text.rstrip("。.")  # the sentence ends it


def _not_accepted(doc: Document) -> Blocks:
    blocks: Blocks = [
        (
            "p",
            _("Your application for %(item)s (case number %(n)s) is not accepted, for this reason: %(r)s.")
            % {"item": doc.item, "n": doc.number, "r": _refusal_reason(doc)},
        )
    ]
    if doc.data.get("guidance"):
        blocks.append(("p", _("What you can do next: %(g)s") % {"g": doc.data["guidance"]}))
    blocks += [doc.basis(_law(_("Article 32"))), doc.remedies()]
    return blocks


def _rejection(doc: Document) -> Blocks:
    blocks: Blocks = [
        (
            "p",
            _(
                "Having examined your application for %(item)s (case number %(n)s), we have decided not to "
                "grant the licence, for this reason: %(r)s."
            )
            % {"item": doc.item, "n": doc.number, "r": _refusal_reason(doc)},
        )
    ]
    if doc.data.get("guidance"):
        blocks.append(("p", _("What you can do next: %(g)s") % {"g": doc.data["guidance"]}))
    blocks += [doc.basis(_law(_("Article 38(2)"))), doc.remedies()]
    return blocks


def _validity(d: dict[str, Any]) -> str:
    if "validity_years" not in d:
        return _("As laid down by law for this matter")
    if not d["validity_years"]:
        return _("Permanent")
    return _("%(y)s years, from %(a)s to %(b)s") % {
        "y": d["validity_years"],
        "a": document_date(d.get("valid_from", "")),
        "b": document_date(d.get("valid_until", "")),
    }


def _approval(doc: Document) -> Blocks:
    d = doc.data
    basis = d.get("legal_basis") or ""
    return [
        (
            "p",
            _(
                "Having examined your application for %(item)s (case number %(n)s), we have decided to grant it."
            )
            % {"item": doc.item, "n": doc.number},
        ),
        (
            "form",
            [
                [_("Permitted matter"), d.get("permitted") or doc.app.item_version.name],
                [_("Result"), d.get("result_name") or "—"],
                [_("Validity"), _validity(d)],
                [
                    pgettext("permit", "Conditions"),
                    _(
                        "Carry on the permitted matter within the scope and conditions laid down by law and this decision."
                    ),
                ],
            ],
        ),
        (
            "p",
            _("The result is delivered as you chose: %(m)s.")
            % {"m": str(DELIVERY_METHODS.get(doc.app.delivery_method, doc.app.delivery_method))},
        ),
        doc.basis(f"{basis}；{_law(_('Article 38(1)'))}" if basis else _law(_("Article 38(1)"))),
    ]


def _rongque_promise(doc: Document) -> Blocks:
    d = doc.data
    blocks: Blocks = [
        (
            "p",
            _(
                "For my application for %(item)s (case number %(n)s), I promise to supply the following materials "
                "by %(d)s (%(days)s working days). The result is released only after they arrive; if they never "
                "arrive the application is terminated."
            )
            % {
                "item": doc.item,
                "n": doc.number,
                "d": document_date(str(d.get("deadline", ""))),
                "days": d.get("days"),
            },
        ),
        ("list", d.get("materials", [])),
    ]
    if d.get("signed_online"):
        blocks.append(("p", _("Signed online by the applicant when submitting the application.")))
    else:
        blocks.append(("p", _("Applicant's signature: ____________")))
    return blocks


def _extension(doc: Document) -> Blocks:
    due = document_date(doc.case.due_date.isoformat()) if doc.case.due_date else ""
    return [
        (
            "p",
            _(
                "The time limit for deciding your application for %(item)s (case number %(n)s) is extended by "
                "%(days)s working days with the approval of the office's head; the new due date is %(due)s. "
                "Reason: %(r)s"
            )
            % {
                "item": doc.item,
                "n": doc.number,
                "days": doc.data.get("days"),
                "due": due,
                "r": doc.data.get("reason", ""),
            },
        ),
        doc.basis(_law(_("Article 42"))),
    ]


def _pause(doc: Document) -> Blocks:
    d = doc.data
    return [
        (
            "p",
            _(
                "For your application for %(item)s (case number %(n)s), %(k)s is needed; this time is not counted "
                "in the time limit. Expected: about %(days)s days. We will tell you when it is over."
            )
            % {
                "item": doc.item,
                "n": doc.number,
                "k": d.get("pause", ""),
                "days": d.get("expected_days", ""),
            },
        ),
        doc.basis(_law(_("Article 45"))),
    ]


def _termination(doc: Document) -> Blocks:
    return [
        (
            "p",
            _(
                "The materials promised for your application for %(item)s (case number %(n)s) under the 容缺 "
                "promise did not arrive by the deadline; the application is terminated."
            )
            % {"item": doc.item, "n": doc.number},
        ),
        doc.basis(_("the applicant's 容缺 promise (容缺受理承诺书) and the item's service guide")),
    ]


def _delivery(doc: Document) -> Blocks:
    d = doc.data
    delivered = " ".join(x for x in (d.get("delivered_title", ""), d.get("delivered_number", "")) if x)
    hall = doc.app.return_hall.name if doc.app.return_hall_id else ""
    place = d.get("address") or hall or "—"
    return [
        (
            "form",
            [
                [_("Document delivered"), delivered or "—"],
                [_("Case number"), doc.number],
                [_("Recipient"), _applicant(doc.case)],
                [_("Method of delivery"), d.get("method", "")],
                [_("Place of delivery"), place],
                [_("Tracking number"), d.get("tracking_number") or "—"],
                [_("Date of delivery"), document_date(str(d.get("date", "")))],
                [_("Recipient's signature"), ""],
                [_("Delivered by"), ""],
            ],
        ),
        doc.basis(_law(_("Article 44"))),
    ]


FORMS = {"delivery"}  # documents that are forms to fill in (送达回证): addressed to no one
TO_THE_ORGAN = {"rongque_promise"}  # the applicant's own statement, addressed to the organ


def _addressee(kind: str, case: Case, head: Letterhead) -> str:
    if kind in FORMS:
        return ""
    return f"{head.organ if kind in TO_THE_ORGAN else _applicant(case)}："


BODIES = {
    "receipt": _receipt,
    "acceptance": _acceptance,
    "correction": _correction,
    "not_accepted": _not_accepted,
    "rejection": _rejection,
    "approval": _approval,
    "rongque_promise": _rongque_promise,
    "extension": _extension,
    "pause": _pause,
    "termination": _termination,
    "delivery": _delivery,
}
