"""The demo district's catalogue: ``data/catalogue.xlsx`` imported and published through the catalogue's own
Excel importer (``catalogue.excel.import_workbook``), as a department administrator would upload it; the
common search synonyms through ``catalogue.services.synonyms_add``. Idempotent: only items whose code is not
in the catalogue yet are imported.

The workbook holds 598 items with exactly the seeds' figures (docs/capabilities.md C1, C3–C5, C14, C20): 509
serve enterprises; 187 are 不见面; 100 are district-wide 通办; 206 allow 容缺 with 531 容缺 materials;
committed limits on average ≥ 50% below legal limits; 19 medical-insurance items in the district and street
halls; 65 social-insurance items in the district hall and the 吉华, 园山 and 宝龙 street halls; items of the
seven utilities; each park platform offers a subset of 200 items. About a hundred are real items written
by hand; the others are marked as sample data (示例数据). Edit it in Excel or WPS, or in the admin and
``yiwang catalogue export`` it again (docs/adr/0026-demo-catalogue.md, docs/adr/0061-demo-package.md).
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from yiwang.catalogue.excel import ITEM_HEADERS, ITEMS_SHEET, import_workbook
from yiwang.catalogue.models import Item, Material
from yiwang.catalogue.search import default_synonyms
from yiwang.catalogue.services import synonyms_add
from yiwang.demo.context import DemoContext, data_file

WORKBOOK = "catalogue.xlsx"
CODE = ITEM_HEADERS["code"]  # 事项编码: also the first column of the materials and steps sheets


def _rows_not_in(content: bytes, have: set[str]) -> tuple[bytes, int]:
    """The workbook with only the items (and their materials and steps) whose code is not in ``have``, and
    how many items that leaves."""
    from openpyxl import Workbook, load_workbook

    source = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    out = Workbook(write_only=True)
    left = 0
    for ws in source.worksheets:
        target = out.create_sheet(ws.title)
        rows = ws.iter_rows(values_only=True)
        header = next(rows)
        target.append(header)
        column = list(header).index(CODE)
        for row in rows:
            if row[column] is not None and str(row[column]) not in have:
                target.append(row)
                left += ws.title == ITEMS_SHEET
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue(), left


_GENERIC: dict[str, bytes] = {}


def _sample_pdf(title: str, subtitle: str) -> bytes:
    from yiwang.core.pdf import pdf_document

    return pdf_document(title, [("p", "样本 SAMPLE — 仅供参考，不作为正式文书使用。")], subtitle=subtitle)


def _generic(kind: str) -> bytes:
    if kind not in _GENERIC:
        _GENERIC[kind] = _sample_pdf(kind, "龙岗区政务服务示范数据")
    return _GENERIC[kind]


def _sample_files(codes: set[str]) -> None:
    """The files the workbook names: result samples of hand-written items are named for their result;
    forms and the generated items share generic samples (small generated PDFs)."""
    for item in Item.objects.filter(code__in=codes).exclude(result_sample=""):
        name = item.result_sample.name or ""
        if not default_storage.exists(name):
            content = (
                _generic("证照样本")
                if item.is_sample
                else _sample_pdf(f"{item.result_name}（样本）", item.name)
            )
            default_storage.save(name, ContentFile(content))
    materials = Material.objects.filter(item__code__in=codes).exclude(blank_form="", filled_sample="")
    for m in materials:
        for file, label in ((m.blank_form, "空白表格"), (m.filled_sample, "填写样例")):
            if file.name and not default_storage.exists(file.name):
                default_storage.save(file.name, ContentFile(_generic(label)))


def load(ctx: DemoContext) -> None:
    from yiwang.accounts.models import Department

    if not Department.objects.exists():
        ctx.out("catalogue: skipped, no departments (load the accounts demo first)")
        return
    with ctx.as_of(ctx.opening + timedelta(hours=2)):  # published once the organisations were set up
        ctx.count("search synonyms", synonyms_add(actor=None, pairs=default_synonyms()))
        have = set(Item.objects.values_list("code", flat=True))
        content = data_file(WORKBOOK)
        if have:
            content, left = _rows_not_in(content, have)
            if not left:
                return
        task = ctx.progress.add_task("catalogue (Excel import)", total=None)

        def progress(done: int, total: int) -> None:
            ctx.progress.update(task, completed=done, total=total)

        report: Any = import_workbook(content, actor=None, publish=True, progress=progress)
        _sample_files(set(Item.objects.values_list("code", flat=True)) - have)
    ctx.count("service items", report.created)
    ctx.count("published item versions", report.published)
