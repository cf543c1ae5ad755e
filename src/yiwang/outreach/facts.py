"""The resident fact provider: age from the date of birth, household registration (户籍), residence street and
community, disability, status, the benefits held (register), open applications (applications context) and
whether the person is already on a pending outreach list — one row per resident, in SQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Case, Exists, F, OuterRef, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.accounts.models import Street
from yiwang.applications.selectors import open_applications_for_items
from yiwang.rules.facts import BOOL, CODE, INT, FactSpec, register, years_since

from .models import Resident, ResidentBenefit, Visit

if TYPE_CHECKING:
    from datetime import date

KIND = "resident"
REGISTER = gettext_lazy("resident register")


def conf() -> dict[str, Any]:
    """``settings.OUTREACH`` (pilot streets, district, benefits)."""
    return settings.OUTREACH


def benefits() -> dict[str, dict[str, Any]]:
    return dict(conf()["benefits"])


def _facts() -> dict[str, FactSpec]:
    out = [
        FactSpec("age", INT, gettext_lazy("age"), gettext_lazy("years"), REGISTER, years_since="birth_date_"),
        FactSpec("hukou", CODE, gettext_lazy("household registration (district code)"), "", REGISTER),
        FactSpec("street_code", CODE, gettext_lazy("residence street"), "", REGISTER),
        FactSpec("community_code", CODE, gettext_lazy("residence community"), "", REGISTER),
        FactSpec("disability_grade", CODE, gettext_lazy("disability grade (0 = none)"), "", REGISTER),
        FactSpec("status", CODE, gettext_lazy("status (active, moved, deceased)"), "", REGISTER),
    ]
    for code, b in benefits().items():
        label = b["label"]
        out += [
            FactSpec(f"holds_{code}", BOOL, _lazy_fmt(gettext_lazy("holds: %s"), label), "", REGISTER),
            FactSpec(
                f"applying_{code}",
                BOOL,
                _lazy_fmt(gettext_lazy("open application: %s"), label),
                "",
                gettext_lazy("applications"),
            ),
            FactSpec(
                f"listed_{code}",
                BOOL,
                _lazy_fmt(gettext_lazy("already on an outreach list: %s"), label),
                "",
                gettext_lazy("outreach visits"),
            ),
        ]
    return {f.name: f for f in out}


class _lazy_fmt:
    def __init__(self, fmt: Any, value: Any):
        self.fmt, self.value = fmt, value

    def __str__(self) -> str:
        return str(self.fmt) % _(str(self.value))


def street_ids(codes: list[str]) -> list[int]:
    return list(Street.objects.filter(code__in=codes).values_list("pk", flat=True))


class ResidentFacts:
    kind = KIND

    @property
    def facts(self) -> dict[str, FactSpec]:
        """Computed from the configured benefits each time (the settings may change, as in tests)."""
        return _facts()

    def _scoped(self, scope: dict[str, Any] | None) -> QuerySet[Resident]:
        qs = Resident.objects.all()
        if scope and scope.get("streets"):
            qs = qs.filter(street_id__in=street_ids(scope["streets"]))
        return qs

    def queryset(
        self, *, as_of: date, scope: dict[str, Any] | None = None, only: set[str] | None = None
    ) -> QuerySet[Any]:
        """``only``: the facts (and columns) a batch needs — the others are not computed (no joins, no
        subqueries for them); ``None`` computes every fact."""
        ann: dict[str, Any] = {
            "subject_id": F("pk"),
            "age": years_since("birth_date", as_of),
            "birth_date_": F("birth_date"),
            "street_code": F("street__code"),
            "community_code": F("community__code"),
            "disability_grade": Case(When(disability="", then=Value("0")), default=F("disability")),
            "carry_street": F("street_id"),
            "carry_community": F("community_id"),
        }
        for code, b in benefits().items():
            ann[f"holds_{code}"] = Exists(
                ResidentBenefit.objects.filter(resident=OuterRef("pk"), benefit=code)
            )
            ann[f"applying_{code}"] = Exists(
                open_applications_for_items([b["item"]]).filter(case__applicant_person=OuterRef("person"))
            )
            ann[f"listed_{code}"] = Exists(
                Visit.objects.filter(
                    resident=OuterRef("pk"),
                    benefit=code,
                    outcome__in=[Visit.Outcome.PENDING, Visit.Outcome.RETRY],
                )
            )
        if only is not None:
            ann = {k: v for k, v in ann.items() if k in only or k == "subject_id"}
        return self._scoped(scope).annotate(**ann).order_by()

    def count(self, *, scope: dict[str, Any] | None = None) -> int:
        return self._scoped(scope).count()


PROVIDER = ResidentFacts()
register(PROVIDER)
