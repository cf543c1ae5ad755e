"""Reads of the rules engine: rule sets, the version in force, one subject's explanation, stored runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from . import evaluate as ev
from .document import RuleDoc, parse
from .facts import coerce, provider_for
from .models import EvaluationResult, EvaluationRun, RuleSet, RuleSetVersion

if TYPE_CHECKING:
    from datetime import date

    from .facts import FactSpec


def ruleset_get(code: str) -> RuleSet | None:
    return RuleSet.objects.filter(code=code).first()


def rulesets(*, owner: str | None = None) -> QuerySet[RuleSet]:
    qs = RuleSet.objects.all()
    return qs.filter(owner=owner) if owner else qs


def versions(rule_set: RuleSet) -> QuerySet[RuleSetVersion]:
    return rule_set.versions.select_related("published_by", "created_by").order_by("-number")


def version_get(pk: int) -> RuleSetVersion | None:
    return RuleSetVersion.objects.select_related("rule_set").filter(pk=pk).first()


def draft_of(rule_set: RuleSet) -> RuleSetVersion | None:
    return rule_set.versions.filter(status=RuleSetVersion.Status.DRAFT).first()


def version_in_force(rule_set: RuleSet, on: date) -> RuleSetVersion | None:
    """The published version effective on ``on`` (the highest number if several overlap)."""
    return (
        rule_set.versions.filter(status=RuleSetVersion.Status.PUBLISHED)
        .filter(Q(effective_from__isnull=True) | Q(effective_from__lte=on))
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=on))
        .order_by("-number")
        .first()
    )


def versions_in_force(rule_set_ids: list[int], on: date) -> dict[int, RuleSetVersion]:
    """For many rule sets at once: rule set id → its version in force on ``on``."""
    out: dict[int, RuleSetVersion] = {}
    qs = (
        RuleSetVersion.objects.filter(rule_set_id__in=rule_set_ids, status=RuleSetVersion.Status.PUBLISHED)
        .filter(Q(effective_from__isnull=True) | Q(effective_from__lte=on))
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=on))
        .select_related("rule_set")
        .order_by("rule_set_id", "-number")
    )
    for v in qs:
        out.setdefault(v.rule_set_id, v)
    return out


def fact_specs(kind: str) -> dict[str, FactSpec]:
    return provider_for(kind).facts


def document_of(version: RuleSetVersion) -> RuleDoc:
    return parse(version.document, fact_specs(version.rule_set.subject_kind))


def subject_facts(kind: str, subject_id: int, *, as_of: date) -> dict[str, Any] | None:
    """One subject's facts through the same query the batch uses (``None``: no such subject)."""
    provider = provider_for(kind)
    row = provider.queryset(as_of=as_of).filter(subject_id=subject_id).values(*provider.facts).first()
    if row is None:
        return None
    return {k: coerce(provider.facts[k], v) for k, v in row.items()}


def explain(doc: RuleDoc, kind: str, facts: dict[str, Any]) -> ev.Outcome:
    return ev.evaluate(doc, facts, fact_specs(kind))


def explain_subject(version: RuleSetVersion, subject_id: int, *, as_of: date) -> ev.Outcome | None:
    kind = version.rule_set.subject_kind
    facts = subject_facts(kind, subject_id, as_of=as_of)
    return None if facts is None else explain(document_of(version), kind, facts)


def run_get(pk: int) -> EvaluationRun | None:
    return EvaluationRun.objects.select_related("version__rule_set").filter(pk=pk).first()


def runs(
    *, version: RuleSetVersion | None = None, rule_set: RuleSet | None = None
) -> QuerySet[EvaluationRun]:
    qs = EvaluationRun.objects.select_related("version__rule_set")
    if version is not None:
        qs = qs.filter(version=version)
    if rule_set is not None:
        qs = qs.filter(version__rule_set=rule_set)
    return qs


def latest_run(rule_set: RuleSet, *, purpose_prefix: str = "") -> EvaluationRun | None:
    qs = runs(rule_set=rule_set).filter(finished_at__isnull=False)
    if purpose_prefix:
        qs = qs.filter(purpose__startswith=purpose_prefix)
    return qs.order_by("-started_at").first()


def run_results(run: EvaluationRun) -> QuerySet[EvaluationResult]:
    return run.results.order_by("subject_id")
