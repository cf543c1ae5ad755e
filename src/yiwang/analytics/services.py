"""Writers of analytics: publishing a version of the scoring formula, importing third-party evaluation
results from Excel. Each in one transaction with one audit event; bad input refused whole."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from yiwang.accounts.access import ensure, has_role
from yiwang.accounts.models import Hall
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.core.errors import ServiceError

from . import scoring
from .models import ScoringFormula, ThirdPartyScore

if TYPE_CHECKING:
    from yiwang.accounts.models import User

MAX_ROWS = 5000


def formula_publish(*, actor: User, weights: dict[str, Any], note: str = "") -> ScoringFormula:
    """Publish the next version of the scoring formula (weights validated: known components, sum to 1)."""
    ensure(has_role(actor, Role.SERVICE_SUPERVISOR), user=actor, action="analytics.formula_publish")
    try:
        checked = scoring.check_weights(weights)
    except scoring.WeightsError as exc:
        raise ServiceError(exc.message, code="bad_weights", fields={exc.field: exc.message}) from None
    with transaction.atomic():
        last = ScoringFormula.objects.select_for_update().aggregate(v=Max("version"))["v"] or 0
        row = ScoringFormula.objects.create(
            version=last + 1, weights=checked, note=note.strip()[:300], published_by=actor
        )
        audit_record(
            actor=actor,
            action="analytics.formula_publish",
            obj=row,
            data={"version": row.version, "weights": checked},
        )
    return row


def _month(value: Any) -> date | None:
    if isinstance(value, date):
        return value.replace(day=1)
    text = str(value or "").strip()
    try:
        y, m = text[:7].split("-")
        return date(int(y), int(m), 1)
    except (ValueError, TypeError):
        return None


def thirdparty_import(*, actor: User, data: bytes) -> int:  # noqa: C901 - one check per column
    """Rows ``month (YYYY-MM) | hall code | dimension | score 0–100 | surveyor``, first row the header. Every
    row is checked first; any bad row refuses the whole file with the rows and their problems."""
    ensure(has_role(actor, Role.SERVICE_SUPERVISOR), user=actor, action="analytics.thirdparty_import")
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ServiceError(
            _("This is not an Excel workbook (.xlsx)."),
            code="bad_file",
            fields={"file": _("Not an .xlsx file.")},
        ) from None
    rows = list(wb.active.iter_rows(values_only=True))[1 : MAX_ROWS + 2]
    if len(rows) > MAX_ROWS:
        raise ServiceError(
            _("At most %(n)s rows.") % {"n": MAX_ROWS}, code="too_many", fields={"file": _("Too many rows.")}
        )
    halls = {h.code: h for h in Hall.objects.all()}
    problems: list[str] = []
    parsed: list[tuple[date, Hall, str, Decimal, str]] = []
    for i, row in enumerate(rows, start=2):
        cells = list(row) + [None] * 5
        if all(c in (None, "") for c in cells[:5]):
            continue
        month, hall, dim = (
            _month(cells[0]),
            halls.get(str(cells[1] or "").strip()),
            str(cells[2] or "").strip(),
        )
        try:
            score = Decimal(str(cells[3]).strip())
        except (InvalidOperation, ValueError):
            score = None
        if month is None:
            problems.append(_("Row %(r)s: the month must be YYYY-MM.") % {"r": i})
        if hall is None:
            problems.append(_("Row %(r)s: no hall with the code “%(c)s”.") % {"r": i, "c": cells[1]})
        if not dim or len(dim) > 40:
            problems.append(_("Row %(r)s: the dimension is missing or too long.") % {"r": i})
        if score is None or not (0 <= score <= 100):
            problems.append(_("Row %(r)s: the score must be a number from 0 to 100.") % {"r": i})
        if month and hall and dim and score is not None and 0 <= score <= 100:
            parsed.append((month, hall, dim, score.quantize(Decimal("0.01")), str(cells[4] or "")[:80]))
    if problems:
        raise ServiceError(" ".join(problems[:10]), code="bad_rows", fields={"file": problems[0]})
    if not parsed:
        raise ServiceError(_("The file has no rows."), code="empty", fields={"file": _("No rows.")})
    with transaction.atomic():
        for month, hall, dim, score, who in parsed:
            ThirdPartyScore.objects.update_or_create(
                month=month, hall=hall, dimension=dim, defaults={"score": score, "surveyor": who}
            )
        audit_record(actor=actor, action="analytics.thirdparty_import", data={"rows": len(parsed)})
    return len(parsed)
