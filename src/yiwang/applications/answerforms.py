"""The application form (申请表) people fill in, built from an item version's form rows
(``catalogue.formschema``): one Django form for the top-level fields and one formset per repeatable group.
It parses and validates what a page posts, and — through ``data_from_answers`` — what the API sends as JSON,
so both give the same messages naming the field. ``answers()`` is the JSON stored on the application.

Field names in the posted data (prefix ``answers``): ``answers-<key>`` for a plain field; a person is
``<key>__name`` and ``<key>__id``, an enterprise ``<key>__name`` and ``<key>__code``, an address
``<key>__street`` and ``<key>__detail``; group rows are the formset ``answers-<group>-<n>-<field>``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.formsets import BaseFormSet, formset_factory
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from yiwang.accounts import selectors as people
from yiwang.catalogue.formschema import MAX_TEXT, choice_label, label, max_rows, members, top_level
from yiwang.core.masking import mask_id, mask_mobile
from yiwang.core.validators import validate_resident_id, validate_uscc

from .answers import prefill

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

PREFIX = "answers"


def street_choices() -> list[tuple[str, str]]:
    """The district's streets for an address question, in the reader's language."""
    english = (get_language() or "").startswith("en")
    return [(s.code, (s.name_en or s.name) if english else s.name) for s in people.streets_list()]


def posted(data: Any) -> bool:
    """Whether the posted page drew the application form (its marker field), so absent answers mean empty."""
    return bool(data.get(f"{PREFIX}-shown"))


def for_version(version: Any, data: Any = None, *, person: Any = None, enterprise: Any = None) -> AnswersForm:
    """A new application's form (the window's reception, assisted service): prefilled from the applicant's
    records, or bound to ``data``. Required answers may wait; acceptance needs them."""
    start = prefill(version.form, person=person, enterprise=enterprise) if version is not None else {}
    form = version.form if version is not None else []
    return AnswersForm(data, form=form, answers=start, streets=street_choices(), require=False)


def for_application(app: Any, data: Any = None, *, require: bool = False) -> AnswersForm:
    """The form of the application's item version, with its stored answers (unbound) or bound to ``data``."""
    return AnswersForm(
        data, form=app.item_version.form, answers=app.answers, streets=street_choices(), require=require
    )


PARTS = {"person": ("name", "id"), "enterprise": ("name", "code"), "address": ("street", "detail")}


def _part_labels() -> dict[str, dict[str, str]]:
    return {
        "person": {"name": pgettext("answer part", "name"), "id": _("ID number")},
        "enterprise": {
            "name": pgettext("answer part", "enterprise name"),
            "code": _("unified social credit code"),
        },
        "address": {"street": _("street"), "detail": pgettext("answer part", "address")},
    }


def _fields_for(row: dict[str, Any], streets: Sequence[tuple[str, str]]) -> dict[str, forms.Field]:
    """The Django fields of one form row (two for a person, an enterprise or an address)."""
    name, kind, required = row["key"], row["kind"], bool(row.get("required"))
    text = label(row)
    common: dict[str, Any] = {"label": text, "required": required, "help_text": row.get("help_text") or ""}
    if kind == "text":
        return {name: forms.CharField(max_length=int(row.get("max_length") or 200), **common)}
    if kind == "long_text":
        return {
            name: forms.CharField(
                max_length=int(row.get("max_length") or MAX_TEXT),
                widget=forms.Textarea(attrs={"rows": 3}),
                **common,
            )
        }
    if kind == "number":
        low, high = row.get("min_value"), row.get("max_value")
        return {
            name: forms.DecimalField(
                min_value=Decimal(low) if low is not None else None,
                max_value=Decimal(high) if high is not None else None,
                max_digits=16,
                decimal_places=4,
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
                **common,
            )
        }
    if kind == "date":
        return {name: forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)}
    if kind == "choice":
        options = [(c["value"], choice_label(row, c["value"])) for c in row.get("choices") or []]
        return {name: forms.ChoiceField(choices=[("", "—"), *options], **common)}
    parts = _part_labels()[kind]
    out: dict[str, forms.Field] = {}
    for part, part_label in parts.items():
        field_label = f"{text} · {part_label}"
        if kind == "address" and part == "street":
            out[f"{name}__{part}"] = forms.ChoiceField(
                label=field_label, required=required, choices=[("", "—"), *streets]
            )
            continue
        validators = {"id": [validate_resident_id], "code": [validate_uscc]}.get(part, [])
        out[f"{name}__{part}"] = forms.CharField(
            label=field_label,
            required=required,
            max_length={"id": 18, "code": 18, "detail": 200}.get(part, 60),
            validators=validators,
            help_text=row.get("help_text") or "" if part == "name" or part == "street" else "",
        )
    return out


class _RowForm(forms.Form):
    """A form over some rows of the schema (the top level, or one row of a group). The browser does not
    enforce "required": a draft may be saved half-answered and an added row may stay blank; the server
    checks, and the labels say which answers are required."""

    use_required_attribute = False

    def __init__(
        self,
        *args: Any,
        rows: Sequence[dict[str, Any]] = (),
        streets: Sequence[tuple[str, str]] = (),
        kept: dict[str, tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        self.kept = kept or {}
        for row in self.rows:
            if row["kind"] != "group":
                self.fields.update(_fields_for(row, streets))
        for name, (masked, _whole) in self.kept.items():
            field = self.fields.get(name)
            if (
                field is not None
            ):  # the masked number as shown is no number to check: it stands for the stored one
                field.validators = [_unless(masked, v) for v in field.validators]

    def _value(self, name: str) -> Any:
        value = self.cleaned_data.get(name)
        masked, whole = self.kept.get(name, (None, None))
        return whole if masked is not None and str(value or "").strip() == masked else value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in self.rows:
            kind = row["kind"]
            if kind not in PARTS or row.get("required"):
                continue
            names = [f"{row['key']}__{p}" for p in PARTS[kind]]
            given = [n for n in names if data.get(n)]
            if given and len(given) < len(names) and not self.errors.keys() & set(names):
                for n in names:
                    if not data.get(n):
                        self.add_error(n, _("Give this too, or leave the whole field empty."))
        return data

    def values(self, streets: dict[str, str]) -> dict[str, Any]:
        """The cleaned rows as JSON values (empty answers left out)."""
        out: dict[str, Any] = {}
        for row in self.rows:
            key, kind = row["key"], row["kind"]
            if kind == "group":
                continue
            if kind in PARTS:
                parts = {p: str(self._value(f"{key}__{p}") or "").strip() for p in PARTS[kind]}
                if not any(parts.values()):
                    continue
                if kind == "person":
                    out[key] = {"name": parts["name"], "id_number": parts["id"].upper()}
                elif kind == "enterprise":
                    out[key] = {"name": parts["name"], "credit_code": parts["code"].upper()}
                else:
                    out[key] = {
                        "street": parts["street"],
                        "street_name": streets.get(parts["street"], ""),
                        "detail": parts["detail"],
                    }
                continue
            value = self._value(key)
            if value in (None, ""):
                continue
            if kind == "number":
                out[key] = int(value) if value == value.to_integral_value() else float(value)
            elif kind == "date":
                out[key] = value.isoformat()
            else:
                out[key] = str(value).strip()
        return out


def _unless(masked: str, validator: Any) -> Any:
    def check(value: Any) -> None:
        if str(value or "").strip() != masked:
            validator(value)

    return check


class _GroupRows(BaseFormSet):
    """Every posted row is optional unless the group needs rows (``min_num``): blank rows are dropped. Row
    ``n`` keeps the stored numbers of stored row ``n`` (``kept_rows``)."""

    kept_rows: list[dict[str, tuple[str, str]]] = []

    def initial_form_count(self) -> int:
        return 0

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.kept_rows):
            kwargs["kept"] = self.kept_rows[index]
        return kwargs


class AnswersForm:
    """The whole application form: ``is_valid()``, ``errors`` (one message per problem, naming the field and,
    in a group, the row), ``answers()``. ``require`` off (a saved draft) lets required answers wait for
    submission; what is given is still checked."""

    def __init__(
        self,
        data: Any = None,
        *,
        form: Sequence[dict[str, Any]],
        answers: dict[str, Any] | None = None,
        streets: Sequence[tuple[str, str]] = (),
        require: bool = True,
        unknown: Sequence[str] = (),
    ) -> None:
        self.schema = list(form)
        self.unknown = list(unknown)
        self.needed = {r["key"]: bool(r.get("required")) for r in self.schema}
        self.streets = dict(streets)
        rows = [dict(r, required=bool(r.get("required")) and require) for r in top_level(self.schema)]
        self.form = _RowForm(
            data,
            rows=rows,
            streets=streets,
            prefix=PREFIX,
            initial=_initial(rows, answers or {}) if data is None else None,
            kept=_kept(rows, answers or {}),
        )
        self.groups: list[tuple[dict[str, Any], Any]] = []
        for group in rows:
            if group["kind"] != "group":
                continue
            children = [dict(r, required=bool(r.get("required"))) for r in members(self.schema, group["key"])]
            initial = [_initial(children, r) for r in (answers or {}).get(group["key"]) or []]
            least = 1 if group["required"] else 0
            factory = formset_factory(
                _RowForm,
                formset=_GroupRows,
                extra=max(len(initial), 1) - least if data is None else 0,
                min_num=least,
                max_num=max_rows(group),
                validate_min=True,
                validate_max=True,
                absolute_max=max_rows(group),
            )
            formset = factory(
                data,
                prefix=f"{PREFIX}-{group['key']}",
                initial=initial or None,
                form_kwargs={"rows": children, "streets": streets},
            )
            formset.kept_rows = [  # type: ignore[attr-defined]
                _kept(children, r) for r in (answers or {}).get(group["key"]) or [] if isinstance(r, dict)
            ]
            self.groups.append((group, formset))
        self._errors: dict[str, str] | None = None

    def __bool__(self) -> bool:
        return bool(self.schema)

    @property
    def sections(self) -> list[dict[str, Any]]:
        """For the template: each top-level row with its bound fields, or a group with its formset."""
        out = []
        formsets = {g["key"]: fs for g, fs in self.groups}
        for row in self.form.rows:
            if row["kind"] == "group":
                out.append(
                    {"row": row, "label": label(row), "formset": formsets[row["key"]], "max": max_rows(row)}
                )
            else:
                names = (
                    [f"{row['key']}__{p}" for p in PARTS[row["kind"]]]
                    if row["kind"] in PARTS
                    else [row["key"]]
                )
                out.append(
                    {
                        "row": row,
                        "label": label(row),
                        "needed": self.needed[row["key"]],
                        "fields": [self.form[n] for n in names],
                    }
                )
        return out

    def is_valid(self) -> bool:
        ok = self.form.is_valid() and not self.unknown
        for _group, formset in self.groups:
            ok = formset.is_valid() and ok
        return ok

    @property
    def errors(self) -> dict[str, str]:
        """``{field name: "标签：问题"}`` in the page's language, rows numbered from 1."""
        if self._errors is None:
            self.is_valid()
            out: dict[str, str] = {}
            for name, messages in self.form.errors.items():
                field = self.form.fields.get(name)
                text = " ".join(str(m) for m in messages)
                out[self.form.add_prefix(name)] = (
                    _("%(field)s: %(problem)s") % {"field": field.label, "problem": text}
                    if field is not None
                    else text
                )
            for group, formset in self.groups:
                title = label(group)
                for problem in formset.non_form_errors():
                    out[f"{PREFIX}-{group['key']}"] = _("%(field)s: %(problem)s") % {
                        "field": title,
                        "problem": problem,
                    }
                for n, row_form in enumerate(formset.forms, start=1):
                    for name, messages in row_form.errors.items():
                        field = row_form.fields.get(name)
                        out[row_form.add_prefix(name)] = _("%(group)s, row %(n)s, %(field)s: %(problem)s") % {
                            "group": title,
                            "n": n,
                            "field": field.label if field is not None else name,
                            "problem": " ".join(str(m) for m in messages),
                        }
            for key in self.unknown:
                out[f"{PREFIX}-{key}"] = _("%(field)s: this form has no such field.") % {"field": key}
            self._errors = out
        return self._errors

    def refusal(self) -> dict[str, Any]:
        errors = self.errors
        return {"code": "invalid", "message": next(iter(errors.values()), ""), "fields": errors}

    def answers(self) -> dict[str, Any]:
        """The valid answers as stored on the application."""
        out = self.form.values(self.streets)
        for group, formset in self.groups:
            rows = [r for r in (f.values(self.streets) for f in formset.forms) if r]
            if rows:
                out[group["key"]] = rows
        return out


STORED_PARTS = {
    "person": ("name", "id_number"),
    "enterprise": ("name", "credit_code"),
    "address": ("street", "detail"),
}


def _masker(row: dict[str, Any], part: str = "") -> Any:
    """How a personal number in this row (part) is shown back: pages and API never carry it whole, so the
    form shows it masked and a masked (or emptied) value posted back keeps the stored number."""
    if row["kind"] == "person" and part == "id":
        return mask_id
    if row["kind"] == "text" and row.get("prefill") == "person.id_number":
        return mask_id
    if row["kind"] == "text" and row.get("prefill") == "person.mobile":
        return mask_mobile
    return None


def _initial(rows: Iterable[dict[str, Any]], answers: dict[str, Any], *, mask: bool = True) -> dict[str, Any]:
    """Stored answers as the form's initial values (the reverse of ``values``), personal numbers masked."""
    out: dict[str, Any] = {}
    for row in rows:
        key, kind = row["key"], row["kind"]
        value = answers.get(key)
        if value in (None, "") or kind == "group":
            continue
        if kind in PARTS and isinstance(value, dict):
            for part, source in zip(PARTS[kind], STORED_PARTS[kind], strict=True):
                masker = _masker(row, part) if mask else None
                out[f"{key}__{part}"] = masker(value.get(source, "")) if masker else value.get(source, "")
        elif kind not in PARTS:
            masker = _masker(row) if mask else None
            out[key] = masker(str(value)) if masker else value
    return out


def _kept(rows: Iterable[dict[str, Any]], values: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """``{field name: (masked, whole)}`` for the stored personal numbers of these rows: posted back as shown
    (masked), they keep the stored number."""
    out: dict[str, tuple[str, str]] = {}
    for row in rows:
        value = values.get(row["key"])
        if row["kind"] == "person" and isinstance(value, dict) and value.get("id_number"):
            out[f"{row['key']}__id"] = (mask_id(str(value["id_number"])), str(value["id_number"]))
        elif _masker(row) is not None and isinstance(value, str) and value:
            out[row["key"]] = (_masker(row)(value), value)
    return out


def data_from_answers(
    form: Sequence[dict[str, Any]], answers: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """JSON answers (the API's) as the posted data ``AnswersForm`` reads, and the keys it does not know."""
    keys = {r["key"]: r for r in top_level(form)}
    unknown = sorted(k for k in answers if k not in keys)
    data: dict[str, Any] = {}

    def put(prefix: str, rows: Iterable[dict[str, Any]], values: dict[str, Any]) -> None:
        for name, value in _initial(rows, values, mask=False).items():
            data[f"{prefix}-{name}"] = "" if value is None else str(value)
        for row in rows:
            value = values.get(row["key"])
            if row["kind"] in PARTS and value not in (None, "") and not isinstance(value, dict):
                data[f"{prefix}-{row['key']}__{PARTS[row['kind']][0]}"] = str(
                    value
                )  # reported as invalid below

    put(PREFIX, list(keys.values()), answers)
    for row in keys.values():
        if row["kind"] != "group":
            continue
        given = answers.get(row["key"]) or []
        rows = given if isinstance(given, list) else []
        prefix = f"{PREFIX}-{row['key']}"
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for n, values in enumerate(rows):
            put(f"{prefix}-{n}", members(form, row["key"]), values if isinstance(values, dict) else {})
    return data, unknown


def check_json_answers(
    form: Sequence[dict[str, Any]],
    answers: dict[str, Any],
    *,
    streets: Sequence[tuple[str, str]],
    require: bool,
    stored: dict[str, Any] | None = None,
) -> AnswersForm:
    """An ``AnswersForm`` bound to the API's JSON answers; keys the form does not have are errors naming them.
    A masked number sent back as it was read keeps the ``stored`` one."""
    data, unknown = data_from_answers(form, answers)
    return AnswersForm(data, form=form, answers=stored, streets=streets, require=require, unknown=unknown)
