"""Writes of the rules engine: draft, validate, publish (then immutable), and run a rule set over every
subject, set-based — one ``INSERT … SELECT`` on PostgreSQL, a row-stream through the same evaluator on
SQLite — storing the run with its version and data snapshot time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.services import audit_record
from yiwang.core.errors import Conflict, ServiceError

from . import evaluate as ev
from . import sqlcompile
from .document import RuleDoc, RuleInvalid, parse
from .facts import coerce, provider_for
from .models import EvaluationResult, EvaluationRun, RuleSet, RuleSetVersion
from .selectors import draft_of

if TYPE_CHECKING:
    from yiwang.accounts.models import User


def validate(document: Any, kind: str) -> RuleDoc:
    """The parsed document, or a ServiceError whose fields name each failing condition."""
    try:
        return parse(document, provider_for(kind).facts)
    except RuleInvalid as e:
        raise ServiceError(
            _("The rule set has errors: %(errors)s")
            % {"errors": "; ".join(f"{w}: {m}" for w, m in e.errors)},
            code="rule_invalid",
            fields=e.as_fields(),
        ) from e


def ruleset_create(
    *, actor: User | None, code: str, name: str, subject_kind: str, owner: str, document: Any, note: str = ""
) -> RuleSetVersion:
    validate(document, subject_kind)
    with transaction.atomic():
        if RuleSet.objects.filter(code=code).exists():
            raise Conflict(_("A rule set with this code exists."), fields={"code": _("Already used.")})
        rs = RuleSet.objects.create(code=code, name=name, subject_kind=subject_kind, owner=owner)
        v = RuleSetVersion.objects.create(
            rule_set=rs, number=1, document=document, note=note, created_by=_user(actor)
        )
        audit_record(
            actor=actor, action="rules.ruleset.create", obj=rs, data={"code": code, "kind": subject_kind}
        )
    return v


def _user(actor: User | None) -> User | None:
    return actor if getattr(actor, "pk", None) else None


def draft_save(
    *,
    actor: User | None,
    rule_set: RuleSet,
    document: Any,
    effective_from: date | None = None,
    effective_until: date | None = None,
    note: str = "",
) -> RuleSetVersion:
    """Save the rule set's draft (a new version after the last one if there is none). Published versions are
    never changed."""
    validate(document, rule_set.subject_kind)
    if effective_from and effective_until and effective_until < effective_from:
        raise ServiceError(
            _("The end date is before the start date."), fields={"effective_until": _("Before the start.")}
        )
    with transaction.atomic():
        locked = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
        draft = draft_of(locked)
        if draft is None:
            last = locked.versions.order_by("-number").first()
            draft = RuleSetVersion(
                rule_set=locked, number=(last.number + 1) if last else 1, created_by=_user(actor)
            )
        draft.document = document
        draft.effective_from = effective_from
        draft.effective_until = effective_until
        draft.note = note
        draft.save()
        audit_record(
            actor=actor,
            action="rules.draft.save",
            obj=draft,
            data={"code": locked.code, "number": draft.number},
        )
    return draft


def version_publish(
    *, actor: User | None, version: RuleSetVersion, effective_from: date | None = None
) -> RuleSetVersion:
    """Publish a draft: from now on it is immutable. The version it supersedes ends the day before."""
    with transaction.atomic():
        v = RuleSetVersion.objects.select_for_update().select_related("rule_set").get(pk=version.pk)
        if v.status != RuleSetVersion.Status.DRAFT:
            raise Conflict(_("Only a draft can be published."))
        validate(v.document, v.rule_set.subject_kind)
        start = effective_from or v.effective_from or timezone.localdate()
        previous = (
            v.rule_set.versions.filter(status=RuleSetVersion.Status.PUBLISHED)
            .exclude(effective_until__lt=start)
            .order_by("-number")
        )
        for p in previous:
            if p.effective_from and p.effective_from >= start:
                raise ServiceError(
                    _("Version %(n)d starts on %(d)s; the new version must start later.")
                    % {"n": p.number, "d": p.effective_from},
                    fields={"effective_from": _("Too early.")},
                )
            p.effective_until = start - timedelta(days=1)
            p.save(update_fields=["effective_until"])
        v.status = RuleSetVersion.Status.PUBLISHED
        v.effective_from = start
        v.published_by = _user(actor)
        v.published_at = timezone.now()
        v.save()
        audit_record(
            actor=actor,
            action="rules.version.publish",
            obj=v,
            data={"code": v.rule_set.code, "number": v.number, "from": str(start)},
        )
    return v


@dataclass(frozen=True)
class Sink:
    """Where a run's eligible subjects go: a table and, in order, what each column takes — ``run``,
    ``subject_id``, ``amount``, a carried fact column, or a constant ``("const", value)``."""

    table: str
    columns: tuple[tuple[str, Any], ...]
    label: str = "rules_evaluationresult"


RESULTS = Sink(
    EvaluationResult._meta.db_table, (("run_id", "run"), ("subject_id", "subject_id"), ("amount", "amount"))
)


@dataclass
class BatchSpec:
    version: RuleSetVersion
    as_of: date
    purpose: str
    scope: dict[str, Any] = field(default_factory=dict)
    sink: Sink = RESULTS
    subjects: int | None = None  # the number in scope, when the caller has counted it for several runs


def batch_planner() -> None:
    """One set-based statement per run is planned once and executed once: PostgreSQL's JIT compiles its
    expressions first (estimated costs are high, the real work is an index range), which took two thirds of
    the time of a screening statement (docs/benchmarks.md). Off for this transaction only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET LOCAL jit = off")


def subjects_in_scope(kind: str, scope: dict[str, Any]) -> int:
    """How many subjects of a kind a scope holds: counted once when several runs share the scope (pass it as
    ``BatchSpec.subjects``). Inside the caller's transaction, planned as a run's statements are."""
    batch_planner()
    return provider_for(kind).count(scope=scope)


def _carry(sink: Sink) -> tuple[str, ...]:
    return tuple(
        src for _c, src in sink.columns if isinstance(src, str) and src not in ("run", "subject_id", "amount")
    )


def batch_run(*, actor: User | None, spec: BatchSpec, use_sql: bool | None = None) -> EvaluationRun:
    """Evaluate the version over every subject in scope and store the eligible ones in the sink."""
    version = spec.version
    if version.status != RuleSetVersion.Status.PUBLISHED:
        raise Conflict(_("Only a published version can be run."))
    kind = version.rule_set.subject_kind
    provider = provider_for(kind)
    doc = parse(version.document, provider.facts)
    sql_path = connection.vendor == "postgresql" if use_sql is None else use_sql
    carry = _carry(spec.sink)
    used = doc.facts()
    dates = tuple(provider.facts[f].years_since for f in used if provider.facts[f].years_since)
    qs = provider.queryset(as_of=spec.as_of, scope=spec.scope, only={*used, *dates, *carry})
    now = timezone.now()
    with transaction.atomic():
        run = EvaluationRun.objects.create(
            version=version,
            as_of=now,
            purpose=spec.purpose[:200],
            scope={**spec.scope, "fact_date": str(spec.as_of)},
            method="sql" if sql_path else "python",
            sink=spec.sink.label,
            started_at=now,
            started_by=_user(actor),
        )
        if sql_path:
            batch_planner()
        subjects = provider.count(scope=spec.scope) if spec.subjects is None else spec.subjects
        if sql_path:
            values = qs.values("subject_id", *used, *dates, *carry)
            eligible = _run_sql(run, doc, values, spec.sink, carry, provider.facts, spec.as_of)
        else:
            specs = {f: provider.facts[f] for f in used}
            eligible = _run_python(run, doc, qs.values("subject_id", *used, *carry), spec.sink, specs)
        run.subjects, run.eligible, run.finished_at = subjects, eligible, timezone.now()
        run.save(update_fields=["subjects", "eligible", "finished_at"])
        audit_record(
            actor=actor,
            action="rules.run",
            obj=run,
            data={
                "code": version.rule_set.code,
                "version": version.number,
                "purpose": run.purpose,
                "scope": run.scope,
                "subjects": subjects,
                "eligible": eligible,
            },
        )
    return run


def _insert_head(sink: Sink) -> str:
    return f"INSERT INTO {connection.ops.quote_name(sink.table)} ({', '.join(connection.ops.quote_name(c) for c, _s in sink.columns)})"


def _run_sql(
    run: EvaluationRun,
    doc: RuleDoc,
    qs: Any,
    sink: Sink,
    carry: tuple[str, ...],
    specs: dict[str, Any],
    on: date,
) -> int:
    facts_sql, facts_params = qs.query.sql_with_params()
    select, params = sqlcompile.eligible_select(doc, facts_sql, list(facts_params), carry, specs, on)
    outs: list[str] = []
    out_params: list[Any] = []
    for _c, src in sink.columns:
        if src == "run":
            outs.append("%s")
            out_params.append(run.pk)
        elif isinstance(src, tuple):
            outs.append("%s")
            out_params.append(src[1])
        else:
            outs.append(f'e."{src}"')
    # Identifiers are the sink's own (code, not input); every value is a parameter.
    sql = f"{_insert_head(sink)} SELECT {', '.join(outs)} FROM ({select}) e"  # noqa: S608
    with connection.cursor() as cur:
        cur.execute(sql, [*out_params, *params])
        return int(cur.rowcount)


def _run_python(run: EvaluationRun, doc: RuleDoc, qs: Any, sink: Sink, specs: dict[str, Any]) -> int:
    marks = ", ".join(["%s"] * len(sink.columns))
    sql = f"{_insert_head(sink)} VALUES ({marks})"
    batch: list[list[Any]] = []
    n = 0
    with connection.cursor() as cur:
        for row in qs.iterator(chunk_size=2000):
            facts = {k: coerce(specs[k], row[k]) for k in specs}
            state, amount = ev.batch_value(doc, facts)
            if state != ev.ELIGIBLE:
                continue
            vals = []
            for _c, src in sink.columns:
                vals.append(
                    run.pk
                    if src == "run"
                    else src[1]
                    if isinstance(src, tuple)
                    else amount
                    if src == "amount"
                    else row[src]
                )
            batch.append(vals)
            n += 1
            if len(batch) >= 2000:
                cur.executemany(sql, batch)
                batch = []
        if batch:
            cur.executemany(sql, batch)
    return n
