"""Outreach forms: a visit's outcome, a screening's purpose, and the register file (CSV or Excel) read into
rows with their line numbers."""

from __future__ import annotations

import csv
import io
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .services import OUTCOMES, ResidentRow

COLUMNS = ("name", "id_number", "community", "hukou", "disability", "benefits")
MAX_BYTES = 20 * 1024 * 1024


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("outcome"), choices=[(o.value, o.label) for o in OUTCOMES])
    note = forms.CharField(label=gettext_lazy("note"), max_length=200, required=False)


class ScreeningForm(forms.Form):
    purpose = forms.CharField(label=gettext_lazy("purpose"), max_length=200)


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("register file (CSV or Excel)"))

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if f.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not f.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return f

    def rows(self) -> list[ResidentRow]:
        f = self.cleaned_data["file"]
        data = f.read()
        return read_rows(data, xlsx=f.name.lower().endswith(".xlsx"))


def read_rows(data: bytes, *, xlsx: bool) -> list[ResidentRow]:
    """The file's rows after its header (line 1), numbered as a spreadsheet shows them."""
    if xlsx:
        import openpyxl

        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as e:
            raise forms.ValidationError(_("This is not an Excel file.")) from e
        raw = [["" if v is None else str(v) for v in r] for r in wb.worksheets[0].iter_rows(values_only=True)]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise forms.ValidationError(_("The CSV file must be UTF-8.")) from e
        raw = list(csv.reader(io.StringIO(text)))
    if not raw:
        raise forms.ValidationError(_("The file is empty."))
    header = [h.strip().lower() for h in raw[0]]
    missing = [c for c in COLUMNS[:4] if c not in header]
    if missing:
        raise forms.ValidationError(_("Missing columns: %(c)s") % {"c": ", ".join(missing)})
    idx = {c: header.index(c) for c in COLUMNS if c in header}
    out = []
    for n, r in enumerate(raw[1:], start=2):
        if not any(x.strip() for x in r):
            continue

        def get(c: str, r: list[str] = r) -> str:
            return r[idx[c]].strip() if c in idx and idx[c] < len(r) else ""

        out.append(
            ResidentRow(
                line=n,
                name=get("name"),
                id_number=get("id_number").upper(),
                community=get("community"),
                hukou=get("hukou"),
                disability=get("disability"),
                benefits=tuple(b.strip() for b in get("benefits").split(";") if b.strip()),
            )
        )
    return out


class VisitsQueryForm(forms.Form):
    """``show=open`` (the default: visits still to make) or ``show=`` (all)."""

    show = forms.ChoiceField(choices=[("open", "open"), ("", "all")], required=False)

    def outcome(self) -> str:
        if "show" in self.data and self.is_valid():
            return str(self.cleaned_data["show"])
        return "open"
