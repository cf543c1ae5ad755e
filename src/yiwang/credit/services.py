"""Writers of the credit context: importing records (a staging table, then set-based merges), the list
derivation (one statement per published rule), credit repair and the standing recorded on a case.

PostgreSQL loads the staging table with ``COPY``; SQLite inserts it in batches (the same merge statements
follow). See docs/adr/0110-credit-records-and-import.md and docs/adr/0111-list-rules.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.models import Enterprise, Person, User
from yiwang.accounts.roles import Role
from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, NotFound, ServiceError
from yiwang.notifications.services import notification_queue

from . import selectors
from .models import CaseStanding, ImportBatch, ListEntry, ListRule, Record, Repair, Subject
from .rows import STAGE_COLUMNS, FileProblem, RowError, StageRow
from .vocabulary import BLACK, DEFAULT_RULES, RED, WHITE

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import date

    from yiwang.cases.models import Case

STORED_ERRORS = 1000  # errors kept on the batch (the console prints them all)
_SQLITE_BATCH = 2000


@dataclass
class ImportOutcome:
    batch: ImportBatch
    errors: list[RowError] = field(default_factory=list)


def _stage_sql(name: str) -> str:
    return (
        f"CREATE TEMP TABLE {name} (line integer, kind varchar(1), subject_key varchar(80), "
        "credit_code varchar(18), id_cipher text, id_index varchar(64), name varchar(200), "
        "category varchar(24), source_record_id varchar(64), source_office varchar(100), decision_date date, "
        "valid_from date, valid_to date, severity smallint, text text, digest varchar(32))"
    )


def _load_stage(
    cursor: Any,
    stage: str,
    rows: Iterable[StageRow | RowError],
    errors: list[RowError],
    tick: Callable[[], None],
) -> int:
    """Put the good rows into the staging table; collect the bad ones. Returns the number of rows read."""
    total = 0
    cols = ", ".join(STAGE_COLUMNS)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {stage} ({cols}) FROM STDIN") as copy:
            for row in rows:
                total += 1
                if isinstance(row, RowError):
                    errors.append(row)
                else:
                    copy.write_row(row)
                if total % 10000 == 0:
                    tick()
        return total
    sql = f"INSERT INTO {stage} ({cols}) VALUES ({', '.join(['%s'] * len(STAGE_COLUMNS))})"
    chunk: list[StageRow] = []
    for row in rows:
        total += 1
        if isinstance(row, RowError):
            errors.append(row)
        else:
            chunk.append(row)
        if len(chunk) >= _SQLITE_BATCH:
            cursor.executemany(sql, chunk)
            chunk = []
        if total % 10000 == 0:
            tick()
    if chunk:
        cursor.executemany(sql, chunk)
    return total


def _duplicates(cursor: Any, stage: str, errors: list[RowError]) -> None:
    """A source record id twice in one file: the first row counts, each later one is refused."""
    cursor.execute(
        f"SELECT s.line, s.source_record_id, d.first FROM {stage} s JOIN "
        f"(SELECT source_record_id, MIN(line) AS first FROM {stage} GROUP BY source_record_id "
        f"HAVING COUNT(*) > 1) d ON d.source_record_id = s.source_record_id WHERE s.line <> d.first"
    )
    dups = cursor.fetchall()
    for line, rid, first in dups:
        errors.append(
            RowError(
                line,
                "source_record_id",
                _("Duplicate source record id (first given at line %(first)s).") % {"first": first},
                rid,
            )
        )
    if dups:
        lines = [d[0] for d in dups]
        for i in range(0, len(lines), 500):
            part = lines[i : i + 500]
            cursor.execute(f"DELETE FROM {stage} WHERE line IN ({', '.join(['%s'] * len(part))})", part)


def _merge(cursor: Any, stage: str, source: str, batch: ImportBatch, now: Any) -> tuple[int, int, int]:
    """Subjects first (unknown ones kept by code), then the records: new ones inserted, changed ones
    replaced, identical ones left alone. Returns (inserted, updated, unchanged)."""
    sub, rec = Subject._meta.db_table, Record._meta.db_table
    cursor.execute(
        f"INSERT INTO {sub} (key, kind, credit_code, id_number, id_number_index, name, standing, created_at) "
        f"SELECT subject_key, MIN(kind), MIN(credit_code), MIN(id_cipher), MIN(id_index), MAX(name), %s, %s "
        f"FROM {stage} WHERE 1 = 1 GROUP BY subject_key ON CONFLICT (key) DO NOTHING",
        [WHITE, now],
    )
    cursor.execute(f"SELECT COUNT(*) FROM {stage}")
    loaded = cursor.fetchone()[0]
    cursor.execute(f"SELECT COUNT(*) FROM {rec} WHERE source = %s", [source])
    before = cursor.fetchone()[0]
    cursor.execute(
        f"INSERT INTO {rec} (source, source_record_id, subject_key, category, source_office, decision_date, "
        f"valid_from, valid_to, severity, text, digest, batch_id, created_at, updated_at) "
        f"SELECT %s, source_record_id, subject_key, category, source_office, decision_date, valid_from, valid_to, "
        f"severity, text, digest, %s, %s, %s FROM {stage} WHERE 1 = 1 "
        f"ON CONFLICT (source, source_record_id) DO UPDATE SET subject_key = excluded.subject_key, "
        f"category = excluded.category, source_office = excluded.source_office, "
        f"decision_date = excluded.decision_date, valid_from = excluded.valid_from, valid_to = excluded.valid_to, "
        f"severity = excluded.severity, text = excluded.text, digest = excluded.digest, "
        f"batch_id = excluded.batch_id, updated_at = excluded.updated_at "
        f"WHERE {rec}.digest <> excluded.digest",
        [source, batch.pk, now, now],
    )
    written = cursor.rowcount
    cursor.execute(f"SELECT COUNT(*) FROM {rec} WHERE source = %s", [source])
    inserted = cursor.fetchone()[0] - before
    updated = written - inserted
    return inserted, updated, loaded - written


def _link_subjects(cursor: Any) -> None:
    """Subjects kept by code get their enterprise or person once the platform knows them."""
    sub, ent, per = Subject._meta.db_table, Enterprise._meta.db_table, Person._meta.db_table
    cursor.execute(
        f"UPDATE {sub} SET enterprise_id = (SELECT e.id FROM {ent} e WHERE e.credit_code = {sub}.credit_code) "
        f"WHERE kind = 'E' AND enterprise_id IS NULL AND credit_code IN (SELECT credit_code FROM {ent})"
    )
    cursor.execute(
        f"UPDATE {sub} SET person_id = (SELECT p.id FROM {per} p WHERE p.id_number_index = {sub}.id_number_index) "
        f"WHERE kind = 'P' AND person_id IS NULL AND id_number_index IN (SELECT id_number_index FROM {per})"
    )


def credit_import(
    *,
    actor: User | None,
    source: str,
    rows: Iterable[StageRow | RowError],
    file_name: str = "",
    channel: str = "file",
    progress: Callable[[int], None] | None = None,
    derive: bool = True,
) -> ImportOutcome:
    """Load checked rows (``rows.RowChecker``) from one source: every bad row is reported and left out, the
    rest merged in one transaction (idempotent: importing the same records again changes nothing; a corrected
    record replaces the old one). A file that cannot be read loads nothing and the batch says why."""
    source = (source or "").strip()
    if not source or len(source) > 40 or not source.replace("-", "").replace("_", "").isalnum():
        raise ServiceError(
            _("Give the source as a short code (letters, digits, - or _)."),
            code="invalid_source",
            fields={"source": _("Not a valid source code.")},
        )
    now = timezone.now()
    batch = ImportBatch.objects.create(
        source=source, file_name=file_name[:200], channel=channel, actor=actor, started_at=now
    )
    errors: list[RowError] = []
    read = [0]

    def tick() -> None:
        read[0] += 10000
        if progress is not None:
            progress(read[0])

    stage = f"credit_stage_{batch.pk}"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_stage_sql(stage))
            # On failure the transaction is rolled back and the staging table with it.
            total = _load_stage(cursor, stage, rows, errors, tick)
            _duplicates(cursor, stage, errors)
            inserted, updated, unchanged = _merge(cursor, stage, source, batch, now)
            _link_subjects(cursor)
            cursor.execute(f"DROP TABLE {stage}")
            errors.sort(key=lambda e: e.line)
            batch.state = ImportBatch.State.DONE
            batch.rows_total, batch.rows_bad = total, len(errors)
            batch.inserted, batch.updated, batch.unchanged = inserted, updated, unchanged
            batch.errors = [e.as_dict() for e in errors[:STORED_ERRORS]]
            batch.finished_at = timezone.now()
            batch.save()
            audit_record(
                actor=actor,
                action="credit.import",
                obj=batch,
                data={
                    "source": source,
                    "rows": total,
                    "bad": len(errors),
                    "new": inserted,
                    "replaced": updated,
                },
            )
            if derive and (inserted or updated):
                credit_derive(actor=actor)
    except FileProblem as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(
            state=ImportBatch.State.FAILED, message=str(exc)[:300], finished_at=timezone.now()
        )
        batch.refresh_from_db()
        raise ServiceError(str(exc), code="unreadable_file", fields={"file": str(exc)}) from exc
    if progress is not None:
        progress(batch.rows_total)
    return ImportOutcome(batch=batch, errors=errors)


# --- lists ---------------------------------------------------------------------------------------------------


def credit_rules_install() -> int:
    """Add the published default rules that are missing (docs/adr/0111-list-rules.md). Idempotent."""
    have = set(ListRule.objects.values_list("code", flat=True))
    new = [
        ListRule(code=code, list=lst, categories=cats, min_severity=sev)
        for code, lst, cats, sev in DEFAULT_RULES
        if code not in have
    ]
    ListRule.objects.bulk_create(new)
    return len(new)


def credit_derive(*, actor: User | None = None, keys: list[str] | None = None, on: date | None = None) -> int:
    """Rebuild the list entries: one INSERT … SELECT per active rule over the records valid on the day and not
    repaired, then each subject's standing (black before red before white) in two UPDATEs. ``keys`` limits it
    to some subjects. Returns the number of entries."""
    day = on or timezone.localdate()
    rec, ent, sub, rep = (
        Record._meta.db_table,
        ListEntry._meta.db_table,
        Subject._meta.db_table,
        Repair._meta.db_table,
    )
    scope, scope_args = "", []
    if keys is not None:
        if not keys:
            return 0
        scope = f" AND subject_key IN ({', '.join(['%s'] * len(keys))})"
        scope_args = list(keys)
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ent} WHERE 1 = 1{scope}", scope_args)
        for rule in ListRule.objects.filter(active=True).order_by("code"):
            cats = [c for c in rule.categories if isinstance(c, str)]
            if not cats:
                continue
            cursor.execute(
                f"INSERT INTO {ent} (subject_key, list, rule_code, record_id, category, source, source_office, "
                f"decision_date, since, until) SELECT r.subject_key, %s, %s, r.id, r.category, r.source, "
                f"r.source_office, r.decision_date, r.valid_from, r.valid_to FROM {rec} r "
                f"WHERE r.category IN ({', '.join(['%s'] * len(cats))}) AND r.severity >= %s "
                f"AND r.valid_from <= %s AND (r.valid_to IS NULL OR r.valid_to >= %s) "
                f"AND NOT EXISTS (SELECT 1 FROM {rep} p WHERE p.record_id = r.id)"
                + scope.replace("subject_key", "r.subject_key"),
                [rule.list, rule.code, *cats, rule.min_severity, day, day, *scope_args],
            )
        # 'black' < 'red' in every collation: the lowest list wins.
        cursor.execute(
            f"UPDATE {sub} SET standing = agg.standing, standing_changed_at = %s FROM "
            f"(SELECT subject_key, MIN(list) AS standing FROM {ent} WHERE 1 = 1{scope} GROUP BY subject_key) agg "
            f"WHERE agg.subject_key = {sub}.key AND {sub}.standing <> agg.standing",
            [now, *scope_args],
        )
        cursor.execute(
            f"UPDATE {sub} SET standing = %s, standing_changed_at = %s WHERE standing <> %s "
            f"AND NOT EXISTS (SELECT 1 FROM {ent} e WHERE e.subject_key = {sub}.key)"
            + scope.replace("subject_key", "key"),
            [WHITE, now, WHITE, *scope_args],
        )
        cursor.execute(f"SELECT COUNT(*) FROM {ent} WHERE 1 = 1{scope}", scope_args)
        count = int(cursor.fetchone()[0])
        if keys is None:
            audit_record(
                actor=actor, action="credit.derive", object_type="credit.listentry", data={"entries": count}
            )
    return count


def credit_repair(
    *, actor: User, record_id: int, decision_reference: str, decided_on: date, reason: str = ""
) -> Repair:
    """信用修复: a recorded decision ends a record's black mark early; the subject's standing is derived again."""
    reference = (decision_reference or "").strip()
    if not reference:
        raise ServiceError(
            _("A credit repair needs the reference of the repair decision."),
            code="decision_reference_required",
            fields={"decision_reference": _("This field is required.")},
        )
    if decided_on > timezone.localdate():
        raise ServiceError(
            _("The repair decision cannot be dated in the future."),
            code="decided_in_future",
            fields={"decided_on": _("The date is in the future.")},
        )
    with transaction.atomic():
        record = Record.objects.select_for_update().filter(pk=record_id).first()
        if record is None:
            raise NotFound(_("No such credit record."))
        if Repair.objects.filter(record=record).exists():
            raise Conflict(_("This record has already been repaired."), code="already_repaired")
        if record.category not in selectors.black_categories():
            raise Conflict(
                _("Only records that put a subject on the black list can be repaired."), code="not_black"
            )
        repair = Repair.objects.create(
            record=record,
            decision_reference=reference[:80],
            decided_on=decided_on,
            reason=reason,
            actor=actor,
        )
        audit_record(
            actor=actor,
            action="credit.repair",
            obj=record,
            data={"decision_reference": reference[:80], "decided_on": decided_on.isoformat()},
        )
        credit_derive(actor=actor, keys=[record.subject_id])
    return repair


def credit_rule_update(
    *, actor: User, code: str, active: bool | None = None, min_severity: int | None = None
) -> ListRule:
    """Change a published rule (switch it on or off, or its lowest severity); the lists are derived again."""
    with transaction.atomic():
        rule = ListRule.objects.select_for_update().filter(code=code).first()
        if rule is None:
            raise NotFound(_("No such list rule."))
        changes: dict[str, Any] = {}
        if active is not None and active != rule.active:
            rule.active, changes["active"] = active, active
        if min_severity is not None and min_severity != rule.min_severity:
            if min_severity not in (1, 2, 3):
                raise ServiceError(
                    _("Severity is 1, 2 or 3."),
                    code="invalid",
                    fields={"min_severity": _("Severity is 1, 2 or 3.")},
                )
            rule.min_severity, changes["min_severity"] = min_severity, min_severity
        if changes:
            rule.save()
            audit_record(actor=actor, action="credit.rule_update", obj=rule, data=changes)
            credit_derive(actor=actor)
    return rule


# --- cases ---------------------------------------------------------------------------------------------------


def case_standing_summary(row: CaseStanding) -> dict[str, Any]:
    return {
        "step": row.step,
        "standing": row.standing,
        "rules": sorted({r["rule"] for r in row.reasons}),
        **({"internal_target": row.internal_target.isoformat()} if row.internal_target else {}),
    }


def credit_case_standing_record(
    *,
    case: Case,
    step: str,
    standing: selectors.Standing,
    actor: User | None = None,
    internal_target: date | None = None,
    link: str = "",
    audit: bool = True,
) -> CaseStanding:
    """Keep, on the case, the standing it was treated with at this step and the reasons then (explainable).
    A black-listed applicant's case received: the owning office's supervisors are told (stricter review)."""
    row = CaseStanding.objects.create(
        case=case,
        step=step,
        standing=standing.list,
        reasons=standing.as_json(),
        internal_target=internal_target,
    )
    if audit:  # else the caller's own audit event of the step carries ``case_standing_summary``
        audit_record(actor=actor, action="credit.case_standing", obj=case, data=case_standing_summary(row))
    if standing.black and step == "received":
        supervisors = User.objects.filter(
            office_id=case.owning_office_id, is_active=True, role_grants__role=Role.SUPERVISOR
        ).distinct()
        reasons = "、".join(sorted({r.category_label for r in standing.reasons}))
        for sup in supervisors:
            notification_queue(
                recipient=sup,
                subject=_("Black-listed applicant: %(number)s") % {"number": case.number or case.pk},
                body=_(
                    "The applicant of %(title)s is on the credit black list (%(reasons)s): review it strictly."
                )
                % {"title": case.title, "reasons": reasons},
                link=link,
                obj=case,
                dedupe_key=f"credit-black-{case.pk}-{sup.pk}",
            )
    return row


__all__ = [
    "BLACK",
    "RED",
    "WHITE",
    "ImportOutcome",
    "credit_case_standing_record",
    "credit_derive",
    "credit_import",
    "credit_repair",
    "credit_rule_update",
    "credit_rules_install",
]
