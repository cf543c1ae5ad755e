"""Excel exchange of the catalogue: one workbook, three sheets (事项, 材料, 流程) with Chinese headers, and
an optional fourth (申请表) with the items' application forms.

Template (docs/adr/0024): each sheet's first row holds the headers below, in any order. Codes are the
national-standard codes (事项类型 01–10/20, 办件类型 1/2, 服务对象 1–9 joined by commas, 权力来源 1–6,
实施主体性质 1–3, 办理项类型 00–05/99, 网办深度 1–4); yes/no columns take 是/否; lists of codes are joined by
commas; 常见问题 is JSON ``[{"q": …, "a": …}]``. Material and step rows name their item by 事项编码; an item's
materials and steps in the file replace those in the catalogue. Form rows (申请表) name their item the same
way; 字段类型 takes the Chinese kind names below, 选项 one ``中文 | English`` option per line, 预填来源 a prefill
code (``person.name``, ``enterprise`` …). A workbook without the 申请表 sheet leaves the forms as they are; with
it, an item's form rows in the file replace its form (docs/adr/0048).

Import checks every row first and reports each problem with sheet, row and column; nothing is written
unless every row is valid. Export → import gives back exactly the same catalogue.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.models import Department
from yiwang.audit.services import audit_record

from .formschema import choices_text, parse_choices
from .models import Item
from .services import _publish_one, _write_item, item_problems
from .snapshot import (
    BOOL_FIELDS,
    INT_FIELDS,
    ITEM_FIELDS,
    LIST_FIELDS,
    MATERIAL_FIELDS,
    STEP_FIELDS,
    item_snapshot,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from yiwang.accounts.models import User

ITEMS_SHEET, MATERIALS_SHEET, STEPS_SHEET, FORM_SHEET = "事项", "材料", "流程", "申请表"

ITEM_HEADERS = {
    "code": "事项编码", "main_code": "主项编码", "main_name": "主项名称", "sub_code": "子项编码", "sub_name": "子项名称",
    "handling_type": "办理项类型", "name": "事项名称", "name_en": "英文名称", "item_type": "事项类型",
    "handling_kind": "办件类型", "service_objects": "服务对象", "power_source": "权力来源",
    "implementing_body": "实施主体", "body_nature": "实施主体性质", "level_district": "区级",
    "level_street": "街道级", "level_community": "社区级", "department": "主管部门编码", "office": "承办科室编码",
    "co_offices": "联办科室编码", "intermediary_services": "中介服务", "legal_basis": "设定依据",
    "conditions": "受理条件", "legal_limit_days": "法定时限（工作日）", "committed_limit_days": "承诺时限（工作日）",
    "quantity_limit": "数量限制", "has_fee": "是否收费", "fee_standard": "收费项目及标准", "fee_basis": "收费依据",
    "result_name": "办理结果名称", "result_is_certificate": "结果为证照", "result_sample": "结果样本文件",
    "result_elicence": "生成电子证照", "visits": "到现场次数", "visit_reason": "到现场原因",
    "online_depth": "网办深度", "no_visit": "不见面", "postal_application": "可邮寄申请", "tongban": "通办范围",
    "listed_halls": "指定大厅编码", "listed_halls_only": "仅限指定大厅", "appointment_required": "需预约",
    "express_delivery": "支持快递送达", "online_payment": "网上支付", "online_url": "网上办理地址",
    "place": "办理地点", "hours": "办理时间", "phone": "咨询电话", "faq": "常见问题（JSON）", "themes": "主题分类",
    "keywords": "检索关键词", "is_sample": "示例数据",
}  # fmt: skip
MATERIAL_HEADERS = {
    "item": "事项编码", "position": "序号", "name": "材料名称", "kind": "材料类型", "condition": "适用条件",
    "originals": "原件份数", "copies": "复印件份数", "medium": "载体", "blank_form": "空表文件",
    "filled_sample": "样表文件", "source": "来源", "source_note": "获取渠道", "rongque_allowed": "可容缺",
    "rongque_max_days": "容缺补交期限（工作日）", "notes": "备注",
}  # fmt: skip
STEP_HEADERS = {"item": "事项编码", "position": "序号", "name": "环节名称", "office": "办理科室编码",
                "days": "办理时限（工作日）", "description": "环节说明"}  # fmt: skip
FORM_HEADERS = {
    "item": "事项编码", "position": "序号", "key": "字段代码", "label": "字段名称", "label_en": "英文名称",
    "field_kind": "字段类型", "required": "必填", "group": "所属分组", "choices": "选项", "min_value": "最小值",
    "max_value": "最大值", "max_length": "最大长度", "max_rows": "最多行数", "prefill": "预填来源",
    "help_text": "填写说明",
}  # fmt: skip
FORM_FIELDS = [f for f in FORM_HEADERS if f != "item"]
SHEET_ORDER = {ITEMS_SHEET: 0, MATERIALS_SHEET: 1, STEPS_SHEET: 2, FORM_SHEET: 3}

# Chinese values of a few choice columns (the others use national-standard codes).
VALUE_MAPS: dict[str, dict[str, str]] = {
    "tongban": {"none": "不通办", "district": "全区通办", "listed": "指定大厅通办"},
    "kind": {"required": "必要", "conditional": "按条件"},
    "medium": {"paper": "纸质", "electronic": "电子", "either": "纸质或电子"},
    "source": {"applicant": "申请人提供", "shared": "部门共享", "elicence": "电子证照"},
    "field_kind": {
        "text": "文本", "long_text": "多行文本", "number": "数字", "date": "日期", "choice": "单选", "address": "地址",
        "person": "个人", "enterprise": "企业", "group": "可重复分组",
    },
}  # fmt: skip
CODE_WIDTH = {"item_type": 2, "handling_type": 2}
YES, NO = "是", "否"


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.row} [{self.column}] {self.message}"


@dataclass
class ImportReport:
    items: int = 0
    materials: int = 0
    steps: int = 0
    created: int = 0
    updated: int = 0
    published: int = 0
    problems: list[Problem] = field(default_factory=list)


class ImportFailed(Exception):
    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__("; ".join(str(p) for p in report.problems[:5]))


def _col_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _to_cell(name: str, value: Any) -> Any:
    if name in BOOL_FIELDS:
        return YES if value else NO
    if name in LIST_FIELDS:
        return ",".join(value) or None
    if name == "faq":
        return json.dumps(value, ensure_ascii=False) if value else None
    if name in VALUE_MAPS:
        return VALUE_MAPS[name].get(value, value)
    if value == "":
        return None
    return value


def _form_cell(name: str, row: dict[str, Any]) -> Any:
    if name == "field_kind":
        return _to_cell(name, row["kind"])
    if name == "choices":
        return choices_text(row["choices"]) or None
    return _to_cell(name, row[name] if row[name] is not None else "")


def _form_row(entry: dict[str, Any]) -> dict[str, Any]:
    """A 申请表 row as read from the sheet → the snapshot row the catalogue stores (``formschema``)."""
    kind = entry["field_kind"]
    return {
        "position": entry["position"],
        "key": entry["key"],
        "label": entry["label"],
        "label_en": entry["label_en"],
        "kind": kind,
        "required": entry["required"],
        "group": entry["group"],
        "choices": parse_choices(entry["choices"]) if kind == "choice" else [],
        "min_value": None if entry["min_value"] in ("", None) else str(entry["min_value"]),
        "max_value": None if entry["max_value"] in ("", None) else str(entry["max_value"]),
        "max_length": entry["max_length"] or None,
        "max_rows": entry["max_rows"] or None,
        "prefill": entry["prefill"],
        "help_text": entry["help_text"],
    }


def export_workbook(department_id: int | None = None) -> bytes:
    """The catalogue's drafts as a workbook (all departments, or one)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    qs = (
        Item.objects.select_related("main", "sub", "department", "office")
        .prefetch_related("co_offices", "listed_halls", "materials", "steps__office")
        .order_by("code")
    )
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    wb = Workbook()
    ws_items = wb.active
    assert ws_items is not None
    ws_items.title = ITEMS_SHEET
    ws_materials = wb.create_sheet(MATERIALS_SHEET)
    ws_steps = wb.create_sheet(STEPS_SHEET)
    ws_form = wb.create_sheet(FORM_SHEET)
    ws_items.append([ITEM_HEADERS[f] for f in ITEM_FIELDS])
    ws_materials.append(list(MATERIAL_HEADERS.values()))
    ws_steps.append(list(STEP_HEADERS.values()))
    ws_form.append(list(FORM_HEADERS.values()))
    for item in qs.iterator(chunk_size=500):
        s = item_snapshot(item)
        ws_items.append([_to_cell(f, s[f]) for f in ITEM_FIELDS])
        for m in s["materials"]:
            ws_materials.append([s["code"], *[_to_cell(f, m[f]) for f in MATERIAL_FIELDS]])
        for st in s["steps"]:
            ws_steps.append([s["code"], *[_to_cell(f, st[f]) for f in STEP_FIELDS]])
        for row in s["form"]:
            ws_form.append([s["code"], *[_form_cell(f, row) for f in FORM_FIELDS]])
    for ws in (ws_items, ws_materials, ws_steps, ws_form):
        ws.freeze_panes = "B2"
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i in range(ws.max_column):
            ws.column_dimensions[_col_letter(i)].width = 18
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class _Sheet:
    """One sheet's header map and typed row reading, collecting problems."""

    def __init__(
        self, wb: Any, title: str, headers: dict[str, str], report: ImportReport, *, optional: bool = False
    ):
        self.title = title
        self.headers = headers
        self.report = report
        self.columns: dict[str, int] = {}
        self.rows: list[tuple[int, tuple[Any, ...]]] = []
        self.present = title in wb.sheetnames
        if not self.present and optional:
            return
        if not self.present:
            report.problems.append(
                Problem(title, 0, "—", _("The sheet “%(sheet)s” is missing.") % {"sheet": title})
            )
            return
        ws = wb[title]
        all_rows = list(ws.iter_rows(values_only=True))
        header = [str(c).strip() if c is not None else "" for c in (all_rows[0] if all_rows else [])]
        by_text = {h: i for i, h in enumerate(header) if h}
        for f, text in headers.items():
            if text not in by_text:
                report.problems.append(
                    Problem(title, 1, text, _("Column “%(header)s” is missing.") % {"header": text})
                )
            else:
                self.columns[f] = by_text[text]
        known = set(headers.values())
        for i, h in enumerate(header):
            if h and h not in known:
                report.problems.append(
                    Problem(
                        title, 1, f"{_col_letter(i)} {h}", _("Unknown column “%(header)s”.") % {"header": h}
                    )
                )
        for n, row in enumerate(all_rows[1:], start=2):
            if any(c not in (None, "") for c in row):
                self.rows.append((n, row))

    def column_label(self, f: str) -> str:
        i = self.columns.get(f)
        return f"{_col_letter(i)} {self.headers[f]}" if i is not None else self.headers.get(f, f)

    def problem(self, row: int, f: str, message: str) -> None:
        self.report.problems.append(Problem(self.title, row, self.column_label(f), message))

    def read(self, n: int, row: tuple[Any, ...], f: str) -> Any:  # noqa: C901 - one branch per column type of the workbook
        i = self.columns.get(f)
        raw = row[i] if i is not None and i < len(row) else None
        if isinstance(raw, str):
            raw = raw.strip()
        if f in BOOL_FIELDS:
            if raw in (YES, True, 1, "1", "TRUE", "true"):
                return True
            if raw in (NO, False, 0, "0", "FALSE", "false", None, ""):
                return False
            self.problem(n, f, _("Enter 是 or 否."))
            return False
        if f in INT_FIELDS:
            if raw in (None, ""):
                return 0
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
                return raw
            if isinstance(raw, str) and raw.isdigit():
                return int(raw)
            self.problem(n, f, _("Enter a whole number (0 or more)."))
            return 0
        if f in LIST_FIELDS:
            return sorted(c.strip() for c in str(raw or "").replace("，", ",").split(",") if c.strip())
        if f == "faq":
            if raw in (None, ""):
                return []
            try:
                value = json.loads(str(raw))
                if not isinstance(value, list) or not all(
                    isinstance(x, dict) and set(x) == {"q", "a"} for x in value
                ):
                    raise ValueError
                return value
            except ValueError:
                self.problem(n, f, _('Enter JSON like [{"q": "…", "a": "…"}].'))
                return []
        if f in VALUE_MAPS:
            reverse = {v: k for k, v in VALUE_MAPS[f].items()}
            text = str(raw or "")
            if text in reverse:
                return reverse[text]
            self.problem(
                n,
                f,
                _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": text, "allowed": "、".join(VALUE_MAPS[f].values())},
            )
            return text
        if raw is None:
            return ""
        if isinstance(raw, int) and f in CODE_WIDTH:
            return str(raw).zfill(CODE_WIDTH[f])
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        return str(raw)


def read_workbook(content: bytes, report: ImportReport) -> dict[str, Any]:  # noqa: C901 - one pass per sheet, then the counts
    """Parse the workbook into item snapshots keyed by code, recording where each came from."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # any unreadable file is one problem for the user
        report.problems.append(Problem("—", 0, "—", _("The file is not an Excel workbook (.xlsx).")))
        return {}
    items_sheet = _Sheet(wb, ITEMS_SHEET, {f: ITEM_HEADERS[f] for f in ITEM_FIELDS}, report)
    mat_sheet = _Sheet(wb, MATERIALS_SHEET, MATERIAL_HEADERS, report)
    step_sheet = _Sheet(wb, STEPS_SHEET, STEP_HEADERS, report)
    form_sheet = _Sheet(wb, FORM_SHEET, FORM_HEADERS, report, optional=True)
    if report.problems:
        return {}
    parsed: dict[str, Any] = {}
    for n, row in items_sheet.rows:
        before = len(report.problems)
        data = {f: items_sheet.read(n, row, f) for f in ITEM_FIELDS}
        bad = len(report.problems) > before
        code = data["code"]
        if code in parsed:
            items_sheet.problem(
                n,
                "code",
                _("Item code “%(code)s” appears twice (first in row %(row)s).")
                % {"code": code, "row": parsed[code]["_row"]},
            )
            continue
        data.update(
            {"materials": [], "steps": [], "_row": n, "_mrows": {}, "_srows": {}, "_frows": {}, "_bad": bad}
        )
        if form_sheet.present:
            data["form"] = []
        parsed[code] = data
    rows_of = {"materials": "_mrows", "steps": "_srows", "form": "_frows"}
    for sheet, key, fields in (
        (mat_sheet, "materials", MATERIAL_FIELDS),
        (step_sheet, "steps", STEP_FIELDS),
        (form_sheet, "form", FORM_FIELDS),
    ):
        for n, row in sheet.rows:
            code = sheet.read(n, row, "item")
            if code not in parsed:
                sheet.problem(n, "item", _("Item code “%(code)s” is not in the sheet 事项.") % {"code": code})
                continue
            before = len(report.problems)
            entry = {f: sheet.read(n, row, f) for f in fields}
            if len(report.problems) > before:
                parsed[code]["_bad"] = True
            rows = parsed[code][rows_of[key]]
            if entry["position"] in rows:
                sheet.problem(
                    n,
                    "position",
                    _("Position %(pos)s of item %(code)s appears twice (first in row %(row)s).")
                    % {"pos": entry["position"], "code": code, "row": rows[entry["position"]]},
                )
                continue
            rows[entry["position"]] = n
            parsed[code][key].append(_form_row(entry) if key == "form" else entry)
    report.items = len(parsed)
    report.materials = sum(len(d["materials"]) for d in parsed.values())
    report.steps = sum(len(d["steps"]) for d in parsed.values())
    parsed["__sheets__"] = (items_sheet, mat_sheet, step_sheet, form_sheet)
    return parsed


def import_workbook(  # noqa: C901 - the importer's steps in order (sheets, rows, references, writing, report)
    content: bytes,
    *,
    actor: User | None,
    dry_run: bool = False,
    publish: bool = False,
    department_id: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Validate every row, then (unless ``dry_run``) write all items in one transaction with one audit event.
    ``department_id`` limits a department administrator to their own department's items. ``progress`` is
    called with (items written, items to write) as the import goes."""
    report = ImportReport()
    parsed = read_workbook(content, report)
    if "__sheets__" not in parsed:  # unreadable file or wrong headers: rows cannot be read
        raise ImportFailed(report)
    items_sheet, mat_sheet, step_sheet, form_sheet = parsed.pop("__sheets__")
    cache: dict[str, Any] = {}
    existing = {code: dept for code, dept in Item.objects.values_list("code", "department_id")}
    allowed_code = None
    if department_id is not None:
        allowed_code = (
            Department.objects.filter(pk=department_id).values_list("code", flat=True).first() or ""
        )
    ready = []
    for code, data in parsed.items():
        n = data["_row"]
        for key in ("materials", "steps", "form"):
            data.get(key, []).sort(key=lambda r: r["position"])
        if allowed_code is not None and (
            data["department"] != allowed_code or (code in existing and existing[code] != department_id)
        ):
            items_sheet.problem(n, "department", _("You may import only your own department's items."))
            continue
        if data["_bad"]:  # its cells are already reported; checking rules on them would only echo that
            continue
        clean = {k: v for k, v in data.items() if not k.startswith("_")}
        problems, refs = item_problems(clean, cache)
        for f, message in problems.items:
            if f == "materials":
                first = min(data["_mrows"].values()) if data["_mrows"] else 0
                mat_sheet.report.problems.append(Problem(MATERIALS_SHEET, first, "—", f"{code}: {message}"))
            elif f == "steps":
                first = min(data["_srows"].values()) if data["_srows"] else 0
                step_sheet.report.problems.append(Problem(STEPS_SHEET, first, "—", f"{code}: {message}"))
            elif f == "form":
                first = min(data["_frows"].values()) if data["_frows"] else 0
                form_sheet.report.problems.append(Problem(FORM_SHEET, first, "—", f"{code}: {message}"))
            elif f == "levels":
                items_sheet.problem(n, "level_district", message)
            elif f in ITEM_HEADERS:
                items_sheet.problem(n, f, message)
            else:
                items_sheet.problem(n, "code", message)
        if not problems:
            ready.append((clean, refs))
    if report.problems:
        report.problems.sort(key=lambda p: (SHEET_ORDER.get(p.sheet, 4), p.row))
        raise ImportFailed(report)
    if dry_run:
        return report
    with transaction.atomic():
        now = timezone.now()
        for done, (clean, refs) in enumerate(ready, start=1):
            if clean["code"] in existing:
                report.updated += 1
            else:
                report.created += 1
            item = _write_item(clean, refs)
            if publish:
                item = Item.objects.select_related("main", "department", "office").get(pk=item.pk)
                _publish_one(item, actor, _("Published by spreadsheet import"), now)
                report.published += 1
            if progress is not None:
                progress(done, len(ready))
        audit_record(
            actor=actor,
            action="catalogue.import",
            object_type="catalogue.item",
            data={
                "created": report.created,
                "updated": report.updated,
                "published": report.published,
                "codes": [c["code"] for c, _r in ready][:200],
            },
        )
    return report
