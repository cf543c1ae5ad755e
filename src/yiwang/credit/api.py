"""The credit API (mounted at /api/credit): source systems push records; staff look up a standing, search
records and imports, repair a record; the published rules are public; applicants read their own standing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from yiwang.accounts.access import acting_person, ensure, enterprises_for, signed_in
from yiwang.core.errors import NotFound
from yiwang.web.api import AUTH, ERRORS, WRITE_ERRORS, Id

from . import selectors
from . import services as s
from .access import access_figures, access_manage, access_own_standing, access_records, access_rules
from .models import ImportBatch, Record, Subject
from .rows import RowChecker
from .schemas import (
    CreditFiguresOut,
    CreditImportOut,
    CreditPushIn,
    CreditRecordOut,
    CreditRecordQuery,
    CreditRepairIn,
    CreditRepairOut,
    CreditRuleIn,
    CreditRuleOut,
    CreditStandingOut,
    CreditStandingQuery,
)
from .vocabulary import category_label

router = Router(tags=["credit"])


def import_out(b: ImportBatch) -> dict[str, Any]:
    return {
        "id": b.pk,
        "source": b.source,
        "file_name": b.file_name,
        "channel": b.channel,
        "state": b.state,
        "started_at": b.started_at,
        "finished_at": b.finished_at,
        "rows_total": b.rows_total,
        "rows_bad": b.rows_bad,
        "inserted": b.inserted,
        "updated": b.updated,
        "unchanged": b.unchanged,
        "message": b.message,
        "errors": b.errors,
    }


def subject_label(subject: Subject) -> str:
    return subject.code_masked()


def standing_out(label: str, st: selectors.Standing) -> dict[str, Any]:
    return {
        "subject": label,
        "standing": st.list,
        "standing_label": st.label,
        "reasons": [
            {
                "list": r.list,
                "rule": r.rule,
                "category": r.category,
                "category_label": r.category_label,
                "source": r.source,
                "source_office": r.source_office,
                "decision_date": r.decision_date,
                "since": r.since,
                "until": r.until,
            }
            for r in st.reasons
        ],
    }


def record_out(r: Record) -> dict[str, Any]:
    return {
        "id": r.pk,
        "subject": subject_label(r.subject),
        "subject_kind": r.subject.kind,
        "category": r.category,
        "category_label": category_label(r.category),
        "source": r.source,
        "source_record_id": r.source_record_id,
        "source_office": r.source_office,
        "decision_date": r.decision_date,
        "valid_from": r.valid_from,
        "valid_to": r.valid_to,
        "severity": r.severity,
        "text": r.text,
        "repaired": bool(getattr(r, "repaired", False)),
    }


@router.post("/records", response={201: CreditImportOut, **WRITE_ERRORS}, auth=AUTH)
def push(request: HttpRequest, payload: CreditPushIn) -> Any:
    """A source system pushes up to 1,000 records: each bad one is reported with its row number and reason, the
    rest merged (pushing the same records again changes nothing; a corrected record replaces the old one)."""
    ensure(access_manage(request.user), user=request.user, action="credit.push")
    checker = RowChecker()
    rows = (checker.check(n, rec.dict()) for n, rec in enumerate(payload.records, start=1))
    outcome = s.credit_import(
        actor=signed_in(request), source=payload.source, rows=rows, file_name="", channel="api"
    )
    return Status(201, import_out(outcome.batch))


@router.get("/records", response={200: list[CreditRecordOut], **ERRORS}, auth=AUTH)
def records(request: HttpRequest, q: Query[CreditRecordQuery]) -> Any:
    """Records, newest decision first (resident IDs masked)."""
    ensure(access_records(request.user), user=request.user, action="credit.records")
    qs = selectors.record_search(code=q.code, category=q.category, source=q.source, standing=q.standing)
    return [record_out(r) for r in qs[q.offset : q.offset + q.limit]]


@router.get("/standing", response={200: CreditStandingOut, **ERRORS}, auth=AUTH)
def standing(request: HttpRequest, q: Query[CreditStandingQuery]) -> Any:
    """A subject's standing (red / black / white) with the records behind it."""
    ensure(access_records(request.user), user=request.user, action="credit.standing")
    subject = selectors.subject_find(q.code)
    if subject is None:
        return standing_out(selectors.code_label(q.code), selectors.Standing())
    return standing_out(subject_label(subject), selectors.standing_for_key(subject.key))


@router.get("/imports", response={200: list[CreditImportOut], **ERRORS}, auth=AUTH)
def imports(request: HttpRequest) -> Any:
    """The last 100 imports with their row counts and errors."""
    ensure(access_records(request.user), user=request.user, action="credit.imports")
    return [import_out(b) for b in selectors.imports()[:100]]


@router.post("/records/{record_id}/repair", response={200: CreditRepairOut, **WRITE_ERRORS}, auth=AUTH)
def repair(request: HttpRequest, record_id: Id, payload: CreditRepairIn) -> Any:
    """信用修复: end a record's black mark early, with the repair decision's reference."""
    ensure(access_manage(request.user), user=request.user, action="credit.repair")
    rep = s.credit_repair(
        actor=signed_in(request),
        record_id=record_id,
        decision_reference=payload.decision_reference,
        decided_on=payload.decided_on,
        reason=payload.reason,
    )
    st = selectors.standing_for_key(rep.record.subject_id)
    return {
        "record": rep.record_id,
        "decision_reference": rep.decision_reference,
        "decided_on": rep.decided_on,
        "standing": st.list,
    }


@router.get("/rules", response={200: list[CreditRuleOut], **ERRORS}, auth=None)
def rules(request: HttpRequest) -> Any:
    """The published rules deriving the red and black lists (everything else is white)."""
    ensure(access_rules(request.user), user=request.user, action="credit.rules")
    return [
        {
            "code": r.code,
            "list": r.list,
            "categories": r.categories,
            "min_severity": r.min_severity,
            "active": r.active,
            "description": r.description,
        }
        for r in selectors.rules()
    ]


@router.patch("/rules/{code}", response={200: CreditRuleOut, **WRITE_ERRORS}, auth=AUTH)
def rule_update(request: HttpRequest, code: str, payload: CreditRuleIn) -> Any:
    """Switch a rule on or off or change its lowest severity; the lists are derived again."""
    ensure(access_manage(request.user), user=request.user, action="credit.rule_update")
    if len(code) > 40:
        raise NotFound(_("No such list rule."))
    r = s.credit_rule_update(
        actor=signed_in(request), code=code, active=payload.active, min_severity=payload.min_severity
    )
    return {
        "code": r.code,
        "list": r.list,
        "categories": r.categories,
        "min_severity": r.min_severity,
        "active": r.active,
        "description": r.description,
    }


@router.get("/figures", response={200: CreditFiguresOut, **ERRORS}, auth=AUTH)
def figures(request: HttpRequest) -> Any:
    """Records by category, subjects by list, cases treated red / black / white at reception."""
    ensure(access_figures(request.user), user=request.user, action="credit.figures")
    return selectors.figures()


@router.get("/mine", response={200: list[CreditStandingOut], **ERRORS}, auth=AUTH)
def mine(request: HttpRequest) -> Any:
    """The signed-in applicant's own standing, and that of each enterprise they act for."""
    ensure(access_own_standing(request.user), user=request.user, action="credit.mine")
    own = selectors.own_standings(acting_person(request.user), enterprises_for(request.user))
    return [standing_out(label, st) for label, st in own]
