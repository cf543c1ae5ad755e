"""Excel exchange: exact round trip, all-or-nothing import, and problems reported with sheet, row and column."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from yiwang.audit.models import AuditEvent
from yiwang.catalogue.excel import ImportFailed, export_workbook, import_workbook
from yiwang.catalogue.models import Item
from yiwang.catalogue.snapshot import item_snapshot

from .helpers import make_item

pytestmark = pytest.mark.django_db


def snapshots() -> list[dict[str, Any]]:
    out = []
    for item in Item.objects.order_by("code"):
        s = item_snapshot(item)
        for m in s["materials"]:
            m.pop("id")
        out.append(s)
    return out


def two_items() -> None:
    make_item()
    make_item(
        code="D01002-00-00",
        main_code="D01002",
        handling_type="00",
        name="小餐饮登记",
        item_type="07",
        visits=0,
        visit_reason="",
        online_depth="4",
        no_visit=True,
        tongban="district",
        co_offices=["D0201"],
        listed_halls=["H0001"],
        has_fee=True,
        fee_standard="每件80元",
        fee_basis="财税〔2016〕79号",
        faq=[],
        themes="",
        result_is_certificate=False,
        result_sample="",
        keywords="",
        form=FORM_ROWS,
    )


# A small application form: a prefilled name, a choice, a bounded number and a repeatable group.
FORM_ROWS = [
    {"position": 1, "key": "name", "label": "申请人姓名", "label_en": "Name", "kind": "text", "required": True,
     "group": "", "choices": [], "min_value": None, "max_value": None, "max_length": 50, "max_rows": None,
     "prefill": "person.name", "help_text": ""},
    {"position": 2, "key": "reason", "label": "申请事由", "label_en": "Reason", "kind": "choice", "required": True,
     "group": "", "choices": [{"value": "新办", "label": "新办", "label_en": "New"},
                              {"value": "补办", "label": "补办", "label_en": "Replacement"}],
     "min_value": None, "max_value": None, "max_length": None, "max_rows": None, "prefill": "", "help_text": ""},
    {"position": 3, "key": "area", "label": "面积", "label_en": "Area", "kind": "number", "required": False,
     "group": "", "choices": [], "min_value": "0.5", "max_value": "10000", "max_length": None, "max_rows": None,
     "prefill": "", "help_text": "平方米"},
    {"position": 4, "key": "members", "label": "家庭成员", "label_en": "Family members", "kind": "group",
     "required": True, "group": "", "choices": [], "min_value": None, "max_value": None, "max_length": None,
     "max_rows": 6, "prefill": "", "help_text": ""},
    {"position": 5, "key": "member", "label": "成员", "label_en": "Member", "kind": "person", "required": True,
     "group": "members", "choices": [], "min_value": None, "max_value": None, "max_length": None,
     "max_rows": None, "prefill": "", "help_text": ""},
]  # fmt: skip


def edit(content: bytes, sheet: str, cell: str, value: Any) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    wb[sheet][cell] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def problems(content: bytes) -> list[tuple[str, int, str, str]]:
    with pytest.raises(ImportFailed) as exc:
        import_workbook(content, actor=None)
    return [(p.sheet, p.row, p.column, p.message) for p in exc.value.report.problems]


def test_export_then_import_round_trips_exactly(world: Any) -> None:
    two_items()
    before = snapshots()
    content = export_workbook()
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["事项", "材料", "流程", "申请表"]
    assert [c.value for c in wb["申请表"][3]][:7] == [
        "D01002-00-00",
        2,
        "reason",
        "申请事由",
        "Reason",
        "单选",
        "是",
    ]
    assert wb["事项"]["A1"].value == "事项编码" and wb["材料"]["C1"].value == "材料名称"
    # Change the catalogue in every way, import the file, and get exactly the same catalogue back.
    from yiwang.catalogue.services import item_save

    from .helpers import item_data

    changed = item_data(
        name="改过的名称",
        keywords="别的",
        committed_limit_days=3,
        faq=[],
        co_offices=["D0201"],
        materials=item_data()["materials"][:1],
        themes="",
        steps=[
            {"position": 1, "name": "受理", "office": "", "days": 0, "description": "x"},
            {"position": 2, "name": "审查", "office": "D0201", "days": 1, "description": ""},
            {"position": 3, "name": "决定", "office": "", "days": 1, "description": ""},
            {"position": 4, "name": "送达", "office": "", "days": 1, "description": ""},
            {"position": 5, "name": "归档", "office": "", "days": 0, "description": ""},
        ],
    )
    item_save(actor=None, data=changed)
    assert snapshots() != before
    report = import_workbook(content, actor=None)
    assert (report.items, report.materials, report.steps, report.updated) == (2, 6, 8, 2)
    assert snapshots() == before
    assert Item.objects.get(code="D01002-00-00").form_fields.count() == 5
    again = load_workbook(io.BytesIO(export_workbook()))
    assert [[c.value for c in r] for r in again["事项"].iter_rows()] == [
        [c.value for c in r] for r in wb["事项"].iter_rows()
    ]


def test_import_updates_drafts_and_writes_one_audit_event(world: Any) -> None:
    make_item()
    content = edit(export_workbook(), "事项", "G2", "食品经营许可（新办，已修改）")
    before = AuditEvent.objects.count()
    report = import_workbook(content, actor=world.users["sys_admin"], publish=True)
    assert (report.updated, report.published) == (1, 1)
    assert AuditEvent.objects.count() == before + 1
    item = Item.objects.get()
    assert (item.name, item.current_version.number) == ("食品经营许可（新办，已修改）", 2)


def test_import_reports_its_progress(world: Any) -> None:
    make_item()
    make_item(code="D01001-00-02", handling_type="02", name="食品经营许可（变更）")
    seen: list[tuple[int, int]] = []
    import_workbook(export_workbook(), actor=None, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]


def test_dry_run_writes_nothing(world: Any) -> None:
    make_item()
    content = edit(export_workbook(), "事项", "G2", "改名")
    import_workbook(content, actor=None, dry_run=True)
    assert Item.objects.get().name == "食品经营许可（新办）"


def test_wrong_headers_are_reported_with_their_column(world: Any) -> None:
    make_item()
    content = edit(export_workbook(), "事项", "G1", "名称")
    assert problems(content) == [
        ("事项", 1, "事项名称", "缺少列“事项名称”。"),
        ("事项", 1, "G 名称", "无法识别的列“名称”。"),
    ]


def test_bad_values_duplicates_and_unknown_references_are_all_reported(world: Any) -> None:
    make_item()
    content = export_workbook()
    wb = load_workbook(io.BytesIO(content))
    items = wb["事项"]
    items.append([c.value for c in items[2]])  # row 3: duplicate code
    items["Y2"] = 30  # committed limit 30 > legal 20
    items["R2"] = "X99"  # unknown department
    wb["材料"].append(
        [
            "D01009-00-01",
            1,
            "身份证",
            "必要",
            None,
            1,
            0,
            "纸质",
            None,
            None,
            "申请人提供",
            None,
            "否",
            0,
            None,
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    assert problems(buf.getvalue()) == [
        ("事项", 2, "B 主项编码", "主项编码“D01001”未以部门编码“X99”开头。"),
        ("事项", 2, "R 主管部门编码", "未知的部门“X99”。"),
        ("事项", 3, "A 事项编码", "事项编码“D01001-00-01”重复（首次出现在第2行）。"),
        ("材料", 5, "A 事项编码", "事项编码“D01009-00-01”不在“事项”工作表中。"),
    ]
    assert Item.objects.get().department.code == "D01"


def test_rule_violations_name_sheet_row_and_column(world: Any) -> None:
    make_item()
    content = edit(export_workbook(), "事项", "Y2", 30)
    assert problems(content) == [
        ("事项", 2, "Y 承诺时限（工作日）", "承诺时限（30个工作日）超过法定时限（20个工作日）。"),
    ]
    content = edit(export_workbook(), "事项", "A2", "D01001-01")
    assert problems(content)[0] == (
        "事项",
        2,
        "A 事项编码",
        "事项编码“D01001-01”不符合“主项编码-子项-办理项”格式（如 LG19001-00-01）。",
    )
    content = edit(export_workbook(), "事项", "X2", "二十")
    assert problems(content) == [("事项", 2, "X 法定时限（工作日）", "请填写不小于0的整数。")]
    assert Item.objects.get().committed_limit_days == 5


def test_a_department_admin_imports_only_their_department(world: Any) -> None:
    make_item()
    content = export_workbook()
    with pytest.raises(ImportFailed) as exc:
        import_workbook(content, actor=None, department_id=world.other_dept.pk)
    assert [p.message for p in exc.value.report.problems] == ["只能导入本部门的事项。"]
    assert import_workbook(content, actor=None, department_id=world.dept.pk, dry_run=True).items == 1


def test_not_a_workbook(world: Any) -> None:
    assert problems(b"not excel") == [("—", 0, "—", "该文件不是Excel工作簿（.xlsx）。")]


def test_form_sheet_problems_name_the_row_and_a_workbook_without_it_keeps_the_forms(world: Any) -> None:
    two_items()
    content = edit(export_workbook(), "申请表", "F3", "多选")  # 字段类型 of the choice row
    assert problems(content) == [
        (
            "申请表",
            3,
            "F 字段类型",
            "“多选”不是以下取值之一：文本、多行文本、数字、日期、单选、地址、个人、企业、可重复分组。",
        )
    ]
    content = edit(export_workbook(), "申请表", "J4", 0.125)  # 最小值 of the number row
    assert problems(content) == [("申请表", 2, "—", "D01002-00-00: 字段“面积”：限值最多12位整数、2位小数。")]
    wb = load_workbook(io.BytesIO(export_workbook()))
    del wb["申请表"]
    buf = io.BytesIO()
    wb.save(buf)
    report = import_workbook(buf.getvalue(), actor=None)
    assert report.items == 2
    assert Item.objects.get(code="D01002-00-00").form_fields.count() == 5  # no sheet: the form is kept
