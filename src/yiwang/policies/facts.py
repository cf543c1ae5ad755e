"""The enterprise fact provider: registration data and last year's figures (our profile table), the street
(accounts) and the tax credit rating (a pluggable expression: our own table until the credit context has one,
``settings.POLICIES["tax_rating"]``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import NullIf
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import Enterprise
from yiwang.rules.facts import BOOL, CODE, DECIMAL, INT, FactSpec, register, years_since

from .models import TaxCreditRating

if TYPE_CHECKING:
    from datetime import date

KIND = "enterprise"
PROFILE = _("enterprise profile (declared, last fiscal year)")
REGISTRATION = _("business registration")

FACTS = {
    f.name: f
    for f in [
        FactSpec("industry", CODE, _("industry code (GB/T 4754)"), "", REGISTRATION),
        FactSpec("street_code", CODE, _("registered street"), "", REGISTRATION),
        FactSpec("years_registered", INT, _("years since registration"), _("years"), REGISTRATION),
        FactSpec("registered_capital", DECIMAL, _("registered capital"), _("yuan"), REGISTRATION),
        FactSpec("employees", INT, _("employees"), _("people"), PROFILE),
        FactSpec("revenue", DECIMAL, _("revenue last year"), _("yuan"), PROFILE),
        FactSpec("rd_spend", DECIMAL, _("R&D spend last year"), _("yuan"), PROFILE),
        FactSpec(
            "high_tech", BOOL, _("national high-tech enterprise"), "", _("high-tech certification register")
        ),
        FactSpec(
            "specialised", BOOL, _("specialised and innovative (专精特新)"), "", _("SME department's list")
        ),
        FactSpec("tax_rating", CODE, _("tax credit rating"), "", _("tax credit ratings (latest year)")),
    ]
}


def own_tax_rating() -> Any:
    """The latest year's rating from this context's table."""
    return Subquery(
        TaxCreditRating.objects.filter(enterprise=OuterRef("pk")).order_by("-year").values("rating")[:1]
    )


def _tax_rating() -> Any:
    conf: dict[str, Any] = settings.POLICIES
    path = str(conf.get("tax_rating", "yiwang.policies.facts.own_tax_rating"))
    return import_string(path)()


class EnterpriseFacts:
    kind = KIND
    facts = FACTS

    def queryset(
        self, *, as_of: date, scope: dict[str, Any] | None = None, only: set[str] | None = None
    ) -> QuerySet[Any]:
        qs = Enterprise.objects.annotate(
            subject_id=F("pk"),
            industry=NullIf(F("policy_profile__industry_code"), Value("")),
            street_code=F("street__code"),
            years_registered=years_since("policy_profile__registered_on", as_of),
            registered_capital=F("policy_profile__registered_capital"),
            employees=F("policy_profile__employees"),
            revenue=F("policy_profile__revenue"),
            rd_spend=F("policy_profile__rd_spend"),
            high_tech=F("policy_profile__high_tech"),
            specialised=F("policy_profile__specialised"),
            tax_rating=_tax_rating(),
        ).order_by()
        if scope and scope.get("ids"):
            qs = qs.filter(pk__in=scope["ids"])
        return qs

    def count(self, *, scope: dict[str, Any] | None = None) -> int:
        qs = Enterprise.objects.all()
        if scope and scope.get("ids"):
            qs = qs.filter(pk__in=scope["ids"])
        return qs.count()


register(EnterpriseFacts())
