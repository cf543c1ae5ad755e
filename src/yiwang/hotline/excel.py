"""The hotline figures as an Excel workbook (openpyxl): one sheet per breakdown."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook


def figures_workbook(data: dict[str, Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = str(_("Summary"))
    head = [
        _("Line"),
        pgettext("ticket", "Received"),
        _("Finished"),
        _("Completion rate %"),
        _("Overdue"),
        _("Overdue rate %"),
        _("Average handling hours"),
    ]
    ws.append([str(h) for h in head])
    for label, key in ((_("All tickets"), "total"), (_("Business-environment line"), "business_line")):
        t = data[key]
        ws.append(
            [
                str(label),
                t["received"],
                t["finished"],
                t["completion_rate"],
                t["overdue"],
                t["overdue_rate"],
                t["avg_hours"],
            ]
        )
    for key, title in (
        ("by_type", _("By type")),
        ("by_category", _("By category")),
        ("by_office", _("By office")),
        ("by_street", _("By street")),
    ):
        sheet = wb.create_sheet(str(title)[:31])
        sheet.append(
            [
                str(_("Code")),
                str(_("Name")),
                str(pgettext("ticket", "Received")),
                str(_("Finished")),
                str(_("Completion rate %")),
                str(_("Overdue")),
            ]
        )
        for r in data[key]:
            sheet.append(
                [
                    str(r["key"] or ""),
                    str(r["label"]),
                    r["received"],
                    r["finished"],
                    r["completion_rate"],
                    r["overdue"],
                ]
            )
    series = wb.create_sheet(str(_("Per period")))
    series.append([str(_("Period")), str(pgettext("ticket", "Received")), str(_("Finished"))])
    for r in data["series"]:
        series.append([r["period"], r["received"], r["finished"]])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
