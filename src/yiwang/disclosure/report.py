"""The annual report on government information disclosure (政府信息公开工作年度报告), generated from the data in
the national template's tables: proactive disclosure (table 2), requests received and how they were handled
(table 3, by applicant), reconsideration and litigation (table 4), and fees — as a page, a PDF (embedded
font, a chart) and an Excel workbook, for any year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from yiwang.cases.models import CaseEvent
from yiwang.core.pdf import bar_chart, pdf_document
from yiwang.core.sheets import workbook

from . import selectors
from . import workflow as wf
from .models import DisclosureRequest
from .vocabulary import COLUMNS, REMEDY_OUTCOMES

# Table 3's result rows (the national template), and which reply (or ending) falls in each.
RESULT_ROWS: tuple[tuple[str, Any], ...] = (
    ("disclosed", gettext_lazy("(1) Disclosed")),
    ("partly", gettext_lazy("(2) Partly disclosed")),
    ("nd_state_secret", gettext_lazy("(3) Not disclosed — 1. state secret")),
    ("nd_law_forbids", gettext_lazy("(3) Not disclosed — 2. forbidden by other laws and regulations")),
    ("nd_security", gettext_lazy("(3) Not disclosed — 3. endangers security and stability")),
    ("nd_third_party", gettext_lazy("(3) Not disclosed — 4. protects a third party's lawful rights")),
    ("nd_internal", gettext_lazy("(3) Not disclosed — 5. internal affairs information")),
    ("nd_process", gettext_lazy("(3) Not disclosed — 6. process information")),
    ("nd_enforcement", gettext_lazy("(3) Not disclosed — 7. administrative enforcement case files")),
    ("nd_query", gettext_lazy("(3) Not disclosed — 8. administrative enquiry matters")),
    ("cannot_not_held", gettext_lazy("(4) Cannot be provided — 1. this office does not hold it")),
    ("cannot_make", gettext_lazy("(4) Cannot be provided — 2. would have to be made")),
    ("cannot_unclear", gettext_lazy("(4) Cannot be provided — 3. still unclear after correction")),
    ("nh_complaint", gettext_lazy("(5) Not handled — 1. petition, report or complaint")),
    ("nh_repeated", gettext_lazy("(5) Not handled — 2. repeated request")),
    ("nh_publication", gettext_lazy("(5) Not handled — 3. asks for a public publication")),
    ("nh_bulk", gettext_lazy("(5) Not handled — 4. many repeated requests without good reason")),
    ("nh_confirm", gettext_lazy("(5) Not handled — 5. asks to confirm or re-issue information obtained")),
    ("other_uncorrected", gettext_lazy("(6) Other — 1. not corrected in time, no longer handled")),
    ("other_fee", gettext_lazy("(6) Other — 2. fee not paid in time, no longer handled")),
    ("other", gettext_lazy("(6) Other — 3. other")),
)
REPLY_ROW = {
    "disclosed": "disclosed",
    "already_public": "disclosed",
    "partly_disclosed": "partly",
    "does_not_exist": "cannot_not_held",
    "not_this_office": "cannot_not_held",
    "repeated": "nh_repeated",
    "not_government_information": "nh_complaint",
}
GROUND_ROW = {
    "state_secret": "nd_state_secret",
    "law_forbids": "nd_law_forbids",
    "third_party": "nd_third_party",
    "internal": "nd_internal",
    "enforcement": "nd_enforcement",
}
APPLICANT_COLUMNS = ("person", "enterprise", "organisation")


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    rows: list[list[Any]]  # the first row is the header


def _result_key(req: DisclosureRequest, withdrawal: str) -> str:
    if req.reply_type == "not_disclosed":
        return GROUND_ROW.get(str(req.reply.get("ground", "")), "nd_internal")
    if req.reply_type:
        return REPLY_ROW[req.reply_type]
    return {"deem_withdrawn": "other_uncorrected", "fee_due": "other_fee"}.get(withdrawal, "other")


def _withdrawals(year: int) -> dict[int, str]:
    """The requests that ended without a reply in ``year``: deemed withdrawn, withdrawn while the fee was due,
    or withdrawn otherwise."""
    out: dict[int, str] = {}
    events = CaseEvent.objects.filter(case__kind=wf.KIND, to_status="withdrawn", at__year=year).values_list(
        "case_id", "action", "from_status"
    )
    for case_id, action, from_status in events:
        out[case_id] = "deem_withdrawn" if action == "deem_withdrawn" else from_status
    return out


def _requests_table(year: int) -> list[list[Any]]:
    figures = selectors.annual_figures(year)
    new = figures["by_applicant"]
    carried_in = dict(
        DisclosureRequest.objects.filter(receipt_date__year__lt=year)
        .filter(Q(replied_on__isnull=True) | Q(replied_on__year__gte=year))
        .exclude(case__status="withdrawn")
        .values_list("applicant_type")
        .annotate(n=Count("pk"))
        .values_list("applicant_type", "n")
    )
    results: dict[str, dict[str, int]] = {k: dict.fromkeys(APPLICANT_COLUMNS, 0) for k, _l in RESULT_ROWS}
    withdrawals = _withdrawals(year)
    handled = DisclosureRequest.objects.filter(Q(replied_on__year=year) | Q(pk__in=list(withdrawals)))
    for req in handled.only("pk", "applicant_type", "reply_type", "reply"):
        results[_result_key(req, withdrawals.get(req.pk, ""))][req.applicant_type] += 1
    carried_out = dict(
        DisclosureRequest.objects.filter(receipt_date__year__lte=year)
        .filter(Q(replied_on__isnull=True) | Q(replied_on__year__gt=year))
        .exclude(case__status="withdrawn")
        .values_list("applicant_type")
        .annotate(n=Count("pk"))
        .values_list("applicant_type", "n")
    )

    def row(label: Any, counts: dict[str, int]) -> list[Any]:
        values = [int(counts.get(c, 0)) for c in APPLICANT_COLUMNS]
        return [str(label), *values, sum(values)]

    rows = [
        [
            pgettext("annual report", "Item"),
            _("Natural persons"),
            _("Commercial enterprises"),
            _("Other organisations"),
            pgettext("annual report", "Total"),
        ],
        row(_("1. New requests received this year"), new),
        row(_("2. Requests carried over from last year"), carried_in),
    ]
    rows += [row(label, results[key]) for key, label in RESULT_ROWS]
    total = {c: sum(r[c] for r in results.values()) for c in APPLICANT_COLUMNS}
    rows.append(row(_("(7) Total handled"), total))
    rows.append(row(_("4. Carried over to next year"), carried_out))
    return rows


def _remedies_table(year: int) -> list[list[Any]]:
    replied = DisclosureRequest.objects.filter(replied_on__year=year)
    rows: list[list[Any]] = [
        [_("Proceeding"), *[str(v) for v in REMEDY_OUTCOMES.values()], pgettext("annual report", "Total")]
    ]
    for field, label in (
        ("reconsideration", _("Administrative reconsideration")),
        ("litigation", _("Administrative litigation")),
    ):
        counts = dict(
            replied.exclude(**{field: ""}).values_list(field).annotate(n=Count("pk")).values_list(field, "n")
        )
        values = [int(counts.get(k, 0)) for k in REMEDY_OUTCOMES]
        rows.append([label, *values, sum(values)])
    return rows


def annual_report(year: int) -> list[Table]:
    """The report's tables for ``year``, each with its header row."""
    p = selectors.proactive_figures(year)
    f = selectors.annual_figures(year)
    proactive = [
        [_("Information"), _("Made this year"), _("Repealed this year"), _("In force")],
        [_("Normative documents"), p["normative_issued"], p["normative_repealed"], p["normative_in_force"]],
    ]
    decisions = [
        [_("Information"), _("Decisions this year")],
        [_("Administrative licences"), f["licences"]],
        [_("Administrative penalties"), f["penalties"]],
    ]
    columns: list[list[Any]] = [[pgettext("disclosure", "Column"), _("Items first published this year")]]
    columns += [[str(label), int(p["items_by_column"].get(code, 0))] for code, label in COLUMNS.items()]
    columns += [
        [_("Policy interpretations"), p["interpretations"]],
        [_("of which, of normative documents"), p["interpretations_of_normative"]],
    ]
    fees = [[pgettext("annual report", "Item"), _("Amount")], [_("Fees charged (yuan)"), f["fees_yuan"]]]
    return [
        Table("proactive", _("2. Proactive disclosure: normative documents"), proactive),
        Table("decisions", _("2. Proactive disclosure: licensing and penalty decisions"), decisions),
        Table("columns", _("Proactive disclosure by column"), columns),
        Table("requests", _("3. Requests received and handled"), _requests_table(year)),
        Table("remedies", _("4. Administrative reconsideration and litigation"), _remedies_table(year)),
        Table("fees", _("6. Other matters: fees"), fees),
    ]


def report_title(year: int) -> str:
    return _("Annual report on government information disclosure, %(year)d") % {"year": year}


def annual_report_pdf(year: int, *, organ: str) -> bytes:
    tables = annual_report(year)
    blocks: list[tuple[str, Any]] = []
    for t in tables:
        blocks += [("h", t.title), ("figures", [[str(v) for v in r] for r in t.rows])]
        if t.key == "requests":
            body = t.rows[3:-2]
            blocks.append(
                (
                    "drawing",
                    bar_chart(
                        _("Results by row (total)"),
                        [str(i + 1) for i in range(len(body))],
                        [r[-1] for r in body],
                    ),
                )
            )
    return pdf_document(
        report_title(year),
        blocks,
        subtitle=organ,
        footer=_("Generated by the platform from its own records."),
    )


def annual_report_xlsx(year: int) -> bytes:
    return workbook([(t.title, t.rows) for t in annual_report(year)])
