"""An application's answers to its item version's form (申请表): prefilled from the applicant's own data,
checked for required answers before submission and acceptance, and shown to the reviewer and the applicant
with ID numbers masked. Pure functions over the version's form rows (``catalogue.formschema``) and the stored
JSON; the form people fill in is ``answerforms``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yiwang.catalogue.formschema import choice_label, label, members, top_level
from yiwang.core.masking import mask_id, mask_mobile

if TYPE_CHECKING:
    from collections.abc import Sequence

    from yiwang.accounts.models import Enterprise, Person


def prefill(
    form: Sequence[dict[str, Any]], *, person: Person | None, enterprise: Enterprise | None
) -> dict[str, Any]:
    """The answers the applicant's own records give: their name, ID number, mobile, address, or the applying
    enterprise's. Only fields that declare a source are filled, and only with what is known."""
    out: dict[str, Any] = {}
    for row in top_level(form):
        source = str(row.get("prefill") or "")
        subject, _dot, attribute = source.partition(".")
        obj = person if subject == "person" else enterprise if subject == "enterprise" else None
        if obj is None:
            continue
        if not attribute:
            code = obj.id_number if subject == "person" else obj.credit_code  # type: ignore[union-attr]
            out[row["key"]] = {
                "name": obj.name,
                ("id_number" if subject == "person" else "credit_code"): code,
            }
            continue
        value = str(getattr(obj, attribute, "") or "").strip()
        if value:
            out[row["key"]] = value[: int(row.get("max_length") or 200)]
    return out


def _empty(value: Any) -> bool:
    return value in (None, "", [], {})


def unanswered(form: Sequence[dict[str, Any]], answers: dict[str, Any]) -> list[str]:
    """Labels of required questions without an answer (a required group needs at least one row)."""
    return [label(r) for r in top_level(form) if r.get("required") and _empty((answers or {}).get(r["key"]))]


def _text(row: dict[str, Any], value: Any, *, reveal: bool) -> str:
    kind = row["kind"]
    if _empty(value):
        return ""
    if kind == "person" and isinstance(value, dict):
        number = str(value.get("id_number") or "")
        return f"{value.get('name', '')}（{number if reveal else mask_id(number)}）"
    if kind == "enterprise" and isinstance(value, dict):
        return f"{value.get('name', '')}（{value.get('credit_code', '')}）"
    if kind == "address" and isinstance(value, dict):
        return f"{value.get('street_name') or ''}{value.get('detail') or ''}"
    if kind == "choice":
        return choice_label(row, str(value))
    if kind == "text" and row.get("prefill") == "person.id_number" and not reveal:
        return mask_id(str(value))
    if kind == "text" and row.get("prefill") == "person.mobile" and not reveal:
        return mask_mobile(str(value))
    return str(value)


def display(
    form: Sequence[dict[str, Any]], answers: dict[str, Any], *, reveal: bool = False
) -> list[dict[str, Any]]:
    """The answers in the form's order for a page or a document: ``{"label", "text"}`` for a question and
    ``{"label", "columns", "rows"}`` for a group. ID numbers are masked unless ``reveal``."""
    answers = answers or {}
    out: list[dict[str, Any]] = []
    for row in top_level(form):
        value = answers.get(row["key"])
        if row["kind"] == "group":
            children = members(form, row["key"])
            rows = [
                [_text(c, r.get(c["key"]), reveal=reveal) for c in children]
                for r in value or []
                if isinstance(r, dict)
            ]
            out.append({"label": label(row), "columns": [label(c) for c in children], "rows": rows})
        else:
            out.append({"label": label(row), "text": _text(row, value, reveal=reveal)})
    return out


def masked(form: Sequence[dict[str, Any]], answers: dict[str, Any]) -> dict[str, Any]:
    """A copy of the answers with ID and mobile numbers masked (for readers who need no more)."""

    def one(rows: Sequence[dict[str, Any]], values: dict[str, Any]) -> dict[str, Any]:
        out = dict(values)
        for row in rows:
            value = out.get(row["key"])
            if row["kind"] == "person" and isinstance(value, dict):
                out[row["key"]] = {**value, "id_number": mask_id(str(value.get("id_number") or ""))}
            elif row["kind"] == "group" and isinstance(value, list):
                out[row["key"]] = [one(members(form, row["key"]), v) for v in value if isinstance(v, dict)]
            elif row.get("prefill") == "person.id_number" and isinstance(value, str):
                out[row["key"]] = mask_id(value)
            elif row.get("prefill") == "person.mobile" and isinstance(value, str):
                out[row["key"]] = mask_mobile(value)
        return out

    return one(top_level(form), answers or {})
