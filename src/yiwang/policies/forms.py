"""The policy officer's rule form (one row per condition: id, words, fact or formula, comparison, value) and
the calculator's hand-entered profile. Parsing only: the engine validates and names each condition's errors."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.core.forms import DayField, FlagField, QueryForm
from yiwang.rules.document import CODE_OPS, DISPLAYS, NUMERIC_OPS
from yiwang.rules.facts import BOOL, CODE, coerce
from yiwang.rules.formula import FormulaError, parse_formula, to_text

from .facts import FACTS

OPS = sorted(set(NUMERIC_OPS) | set(CODE_OPS), key=lambda o: (NUMERIC_OPS + CODE_OPS).index(o))
MAX_ROWS = 20


def _value_text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return ", ".join(str(x) for x in v)
    return "" if v is None else str(v)


def rows_of(document: dict[str, Any]) -> list[dict[str, str]]:
    """A document as the form's rows (what the editor shows)."""
    rows = []
    for c in document.get("conditions", []):
        rows.append(
            {
                "id": c.get("id", ""),
                "label": c.get("label", ""),
                "left": to_text(c.get("left")),
                "op": c.get("op", ""),
                "value": _value_text(c.get("value")),
                "display": c.get("display", ""),
            }
        )
    return rows


def amount_of(document: dict[str, Any]) -> dict[str, str]:
    a = document.get("amount") or {}
    return {"formula": to_text(a.get("formula")) if a else "", "cap": _value_text(a.get("cap"))}


class RuleForm:
    """The rows posted as ``c-N-id`` … ``c-N-display`` plus ``formula``, ``cap``, ``effective_from`` and
    ``note``. ``document()`` builds the engine's JSON; formula syntax errors are named by the condition."""

    def __init__(self, data: Any):
        self.data = data
        self.errors: dict[str, str] = {}
        self.rows: list[dict[str, str]] = []
        for i in range(MAX_ROWS):
            row = {
                k: str(data.get(f"c-{i}-{k}", "")).strip()[:200]
                for k in ("id", "label", "left", "op", "value", "display")
            }
            if any(row[k] for k in ("id", "label", "left", "value")):
                self.rows.append(row)
        self.amount = {
            "formula": str(data.get("formula", "")).strip()[:300],
            "cap": str(data.get("cap", "")).strip()[:20],
        }
        day = DayField(required=False)
        try:
            self.effective_from = day.clean(data.get("effective_from") or None)
        except forms.ValidationError:
            self.effective_from = None
            self.errors["effective_from"] = _("Enter a valid date (YYYY-MM-DD).")
        self.note = str(data.get("note", "")).strip()[:200]

    def _value(self, row: dict[str, str], left: Any) -> Any:
        raw = row["value"]
        spec = FACTS.get(str(left.get("fact"))) if isinstance(left, dict) and "fact" in left else None
        if spec is not None and spec.type == BOOL:
            return {"true": True, "yes": True, "是": True, "false": False, "no": False, "否": False}.get(
                raw.lower(), raw
            )
        if spec is not None and spec.type == CODE:
            if row["op"] in ("in", "not_in", "prefix"):
                return [x.strip() for x in raw.replace("，", ",").split(",") if x.strip()]
            return raw
        return raw

    def document(self) -> dict[str, Any]:
        conditions = []
        for n, row in enumerate(self.rows, start=1):
            where = row["id"] or f"condition {n}"
            try:
                left = parse_formula(row["left"])
            except FormulaError as e:
                self.errors[where] = _("Formula: %(e)s") % {"e": e}
                left = {"fact": ""}
            c: dict[str, Any] = {
                "id": row["id"],
                "label": row["label"],
                "left": left,
                "op": row["op"],
                "value": self._value(row, left),
            }
            if row["display"] in DISPLAYS and row["display"]:
                c["display"] = row["display"]
            conditions.append(c)
        doc: dict[str, Any] = {"conditions": conditions}
        if self.amount["formula"]:
            try:
                doc["amount"] = {
                    "formula": parse_formula(self.amount["formula"]),
                    "cap": self.amount["cap"] or None,
                }
            except FormulaError as e:
                self.errors["amount"] = _("Formula: %(e)s") % {"e": e}
        return doc


class ProfileForm(forms.Form):
    """An enterprise profile typed in by hand on the calculator (each field may be left empty: unknown)."""

    industry = forms.RegexField(
        label=gettext_lazy("industry code (GB/T 4754)"), regex=r"^[A-T]\d{0,4}$", required=False
    )
    street_code = forms.RegexField(
        label=gettext_lazy("registered street"), regex=r"^\d{6,12}$", required=False
    )
    years_registered = forms.IntegerField(
        label=gettext_lazy("years since registration"), min_value=0, max_value=200, required=False
    )
    registered_capital = forms.DecimalField(
        label=gettext_lazy("registered capital"),
        min_value=0,
        max_value=Decimal("1e13"),
        decimal_places=2,
        required=False,
    )
    employees = forms.IntegerField(
        label=gettext_lazy("employees"), min_value=0, max_value=10_000_000, required=False
    )
    revenue = forms.DecimalField(
        label=gettext_lazy("revenue last year"),
        min_value=0,
        max_value=Decimal("1e13"),
        decimal_places=2,
        required=False,
    )
    rd_spend = forms.DecimalField(
        label=gettext_lazy("R&D spend last year"),
        min_value=0,
        max_value=Decimal("1e13"),
        decimal_places=2,
        required=False,
    )
    high_tech = forms.ChoiceField(
        label=gettext_lazy("national high-tech enterprise"),
        choices=[("", "—"), ("true", "✓"), ("false", "✗")],
        required=False,
    )
    specialised = forms.ChoiceField(
        label=gettext_lazy("specialised and innovative (专精特新)"),
        choices=[("", "—"), ("true", "✓"), ("false", "✗")],
        required=False,
    )
    tax_rating = forms.ChoiceField(
        label=gettext_lazy("tax credit rating"),
        choices=[("", "—")] + [(x, x) for x in "ABMCD"],
        required=False,
    )

    def facts(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: coerce(FACTS[k], d.get(k)) for k in FACTS}


class ChoiceQueryForm(QueryForm):
    """Which of the user's enterprises the calculator runs for, or ``manual`` for a typed-in profile."""

    enterprise = forms.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    manual = FlagField()


class TestForm(forms.Form):
    enterprises = forms.CharField(
        label=gettext_lazy("sample enterprises (credit codes, comma separated)"),
        max_length=400,
        required=False,
    )

    def raw(self) -> str:
        return str(self.cleaned_data.get("enterprises", "")) if self.is_valid() else ""

    def codes(self) -> list[str]:
        raw = self.raw()
        return [x.strip().upper() for x in raw.replace("，", ",").split(",") if x.strip()][:10]
