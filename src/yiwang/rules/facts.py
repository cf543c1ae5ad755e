"""Facts: what a rule may ask about a subject. Each fact has a type, a unit and a source, and comes from a
declared provider (one per subject kind) that answers for one subject and, as SQL, for all of them.
A provider returns ``None`` for a fact it does not know: the engine never guesses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import Case, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractYear

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.utils.functional import Promise

INT = "int"
DECIMAL = "decimal"
BOOL = "bool"
CODE = "code"
TYPES = (INT, DECIMAL, BOOL, CODE)
NUMERIC = (INT, DECIMAL)


@dataclass(frozen=True)
class FactSpec:
    name: str
    type: str
    label: Any  # str or a lazy translation
    unit: str | Promise = ""
    source: str | Promise = ""
    # For an age-like fact (whole years from a date column to the fact date): the name of that date column in
    # the provider's query, so the SQL compiler can compare the date itself (an index range) — docs/adr/0100.
    years_since: str = ""

    def __post_init__(self) -> None:
        assert self.type in TYPES, self.type


class FactProvider(Protocol):
    """One per subject kind. ``queryset`` answers with one row per subject: ``subject_id``, one column per
    fact (named like it) and any ``carry`` columns a batch sink needs; the single-subject path filters the
    same query, so one subject and the batch see the same facts."""

    kind: str

    @property
    def facts(self) -> dict[str, FactSpec]: ...

    def queryset(
        self, *, as_of: date, scope: dict[str, Any] | None = None, only: set[str] | None = None
    ) -> QuerySet[Any]: ...

    def count(self, *, scope: dict[str, Any] | None = None) -> int: ...


def years_since(field: str, on: date) -> Any:
    """Whole years from a date column to ``on`` (an age), in SQL any backend runs; NULL stays NULL."""
    later = Q(**{f"{field}__month__gt": on.month}) | Q(
        **{f"{field}__month": on.month, f"{field}__day__gt": on.day}
    )
    return ExpressionWrapper(
        Value(on.year) - ExtractYear(F(field)) - Case(When(later, then=Value(1)), default=Value(0)),
        output_field=IntegerField(),
    )


def years_cutoff(on: date, years: int) -> date:
    """The latest date from which ``years_since(…, on) >= years`` (Feb 29 → Feb 28 in a common year)."""
    y = on.year - years
    try:
        return on.replace(year=y)
    except ValueError:
        return date(y, 2, 28)


_PROVIDERS: dict[str, FactProvider] = {}


def register(provider: FactProvider) -> FactProvider:
    _PROVIDERS[provider.kind] = provider
    return provider


def provider_for(kind: str) -> FactProvider:
    return _PROVIDERS[kind]


def kinds() -> list[str]:
    return sorted(_PROVIDERS)


def coerce(spec: FactSpec, value: Any) -> Any:
    """A provider's or a hand-entered value as the fact's type (``None`` stays unknown)."""
    if value is None or value == "":
        return None
    if spec.type == INT:
        return int(value)
    if spec.type == DECIMAL:
        return Decimal(str(value))
    if spec.type == BOOL:
        if isinstance(value, str):
            return value.lower() in ("1", "true", "yes", "on")
        return bool(value)
    return str(value)
