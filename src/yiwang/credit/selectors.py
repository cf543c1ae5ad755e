"""Readers of the credit context: a subject's standing (the one read during reception), record search, a
subject's page, import history and the figures. Other contexts (applications) read credit through here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from yiwang.core.masking import mask_id
from yiwang.core.validators import RESIDENT_ID_RE, normal_form

from .models import CaseStanding, ImportBatch, ListEntry, ListRule, Record, Repair, Subject
from .vocabulary import BLACK, CATEGORIES, LISTS, RED, WHITE, category_label, list_label, step_label

if TYPE_CHECKING:
    import builtins
    from datetime import date

    from yiwang.accounts.models import Enterprise, Person


@dataclass(frozen=True)
class Reason:
    list: str
    rule: str
    category: str
    source: str
    source_office: str
    decision_date: date
    since: date
    until: date | None
    record_id: int

    @property
    def category_label(self) -> str:
        return category_label(self.category)

    @property
    def list_label(self) -> str:
        return list_label(self.list)


@dataclass(frozen=True)
class Standing:
    """A subject's list (red / black / white) and the records that put it there."""

    list: str = WHITE
    reasons: tuple[Reason, ...] = ()

    @property
    def label(self) -> str:
        return list_label(self.list)

    @property
    def red(self) -> bool:
        return self.list == RED

    @property
    def black(self) -> bool:
        return self.list == BLACK

    def as_json(self) -> builtins.list[dict[str, Any]]:
        return [
            {
                "list": r.list,
                "rule": r.rule,
                "category": r.category,
                "source": r.source,
                "source_office": r.source_office,
                "decision_date": r.decision_date.isoformat(),
                "since": r.since.isoformat(),
                "until": r.until.isoformat() if r.until else None,
                "record": r.record_id,
            }
            for r in self.reasons
        ]


def reasons_from_json(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A recorded snapshot's reasons, with their labels (for the case page)."""
    return [
        {
            **r,
            "category_label": category_label(r.get("category", "")),
            "list_label": list_label(r.get("list", "")),
        }
        for r in rows
    ]


_ENTRY_FIELDS = (
    "list",
    "rule_code",
    "category",
    "source",
    "source_office",
    "decision_date",
    "since",
    "until",
    "record_id",
)


def standing_for_key(key: str, *, on: date | None = None) -> Standing:
    """One indexed read of the derived entries; entries whose validity has run out since the last derivation
    no longer count."""
    if not key:
        return Standing()
    day = on or timezone.localdate()
    rows = list(
        ListEntry.objects.filter(subject_id=key, since__lte=day)
        .filter(Q(until__isnull=True) | Q(until__gte=day))
        .order_by("list", "-decision_date", "record_id")
        .values_list(*_ENTRY_FIELDS)
    )
    if not rows:
        return Standing()
    reasons = tuple(Reason(*r) for r in rows)
    worst = BLACK if any(r.list == BLACK for r in reasons) else RED
    return Standing(worst, tuple(r for r in reasons if r.list == worst))


def subject_key(*, person: Person | None = None, enterprise: Enterprise | None = None) -> str:
    if enterprise is not None:
        return str(enterprise.credit_code)
    if person is not None:
        return str(person.id_number_index or "")
    return ""


def standing_of(*, person: Person | None = None, enterprise: Enterprise | None = None) -> Standing:
    """The applicant's standing: the enterprise's when one applies, else the person's."""
    return standing_for_key(subject_key(person=person, enterprise=enterprise))


def black_categories() -> set[str]:
    return {
        c for cats in ListRule.objects.filter(list=BLACK).values_list("categories", flat=True) for c in cats
    }


def rules() -> QuerySet[ListRule]:
    return ListRule.objects.order_by("list", "code")


def case_standings(case_id: int) -> list[CaseStanding]:
    return list(CaseStanding.objects.filter(case_id=case_id).order_by("at", "id"))


def case_standing_latest(case_id: int) -> CaseStanding | None:
    return CaseStanding.objects.filter(case_id=case_id).order_by("-at", "-id").first()


def fast_track(case_ref: str = "pk") -> Exists:
    """For an ordering of cases: whether the case was received as a red-list applicant's (fast track)."""
    return Exists(CaseStanding.objects.filter(case_id=OuterRef(case_ref), standing=RED))


def stricter_review(case_ref: str = "pk") -> Exists:
    return Exists(CaseStanding.objects.filter(case_id=OuterRef(case_ref), standing=BLACK))


# --- pages --------------------------------------------------------------------------------------------------


def subject_find(code: str) -> Subject | None:
    """By credit code, or by resident ID (through its blind index)."""
    code = (code or "").strip().upper()
    if not code:
        return None
    return Subject.objects.filter(Q(key=code) | Q(id_number=code)).first()


def subject_get(pk: int) -> Subject | None:
    return Subject.objects.select_related("enterprise", "person").filter(pk=pk).first()


def subject_records(subject: Subject) -> QuerySet[Record]:
    return (
        Record.objects.filter(subject_id=subject.key)
        .annotate(repaired=Exists(Repair.objects.filter(record_id=OuterRef("pk"))))
        .order_by("-decision_date", "-id")
    )


def record_get(pk: int) -> Record | None:
    return Record.objects.select_related("subject").filter(pk=pk).first()


def record_search(
    *, code: str = "", category: str = "", source: str = "", standing: str = ""
) -> QuerySet[Record]:
    qs = Record.objects.select_related("subject").order_by("-decision_date", "-id")
    if code:
        s = subject_find(code)
        qs = qs.filter(subject_id=s.key if s else "-")
    if category:
        qs = qs.filter(category=category)
    if source:
        qs = qs.filter(source=source)
    if standing:
        qs = qs.filter(subject__standing=standing)
    return qs


def imports() -> QuerySet[ImportBatch]:
    return ImportBatch.objects.select_related("actor").order_by("-started_at", "-id")


def import_get(pk: int) -> ImportBatch | None:
    return ImportBatch.objects.filter(pk=pk).first()


def figures() -> dict[str, Any]:
    """Records by category, subjects by list, and cases treated red or black (at reception)."""
    by_cat = dict(Record.objects.values_list("category").annotate(n=Count("id")).values_list("category", "n"))
    by_list = dict(
        Subject.objects.values_list("standing").annotate(n=Count("id")).values_list("standing", "n")
    )
    treated = dict(
        CaseStanding.objects.filter(step="received")
        .values_list("standing")
        .annotate(n=Count("case_id", distinct=True))
        .values_list("standing", "n")
    )
    return {
        "records": sum(by_cat.values()),
        "by_category": [
            {"key": k, "label": str(v), "n": int(by_cat.get(k, 0))} for k, v in CATEGORIES.items()
        ],
        "by_list": [{"key": k, "label": str(v), "n": int(by_list.get(k, 0))} for k, v in LISTS.items()],
        "cases": [
            {"key": k, "label": str(LISTS[k]), "n": int(treated.get(k, 0))} for k in (RED, BLACK, WHITE)
        ],
        "repairs": Repair.objects.count(),
        "imports": ImportBatch.objects.count(),
    }


def code_label(code: str) -> str:
    """A code as it may be shown: a resident ID masked, a credit code as it is."""
    v = normal_form(code)
    return mask_id(v) if RESIDENT_ID_RE.match(v) else v


def own_standings(person: Person | None, enterprises: Any) -> list[tuple[str, Standing]]:
    """The applicant's own standing, then each enterprise's they act for (name and code)."""
    out: list[tuple[str, Standing]] = []
    if person is not None:
        out.append((f"{person.name} {mask_id(person.id_number)}", standing_of(person=person)))
    for e in enterprises:
        out.append((f"{e.name} {e.credit_code}", standing_of(enterprise=e)))
    return out


# Labels other contexts show with a standing (read through here, not from the vocabulary).
__all__ = ["Standing", "category_label", "list_label", "step_label"]
