"""Readers of government information disclosure: tracking, the office inbox, the public 双公示 search and
its exchange export, and the figures of the annual report."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from openpyxl import Workbook

from yiwang.accounts.models import Office
from yiwang.cases.access import cases_visible
from yiwang.cases.models import Case, CaseNotice
from yiwang.core import ratelimit
from yiwang.core.errors import RateLimited, ServiceError

from . import workflow as wf
from .models import (
    DisclosureItem,
    DisclosureRequest,
    Interpretation,
    NormativeDocument,
    PenaltyDecision,
    Publication,
)
from .services import identity_key
from .vocabulary import FIVE_DISCLOSURES, KEY_AREAS

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from yiwang.accounts.access import Visitor


TRACK_MAX_MISSES = 10  # wrong 4-character guesses per guesser, and at one request number, per hour
TRACK_MISSES_UNDER_ATTACK = 3  # per guesser at a request number that has had TRACK_MAX_MISSES


class TooManyAttempts(ServiceError):
    status = 429
    default_code = "rate_limited"


def request_track(number: str, last4: str, *, guessers: Sequence[str]) -> Case | None:
    """The public tracking page: a request by its number and the last 4 characters of the applicant's ID
    number or telephone (nothing else identifies it). Guesses are limited by who guesses as well as by the
    request, as the progress lookup of applications (``ratelimit.guess``): a right answer is never refused
    because of other people's guesses."""
    last4 = (last4 or "").strip().upper()
    number = (number or "").strip()
    if len(last4) != 4 or not number:
        return None
    case = (
        Case.objects.filter(kind=wf.KIND, number=number).select_related("disclosure", "owning_office").first()
    )
    if case is None:
        return None
    row = case.disclosure
    try:
        right = ratelimit.guess(
            scope="disclosure:track",
            target=str(case.pk),
            guessers=guessers,
            check=lambda: last4 in {row.id_last4, row.phone_last4} - {""},
            per_guesser=TRACK_MAX_MISSES,
            per_target=TRACK_MAX_MISSES,
            under_attack=TRACK_MISSES_UNDER_ATTACK,
        )
    except RateLimited as exc:
        raise TooManyAttempts(exc.message) from exc
    return case if right else None


def office_inbox(user: Visitor) -> QuerySet[Case]:
    """The office's open requests by time left (the partial open-cases index)."""
    return (
        cases_visible(user, kind=wf.KIND, staff_only=True)
        .filter(is_open=True)
        .select_related("disclosure")
        .order_by("due_date", "id")
    )


def requests_of(key_source: str) -> QuerySet[DisclosureRequest]:
    return DisclosureRequest.objects.filter(applicant_key=identity_key(key_source))


@dataclass(frozen=True)
class PublicationQuery:
    name: str = ""
    credit_code: str = ""
    office: str = ""  # office code
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None


def publications_search(q: PublicationQuery, *, today: date | None = None) -> QuerySet[Publication]:
    """The public 双公示 search: published, not withdrawn, not expired; newest decisions first."""
    today = today or timezone.localdate()
    qs = Publication.objects.filter(
        withdrawn_on__isnull=True, published_on__isnull=False, expires_on__gte=today
    )
    if q.kind:
        qs = qs.filter(kind=q.kind)
    if q.credit_code:
        qs = qs.filter(credit_code=q.credit_code.strip().upper())
    if q.name:
        qs = qs.filter(party_name__contains=q.name.strip())
    if q.office:
        qs = qs.filter(office__code=q.office.strip())
    if q.date_from:
        qs = qs.filter(decided_on__gte=q.date_from)
    if q.date_to:
        qs = qs.filter(decided_on__lte=q.date_to)
    return qs.select_related("office").order_by("-decided_on", "-id")


# The credit platform's exchange columns (行政许可/行政处罚 信息公示 standard column set).
EXPORT_COLUMNS = (
    ("kind", "信息类别"),
    ("decision_number", "决定文书号"),
    ("title", "决定事项名称"),
    ("party_name", "行政相对人名称"),
    ("party_kind", "行政相对人类别"),
    ("credit_code", "统一社会信用代码"),
    ("id_masked", "证件号码"),
    ("content", "内容"),
    ("basis", "依据"),
    ("decided_on", "决定日期"),
    ("expires_on", "公示截止期"),
    ("office", "决定机关"),
)


def _values(p: Publication) -> list[str]:
    kinds = {"licence": "行政许可", "penalty": "行政处罚"}
    parties = {"natural": "自然人", "legal": "法人及非法人组织"}
    return [
        kinds.get(p.kind, p.kind),
        p.decision_number,
        p.title,
        p.party_name,
        parties.get(p.party_kind, p.party_kind),
        p.credit_code,
        p.id_masked,
        p.content,
        p.basis,
        p.decided_on.isoformat(),
        p.expires_on.isoformat(),
        p.office.name,
    ]


def publications_csv(rows: QuerySet[Publication], *, limit: int = 100_000) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([c[1] for c in EXPORT_COLUMNS])
    for p in rows[:limit].iterator(chunk_size=2000):
        w.writerow(_values(p))
    return buf.getvalue()


def publications_xlsx(rows: QuerySet[Publication], *, limit: int = 100_000) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("双公示")
    ws.append([c[1] for c in EXPORT_COLUMNS])
    for p in rows[:limit].iterator(chunk_size=2000):
        ws.append(_values(p))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def annual_figures(year: int) -> dict[str, Any]:
    """The figures of the national template's tables for ``year`` (requests received, carried over, results
    by reply type, fees; 双公示 publications)."""
    reqs = DisclosureRequest.objects.filter(receipt_date__year=year)
    by_applicant = dict(
        reqs.values_list("applicant_type").annotate(n=Count("pk")).values_list("applicant_type", "n")
    )
    replied = reqs.filter(replied_on__year=year)
    by_type = dict(replied.values_list("reply_type").annotate(n=Count("pk")).values_list("reply_type", "n"))
    carried_in = (
        DisclosureRequest.objects.filter(receipt_date__year__lt=year)
        .filter(Q(replied_on__isnull=True) | Q(replied_on__year__gte=year))
        .exclude(case__status="withdrawn")
        .count()
    )
    carried_out = (
        reqs.filter(Q(replied_on__isnull=True) | Q(replied_on__year__gt=year))
        .exclude(case__status="withdrawn")
        .count()
    )
    pubs = Publication.objects.filter(decided_on__year=year)
    by_kind = dict(pubs.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    fees = reqs.filter(fee_paid_on__isnull=False)
    return {
        "year": year,
        "received": reqs.count(),
        "by_applicant": by_applicant,
        "carried_in": carried_in,
        "carried_out": carried_out,
        "by_reply_type": by_type,
        "late": replied.filter(case__timeliness="late").count(),
        "withdrawn": reqs.filter(case__status="withdrawn").count(),
        "fees_yuan": sum(fees.values_list("fee_yuan", flat=True)),
        "licences": by_kind.get("licence", 0),
        "penalties": by_kind.get("penalty", 0),
        "penalty_register": PenaltyDecision.objects.filter(decided_on__year=year).count(),
    }


def request_case(case_id: int) -> Case | None:
    return Case.objects.filter(kind=wf.KIND, pk=case_id).select_related("disclosure", "owning_office").first()


def office_by_code(code: str) -> Office | None:
    return Office.objects.filter(code=(code or "").strip()).first()


def office_of(user: Visitor) -> Office | None:
    """The office a signed-in officer works for."""
    office_id = getattr(user, "office_id", None)
    return Office.objects.filter(pk=office_id).first() if office_id else None


def offices() -> QuerySet[Office]:
    """The offices a request may be addressed to (the filing form's list)."""
    return Office.objects.order_by("code")


def request_notices(case: Case) -> QuerySet[CaseNotice]:
    """The notices given to the applicant (correction, extension, fee, reply), oldest first."""
    return CaseNotice.objects.filter(case=case).order_by("issued_at", "id")


def reply_notice(case: Case) -> CaseNotice | None:
    """The reply (答复书) of a request, with its PDF, if it has been issued."""
    return CaseNotice.objects.filter(case=case, kind="reply").exclude(file="").order_by("-id").first()


def notice_bytes(notice: CaseNotice) -> bytes:
    with notice.file.open("rb") as f:
        return f.read()


# --- proactive disclosure -------------------------------------------------------------------------------


def _items_public() -> QuerySet[DisclosureItem]:
    return DisclosureItem.objects.filter(published_on__isnull=False, withdrawn_on__isnull=True)


def items_public(*, column: str = "", group: str = "", text: str = "") -> QuerySet[DisclosureItem]:
    """The public's view of proactive disclosure: published, not withdrawn, newest first; by column, by group
    ("five" or "key") or by words of the published title."""
    qs = _items_public()
    if column:
        qs = qs.filter(column=column)
    elif group:
        qs = qs.filter(column__in=list(FIVE_DISCLOSURES if group == "five" else KEY_AREAS))
    if text:
        qs = qs.filter(public_title__contains=text.strip())
    return qs.select_related("office").order_by("-published_on", "-id")


def item_public(item_id: int) -> DisclosureItem | None:
    return _items_public().select_related("office").filter(pk=item_id).first()


def item_attachment_bytes(item: DisclosureItem) -> bytes:
    with item.attachment.open("rb") as f:
        return f.read()


def column_counts() -> dict[str, int]:
    """How many items each column shows the public."""
    return dict(_items_public().values_list("column").annotate(n=Count("pk")).values_list("column", "n"))


def items_of_office(office_id: int, *, pending_only: bool = False) -> QuerySet[DisclosureItem]:
    """An office's items: awaiting publication first, by the day they must be public; then the rest."""
    qs = DisclosureItem.objects.filter(office_id=office_id)
    if pending_only:
        qs = qs.filter(pending=True)
    return qs.order_by("-pending", "publish_by", "-id")


def item_of_office(office_id: int | None, item_id: int) -> DisclosureItem | None:
    if office_id is None:
        return None
    return DisclosureItem.objects.filter(office_id=office_id, pk=item_id).first()


def items_overdue(*, office_id: int | None = None, today: date | None = None) -> QuerySet[DisclosureItem]:
    """Items (or changes) not yet public after their 20 working days (Art. 26), the most overdue first."""
    qs = DisclosureItem.objects.filter(pending=True, publish_by__lt=today or timezone.localdate())
    if office_id is not None:
        qs = qs.filter(office_id=office_id)
    return qs.select_related("office").order_by("publish_by", "id")


@dataclass(frozen=True)
class NormativeQuery:
    text: str = ""
    office: str = ""  # office code
    year: int | None = None
    status: str = ""


def normative_search(q: NormativeQuery) -> QuerySet[NormativeDocument]:
    """The public register of normative documents (统一查询), newest first."""
    qs = NormativeDocument.objects.all()
    if q.text:
        qs = qs.filter(Q(title__contains=q.text.strip()) | Q(number__contains=q.text.strip()))
    if q.office:
        qs = qs.filter(office__code=q.office.strip())
    if q.year:
        qs = qs.filter(year=q.year)
    if q.status:
        qs = qs.filter(status=q.status)
    return (
        qs.select_related("office")
        .annotate(n_interpretations=Count("interpretations"))
        .order_by("-issued_on", "-id")
    )


def normative_get(document_id: int) -> NormativeDocument | None:
    return NormativeDocument.objects.select_related("office").filter(pk=document_id).first()


def interpretations(*, document_id: int | None = None) -> QuerySet[Interpretation]:
    qs = Interpretation.objects.select_related("document", "office")
    if document_id is not None:
        qs = qs.filter(document_id=document_id)
    return qs.order_by("-published_on", "-id")


def proactive_figures(year: int) -> dict[str, Any]:
    """The annual report's table 2 and the columns' counts for ``year``: items first published, normative
    documents issued, repealed and in force at the year's end, interpretations."""
    items = DisclosureItem.objects.filter(first_published_on__year=year)
    by_column = dict(items.values_list("column").annotate(n=Count("pk")).values_list("column", "n"))
    docs = NormativeDocument.objects
    return {
        "items_by_column": by_column,
        "five": sum(n for c, n in by_column.items() if c in FIVE_DISCLOSURES),
        "key": sum(n for c, n in by_column.items() if c in KEY_AREAS),
        "normative_issued": docs.filter(year=year).count(),
        "normative_repealed": docs.filter(status="repealed", status_on__year=year).count(),
        "normative_in_force": docs.filter(issued_on__year__lte=year)
        .exclude(status="repealed", status_on__year__lte=year)
        .count(),
        "interpretations": Interpretation.objects.filter(published_on__year=year).count(),
        "interpretations_of_normative": Interpretation.objects.filter(
            published_on__year=year, document__isnull=False
        ).count(),
    }
