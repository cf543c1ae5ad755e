"""Guide pages, PDF, history, files, report; the API (list with filters and search, detail, statistics,
publishing); errors naming the field in Chinese and English; the admin for department administrators; and
the ``catalogue`` command."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from yiwang.catalogue.models import Item, ItemVersion, Synonym
from yiwang.catalogue.search import search_items

from .helpers import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(world: Any) -> Item:
    it = make_item()
    default_storage.save(it.result_sample.name, ContentFile(b"%PDF-1.4 sample"))
    return it


def test_search_page_finds_by_initials_and_synonym(client_for: Any, item: Item) -> None:
    Synonym.objects.create(term="食品许可证", expansion="食品经营许可")
    c = client_for("anonymous")
    page = c.get("/catalogue/", {"q": "spjyxk"}).content.decode()
    assert "食品经营许可（新办）" in page and "找到1个事项" in page
    assert "食品经营许可（新办）" in c.get("/catalogue/", {"q": "食品许可证"}).content.decode()
    assert "找到0个事项" in c.get("/catalogue/", {"q": "养犬"}).content.decode()


def test_browse_filters(client_for: Any, item: Item) -> None:
    c = client_for("anonymous")
    assert "食品经营许可（新办）" in c.get("/catalogue/", {"theme": "operating"}).content.decode()
    assert "找到0个事项" in c.get("/catalogue/", {"theme": "elderly"}).content.decode()
    assert "找到0个事项" in c.get("/catalogue/", {"online": "1"}).content.decode()
    assert "找到1个事项" in c.get("/catalogue/", {"department": "D01", "level": "district"}).content.decode()
    assert "找到0个事项" in c.get("/catalogue/", {"tongban": "1"}).content.decode()


def test_guide_page_in_chinese_and_english(client_for: Any, item: Item) -> None:
    c = client_for("anonymous")
    page = c.get("/catalogue/items/D01001-00-01/").content.decode()
    for text in (
        "食品经营许可（新办）",
        "受理条件",
        "食品安全管理制度",
        "容缺：可在5个工作日内补交",
        "办结送达",
        "5个工作日",
        "《中华人民共和国食品安全法》第三十五条",
        "要多久？",
        "第1版",
    ):
        assert text in page
    english = c.get("/catalogue/items/D01001-00-01/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<h1 id="guide-title">Food Business Licence (new)</h1>' in english
    assert "Acceptance conditions" in english and "5 working days" in english


def test_guide_pdf_is_a_pdf_with_the_item_and_the_version(client_for: Any, item: Item) -> None:
    response = client_for("anonymous").get("/catalogue/items/D01001-00-01/guide.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == 'inline; filename="guide-D01001-00-01-v1.pdf"'


def test_files_history_and_unpublished_items(client_for: Any, item: Item) -> None:
    c = client_for("anonymous")
    sample = c.get("/catalogue/items/D01001-00-01/files/result-sample/")
    assert b"".join(sample.streaming_content) == b"%PDF-1.4 sample"
    assert c.get("/catalogue/items/D01001-00-01/files/m1-form/").status_code == 404
    history = c.get("/catalogue/items/D01001-00-01/history/").content.decode()
    assert "v1" in history and "首次发布" in history
    make_item(publish=False, code="D01005-00-00", main_code="D01005", handling_type="00")
    assert c.get("/catalogue/items/D01005-00-00/").status_code == 404
    assert c.get("/catalogue/items/NOPE/").status_code == 404


def test_report_shows_the_figures_to_staff(client_for: Any, item: Item) -> None:
    page = client_for("clerk").get("/catalogue/report/").content.decode()
    assert "事项目录统计" in page and "vendor/echarts/echarts.min.js" in page
    assert '"values": [1]' in page
    assert client_for("applicant").get("/catalogue/report/").status_code == 403


def test_api_list_detail_versions_statistics(client_for: Any, item: Item) -> None:
    c = client_for("anonymous")
    body = c.get("/api/catalogue/items", {"q": "spjyxk"}).json()
    assert body["count"] == 1 and body["items"][0]["code"] == "D01001-00-01"
    assert body["items"][0]["levels"] == ["district"]
    detail = c.get("/api/catalogue/items/D01001-00-01").json()
    assert (detail["version"], detail["committed_limit_days"], detail["compression_rate"]) == (1, 5, 0.75)
    assert [m["code"] for m in detail["materials"]] == [
        "D01001-00-01-M01",
        "D01001-00-01-M02",
        "D01001-00-01-M03",
    ]
    assert [s["name"] for s in detail["steps"]] == ["受理", "审查", "决定", "办结送达"]
    assert detail["result_sample_url"] == "/catalogue/items/D01001-00-01/files/result-sample/"
    assert [v["number"] for v in c.get("/api/catalogue/items/D01001-00-01/versions").json()] == [1]
    stats = c.get("/api/catalogue/statistics").json()
    assert (stats["total"], stats["rongque_items"], stats["rongque_materials"]) == (1, 1, 1)
    assert stats["by_department"] == [{"code": "D01", "name": "市场监管局", "kind": "government", "count": 1}]
    assert stats["by_organisation_kind"] == {"government": 1}
    assert c.get("/api/catalogue/items/NOPE").json() == {
        "code": "not_found",
        "message": "没有该政务服务事项。",
        "fields": {},
    }


def test_api_400_names_the_field_in_chinese_and_english(client_for: Any, item: Item) -> None:
    c = client_for("anonymous")
    zh = c.get("/api/catalogue/items", {"level": "province"})
    assert zh.status_code == 400
    assert zh.json() == {
        "code": "invalid",
        "message": "level：不是允许的取值。",
        "fields": {"level": "不是允许的取值。"},
    }
    en = c.get("/api/catalogue/items", {"limit": "many"}, HTTP_ACCEPT_LANGUAGE="en")
    assert en.status_code == 400
    assert en.json() == {
        "code": "invalid",
        "message": "limit: Enter a whole number.",
        "fields": {"limit": "Enter a whole number."},
    }


def test_api_publish_by_the_departments_admin_only(client_for: Any, item: Item, world: Any) -> None:
    url = "/api/catalogue/items/D01001-00-01/publish"
    assert client_for("reviewer").post(url, {"note": "x"}, content_type="application/json").status_code == 403
    other = make_item(
        code="D02001-00-00",
        main_code="D02001",
        handling_type="00",
        department="D02",
        office="D0201",
        item_type="20",
        steps=[],
        result_is_certificate=False,
        result_sample="",
    )
    assert (
        client_for("dept_admin")
        .post(f"/api/catalogue/items/{other.code}/publish", {}, content_type="application/json")
        .status_code
        == 403
    )
    response = client_for("dept_admin").post(url, {"note": "修订"}, content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["number"], response.json()["note"]) == (2, "修订")


def test_dept_admin_sees_only_their_department_in_the_admin(client_for: Any, item: Item) -> None:
    make_item(
        code="D02001-00-00",
        main_code="D02001",
        handling_type="00",
        name="民政事项",
        department="D02",
        office="D0201",
        item_type="20",
        steps=[],
        result_is_certificate=False,
        result_sample="",
    )
    page = client_for("dept_admin").get("/admin/catalogue/item/").content.decode()
    assert "D01001-00-01" in page and "D02001-00-00" not in page
    everything = client_for("sys_admin").get("/admin/catalogue/item/").content.decode()
    assert "D01001-00-01" in everything and "D02001-00-00" in everything
    other = Item.objects.get(code="D02001-00-00")
    assert client_for("dept_admin").get(f"/admin/catalogue/item/{other.pk}/change/").status_code in (302, 404)


def _admin_form(item: Item, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": item.code, "main": item.main_id, "sub": "", "handling_type": item.handling_type, "name": item.name,
        "name_en": item.name_en, "item_type": item.item_type, "handling_kind": item.handling_kind,
        "service_objects": item.service_objects, "power_source": item.power_source,
        "implementing_body": item.implementing_body, "body_nature": item.body_nature, "level_district": "on",
        "themes": item.themes, "keywords": item.keywords, "department": item.department_id, "office": item.office_id,
        "intermediary_services": "", "legal_basis": item.legal_basis, "conditions": item.conditions,
        "legal_limit_days": item.legal_limit_days, "committed_limit_days": item.committed_limit_days,
        "quantity_limit": item.quantity_limit, "fee_standard": "", "fee_basis": "", "result_name": item.result_name,
        "result_is_certificate": "on", "result_elicence": "on", "visits": item.visits,
        "visit_reason": item.visit_reason, "online_depth": item.online_depth, "tongban": item.tongban,
        "express_delivery": "on", "online_url": "", "place": item.place, "hours": item.hours, "phone": item.phone,
        "faq": "[]",
    }  # fmt: skip
    for prefix, rows, fields in (
        (
            "materials",
            list(item.materials.all()),
            [
                "position",
                "name",
                "kind",
                "condition",
                "originals",
                "copies",
                "medium",
                "source",
                "source_note",
                "rongque_max_days",
            ],
        ),
        ("steps", list(item.steps.all()), ["position", "name", "days", "description"]),
        ("form_fields", list(item.form_fields.all()), ["position", "key", "label", "kind"]),
    ):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": len(rows),
                f"{prefix}-INITIAL_FORMS": len(rows),
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-item"] = item.pk
            for f in fields:
                data[f"{prefix}-{i}-{f}"] = getattr(row, f)
            if prefix == "materials" and row.rongque_allowed:
                data[f"{prefix}-{i}-rongque_allowed"] = "on"
            if prefix == "steps" and row.office_id:
                data[f"{prefix}-{i}-office"] = row.office_id
    data.update(changes)
    return data


def test_admin_save_checks_the_rules_and_saves_nothing_on_a_violation(client_for: Any, item: Item) -> None:
    c = client_for("dept_admin")
    url = f"/admin/catalogue/item/{item.pk}/change/"
    response = c.post(url, _admin_form(item, committed_limit_days=25, visit_reason=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert "承诺时限不能超过法定时限。" in page  # the database constraint, checked by the form
    assert "承诺时限（25个工作日）超过法定时限（20个工作日）。" in page  # the rules, checked with the inlines
    assert "该事项需要到现场1次：请填写到现场的原因。" in page
    item.refresh_from_db()
    assert (item.committed_limit_days, item.visit_reason) == (5, "现场核查经营场所")
    response = c.post(url, _admin_form(item, name="食品经营许可（新办）修订"))
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert (item.name, item.draft_changed) == ("食品经营许可（新办）修订", True)
    assert item.current_version.name == "食品经营许可（新办）"
    c.post("/admin/catalogue/item/", {"action": "publish_selected", "_selected_action": [item.pk]})
    assert ItemVersion.objects.filter(item=item).count() == 2


def test_admin_spreadsheet_export_and_dry_run_import(client_for: Any, item: Item) -> None:
    c = client_for("dept_admin")
    export = c.get("/admin/catalogue/item/export/")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = ContentFile(export.content, name="catalogue.xlsx")
    page = c.post("/admin/catalogue/item/import/", {"file": upload, "dry_run": "on"}).content.decode()
    assert "未发现问题" in page and "已读取1个事项、3项材料、4个环节。" in page


def test_check_command_prints_violations_and_fails(world: Any, item: Item) -> None:
    out = StringIO()
    call_command("catalogue", "check", stdout=out)
    assert out.getvalue() == "1 item(s) checked: no violations\n"
    Item.objects.filter(pk=item.pk).update(visit_reason="", has_fee=True)
    out = StringIO()
    with pytest.raises(CommandError, match=r"2 violation\(s\) in 1 of 1 item\(s\)"):
        call_command("catalogue", "check", stdout=out)
    assert out.getvalue().splitlines() == [
        "D01001-00-01\tvisit_reason\t该事项需要到现场1次：请填写到现场的原因。",
        "D01001-00-01\tfee_basis\t该事项收费：请填写收费项目、标准及收费依据。",
    ]


def test_a_new_publication_replaces_the_cached_guide(
    client_for: Any, item: Item, django_capture_on_commit_callbacks: Any
) -> None:
    from yiwang.catalogue.services import item_publish, item_save

    from .helpers import item_data

    c = client_for("anonymous")
    assert "第1版" in c.get("/catalogue/items/D01001-00-01/").content.decode()
    item_save(actor=None, data=item_data(conditions="新的受理条件。"))
    with django_capture_on_commit_callbacks(execute=True):
        item_publish(actor=None, item=item)
    page = c.get("/catalogue/items/D01001-00-01/").content.decode()
    assert "第2版" in page and "新的受理条件。" in page
    old = c.get("/catalogue/items/D01001-00-01/", {"version": "1"}).content.decode()
    assert "您正在查看第1版，并非现行指南。" in old and "新的受理条件。" not in old


def test_admin_withdraw_action_hides_the_guide(client_for: Any, item: Item) -> None:
    c = client_for("dept_admin")
    c.post("/admin/catalogue/item/", {"action": "withdraw_selected", "_selected_action": [item.pk]})
    item.refresh_from_db()
    assert item.status == "withdrawn"
    assert client_for("anonymous").get("/catalogue/items/D01001-00-01/", {"version": "1"}).status_code == 200
    assert client_for("anonymous").get("/api/catalogue/items/D01001-00-01").status_code == 404


def test_initials_rank_whole_words_and_prefixes_above_infix_matches(world: Any) -> None:
    """yyzz: 营业执照 (its initials) and 营业执照遗失补领登记 (begins with them) before 养老机构运营资助 (yyzz inside),
    although that name is shorter."""
    for code, name in (
        ("D01009-00-01", "养老机构运营资助"),
        ("D01008-00-01", "营业执照遗失补领登记"),
        ("D01007-00-01", "营业执照"),
    ):
        make_item(
            code=code, main_code=code[:6], main_name=name, name=name, name_en="", keywords="", result_name=""
        )
    assert [i.name for i in search_items("yyzz")] == ["营业执照", "营业执照遗失补领登记", "养老机构运营资助"]
    assert [i.name for i in search_items("yingyezhizhao")] == ["营业执照", "营业执照遗失补领登记"]


def test_the_pickers_route_answers_the_search_order(world: Any, client_for: Any) -> None:
    """``catalogue:pick`` (the pickers of the booking page, the map and the reception screen, ADR 0058)
    answers the codes in the order of ``search_items``: initials that are the name, then those that begin
    it, then those inside it; a code or an English name finds its item; an empty query finds nothing."""
    for code, name, en in (
        ("D01009-00-01", "养老机构运营资助", "Subsidy for running an elderly care home"),
        ("D01008-00-01", "营业执照遗失补领登记", "Replacing a lost business licence"),
        ("D01007-00-01", "营业执照", "Business licence"),
    ):
        make_item(
            code=code, main_code=code[:6], main_name=name, name=name, name_en=en, keywords="", result_name=""
        )
    c = client_for("anonymous")

    def codes(q: str) -> list[str]:
        r = c.get("/catalogue/pick/", {"q": q})
        assert r.status_code == 200 and r["Content-Type"] == "application/json"
        return list(r.json()["codes"])

    assert codes("yyzz") == [i.code for i in search_items("yyzz")]
    assert codes("yyzz") == ["D01007-00-01", "D01008-00-01", "D01009-00-01"]
    assert codes("营业执照") == ["D01007-00-01", "D01008-00-01"]
    assert codes("d01008") == ["D01008-00-01"]
    assert codes("business licence") == ["D01007-00-01", "D01008-00-01"]
    assert codes("") == [] and codes("   ") == []
    assert codes("x" * 61) == []  # longer than the search takes: ignored, never a 500
