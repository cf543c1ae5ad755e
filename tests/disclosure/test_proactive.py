"""Proactive disclosure (主动公开): an item's Art. 26 clock (20 working days, across a holiday), its sanitised
body, a change the public sees only once published, the overdue list; the register of normative documents
(numbered per office and year, amended and repealed) with their interpretations; the annual report's tables,
PDF and Excel; bad input refused with the field named and nothing saved; the pages."""

from __future__ import annotations

import subprocess
from datetime import date
from io import BytesIO
from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from yiwang.audit.models import AuditEvent
from yiwang.core.errors import Conflict, ServiceError
from yiwang.disclosure import proactive as pr
from yiwang.disclosure import report
from yiwang.disclosure import selectors as sel
from yiwang.disclosure import services as s
from yiwang.disclosure.models import DisclosureItem, NormativeDocument

from .builders import request_input, travel

if TYPE_CHECKING:
    from tests.factories import World

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _item(world: World, **kw: Any) -> DisclosureItem:
    data = {"column": "fiscal", "title": "2026年部门预算", "body": "<p>预算公开</p>"}
    data.update(kw)
    return pr.item_save(actor=world.users["reviewer"], office=world.office, data=pr.ItemInput(**data))


# --- the clock ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_clock_is_20_working_days_from_forming_across_the_national_day_holiday() -> None:
    # Formed Friday 26 September 2025. Counted from the next working day: Sunday 28 September (a make-up
    # working day) is day 1, 29–30 September are 2–3, 1–8 October are the holiday, 9–10 October are 4–5,
    # Saturday 11 October (make-up) is 6, then 13–17 (7–11), 20–24 (12–16), 27–30 (17–20).
    assert pr.publish_by(date(2025, 9, 26)) == date(2025, 10, 30)


def test_an_item_published_at_once_and_a_draft_on_the_overdue_list(world: World) -> None:
    with travel(2025, 9, 26):
        draft = _item(world, formed_on=date(2025, 9, 26))
        public = _item(world, title="执行公开事项", column="execution", publish=True)
    assert draft.pending and draft.publish_by == date(2025, 10, 30) and draft.published_on is None
    assert (
        not public.pending
        and public.published_on == date(2025, 9, 26)
        and public.public_title == "执行公开事项"
    )
    with travel(2025, 10, 30):
        assert list(sel.items_overdue(office_id=world.office.pk)) == []
    with travel(2025, 10, 31):
        assert [i.pk for i in sel.items_overdue(office_id=world.office.pk)] == [draft.pk]
        pr.item_publish(actor=world.users["reviewer"], office=world.office, item_id=draft.pk)
        assert list(sel.items_overdue()) == []
    event = AuditEvent.objects.filter(action="disclosure.item_publish").get()
    assert event.data["late"] is True and event.data["publish_by"] == "2025-10-30"
    assert [i.pk for i in sel.items_public(group="key")] == [draft.pk]
    assert [i.pk for i in sel.items_public(group="five")] == [public.pk]


def test_a_change_is_seen_by_the_public_only_once_published_and_restarts_the_clock(world: World) -> None:
    with travel(2025, 9, 1):
        item = _item(world, publish=True)
    with travel(2025, 9, 26):
        changed = pr.item_save(
            actor=world.users["reviewer"],
            office=world.office,
            item_id=item.pk,
            data=pr.ItemInput(column="fiscal", title="2026年部门预算（调整）", body="<p>调整后</p>"),
        )
    assert changed.version == 2 and changed.pending and changed.publish_by == date(2025, 10, 30)
    shown = sel.item_public(item.pk)
    assert (
        shown is not None
        and shown.public_title == "2026年部门预算"
        and shown.public_body == "<p>预算公开</p>"
    )
    with travel(2025, 9, 29):
        pr.item_publish(actor=world.users["reviewer"], office=world.office, item_id=item.pk)
    shown = sel.item_public(item.pk)
    assert (
        shown is not None
        and shown.public_title == "2026年部门预算（调整）"
        and shown.first_published_on == date(2025, 9, 1)
    )
    with pytest.raises(Conflict):
        pr.item_publish(actor=world.users["reviewer"], office=world.office, item_id=item.pk)
    actions = list(AuditEvent.objects.filter(object_id=str(item.pk), object_type="disclosure.disclosureitem")
                   .order_by("id").values_list("action", flat=True))  # fmt: skip
    assert actions == ["disclosure.item_create", "disclosure.item_change", "disclosure.item_publish"]


def test_the_body_is_sanitised_before_it_is_stored(world: World) -> None:
    item = _item(
        world,
        body='<p onclick="steal()">正文<script>alert(1)</script><a href="javascript:x()">链接</a>'
        '<a href="https://example.org/a">公开</a></p><iframe src="https://evil"></iframe>',
        publish=True,
    )
    assert "script" not in item.body and "onclick" not in item.body and "javascript" not in item.body
    assert "iframe" not in item.body and "alert" not in item.body
    assert '<a href="https://example.org/a" rel="noopener noreferrer">公开</a>' in item.body


def test_bad_items_are_refused_with_the_field_named_and_nothing_saved(world: World) -> None:
    cases = [
        ({"column": "nowhere"}, "column"),
        ({"title": "  "}, "title"),
        ({"body": "<script>alert(1)</script>"}, "body"),
        ({"formed_on": timezone.localdate().replace(year=timezone.localdate().year + 1)}, "formed_on"),
        (
            {"attachment": SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")},
            "attachment",
        ),
    ]
    for kw, field in cases:
        with pytest.raises(ServiceError) as exc:
            _item(world, **kw)
        assert field in exc.value.fields
    assert DisclosureItem.objects.count() == 0


# --- normative documents and interpretations ---------------------------------------------------------


def test_normative_documents_are_numbered_per_office_and_year_and_repealed_with_a_note(world: World) -> None:
    r = world.users["reviewer"]
    a = pr.normative_register(
        actor=r, office=world.office, data=pr.NormativeInput("甲办法", "第一条", date(2025, 3, 1))
    )
    b = pr.normative_register(
        actor=r, office=world.office, data=pr.NormativeInput("乙办法", "第一条", date(2025, 6, 1))
    )
    c = pr.normative_register(
        actor=r, office=world.other_office, data=pr.NormativeInput("丙办法", "第一条", date(2025, 6, 1))
    )
    code = world.office.document_code or world.office.code
    assert (a.number, b.number) == (f"{code}规〔2025〕1号", f"{code}规〔2025〕2号")
    assert c.number.endswith("规〔2025〕1号") and c.number != a.number
    with pytest.raises(ServiceError) as exc:
        pr.normative_status(
            actor=r, office=world.office, document_id=a.pk, status="repealed", on=None, note=""
        )
    assert "note" in exc.value.fields
    with pytest.raises(ServiceError):  # another office's document is not found here
        pr.normative_status(
            actor=r, office=world.office, document_id=c.pk, status="repealed", on=None, note="清理"
        )
    pr.normative_status(
        actor=r,
        office=world.office,
        document_id=a.pk,
        status="repealed",
        on=date(2025, 12, 1),
        note="2025年清理",
    )
    assert NormativeDocument.objects.get(pk=a.pk).status == "repealed"
    i = pr.interpretation_publish(
        actor=r,
        office=world.office,
        data=pr.InterpretationInput("乙办法解读", "text", body="要点", document_id=b.pk),
    )
    assert [x.pk for x in sel.interpretations(document_id=b.pk)] == [i.pk]
    with pytest.raises(ServiceError) as exc:
        pr.interpretation_publish(
            actor=r,
            office=world.office,
            data=pr.InterpretationInput("视频解读", "video", policy_title="某政策"),
        )
    assert "link" in exc.value.fields
    with pytest.raises(ServiceError) as exc:
        pr.interpretation_publish(
            actor=r, office=world.office, data=pr.InterpretationInput("解读", "text", body="x")
        )
    assert "policy_title" in exc.value.fields
    f = sel.proactive_figures(2025)
    assert (f["normative_issued"], f["normative_repealed"], f["normative_in_force"]) == (3, 1, 2)
    assert sel.proactive_figures(2024)["normative_in_force"] == 0


# --- the annual report --------------------------------------------------------------------------------


def _replied(world: World, reply_type: str, content: dict[str, str], **kw: Any) -> None:
    case = s.request_file(
        actor=world.users["reviewer"], data=request_input(**kw), office=world.office, channel="window"
    )
    s.reply_send(actor=world.users["reviewer"], case_id=case.pk, data=s.ReplyInput(reply_type, content))


def test_the_annual_report_tables_pdf_and_excel(world: World) -> None:
    year = timezone.localdate().year
    _replied(world, "disclosed", {"how": "电子版"})
    _replied(world, "does_not_exist", {}, applicant_type="enterprise", id_number="91440300MA5F000009",
             phone="13900000888")  # fmt: skip
    _item(world, publish=True)
    tables = {t.key: t for t in report.annual_report(year)}
    rows = {r[0]: r[1:] for r in tables["requests"].rows}
    assert rows["1. New requests received this year"] == [1, 1, 0, 2]
    assert rows["(1) Disclosed"] == [1, 0, 0, 1]
    assert rows["(4) Cannot be provided — 1. this office does not hold it"] == [0, 1, 0, 1]
    assert rows["(7) Total handled"] == [1, 1, 0, 2]
    assert rows["4. Carried over to next year"] == [0, 0, 0, 0]
    assert {r[0]: r[1] for r in tables["columns"].rows}["Fiscal budgets and final accounts"] == 1
    pdf = report.annual_report_pdf(year, organ="审批科")
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert str(year) in text and "审批科" in text
    wb = load_workbook(BytesIO(report.annual_report_xlsx(year)))
    assert len(wb.sheetnames) == 6
    ws = wb[wb.sheetnames[3]]
    assert [c.value for c in ws[2]] == ["1. New requests received this year", 1, 1, 0, 2]


# --- pages and API -------------------------------------------------------------------------------------


def test_the_public_columns_and_the_item_page_never_carry_a_script(world: World, client_for: Any) -> None:
    item = _item(world, body="<p>正文</p><script>alert('x')</script>", publish=True)
    _item(world, title="草稿不公开")
    c = client_for("anonymous")
    r = c.get(reverse("disclosure:proactive"), {"column": "fiscal"}, **EN)
    body = r.content.decode()
    assert r.status_code == 200 and "2026年部门预算" in body and "草稿不公开" not in body
    r = c.get(reverse("disclosure:proactive_item", args=[item.pk]), **EN)
    assert r.status_code == 200 and "<p>正文</p>" in r.content.decode() and "alert(" not in r.content.decode()
    assert c.get(reverse("disclosure:proactive"), {"page": "x", "column": "bogus"}).status_code == 200


def test_the_office_creates_changes_and_publishes_items_through_its_pages(
    world: World, client_for: Any
) -> None:
    c = client_for("reviewer")
    url = reverse("disclosure:office_items")
    r = c.post(url, {"column": "housing", "title": "", "body": "x"}, **EN)
    assert r.status_code == 422 and "This field is required." in r.content.decode()
    assert DisclosureItem.objects.count() == 0
    upload = SimpleUploadedFile("名单.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    r = c.post(
        url, {"column": "housing", "title": "保障房分配结果", "body": "<p>名单</p>", "attachment": upload}
    )
    assert r.status_code == 302
    item = DisclosureItem.objects.get()
    page = reverse("disclosure:office_item", args=[item.pk])
    assert c.post(page, {"action": "publish"}).status_code == 302
    r = client_for("anonymous").get(reverse("disclosure:item_attachment", args=[item.pk]))
    assert r.status_code == 200 and r.content == b"%PDF-1.4 demo"
    r = c.post(page, {"action": "withdraw", "reason": ""}, **EN)
    assert r.status_code == 422
    assert c.post(page, {"action": "withdraw", "reason": "公示期满"}).status_code == 302
    assert (
        client_for("anonymous").get(reverse("disclosure:proactive_item", args=[item.pk])).status_code == 404
    )
    assert client_for("clerk").get(url).status_code == 403


def test_the_register_page_numbers_documents_and_the_public_finds_them(world: World, client_for: Any) -> None:
    c = client_for("supervisor")
    url = reverse("disclosure:office_register")
    r = c.post(
        url, {"action": "register", "title": "某办法", "body": "第一条", "issued_on": "2025-13-01"}, **EN
    )
    assert r.status_code == 422 and NormativeDocument.objects.count() == 0
    r = c.post(url, {"action": "register", "title": "某办法", "body": "第一条", "issued_on": "2025-03-01"})
    assert r.status_code == 302
    doc = NormativeDocument.objects.get()
    r = c.post(
        url, {"action": "interpret", "title": "图解", "form": "graphic", "body": "图", "document": doc.pk}
    )
    assert r.status_code == 302
    r = client_for("anonymous").get(reverse("disclosure:normative"), {"text": "某办法"}, **EN)
    assert doc.number in r.content.decode()
    r = client_for("anonymous").get(reverse("disclosure:normative_document", args=[doc.pk]), **EN)
    assert "图解" in r.content.decode()


def test_the_api_refuses_bad_items_by_field_and_serves_the_report(world: World, client_for: Any) -> None:
    c = client_for("reviewer")
    r = c.post("/api/disclosure/items", {"column": "fiscal", "title": "x" * 201, "body": ""},
               content_type="application/json")  # fmt: skip
    assert r.status_code == 400 and "title" in r.json()["fields"]
    r = c.post("/api/disclosure/items", {"column": "nowhere", "title": "预算", "body": "<p>a</p>"},
               content_type="application/json")  # fmt: skip
    assert r.status_code == 422 and "column" in r.json()["fields"]
    r = c.post("/api/disclosure/items", {"column": "fiscal", "title": "预算", "body": "<p>a</p>", "publish": True},
               content_type="application/json")  # fmt: skip
    assert r.status_code == 201 and r.json()["pending"] is False
    r = client_for("anonymous").get("/api/disclosure/items", {"group": "key"})
    assert [x["title"] for x in r.json()] == ["预算"] and r.json()[0]["formed_on"] is None
    year = timezone.localdate().year
    r = client_for("supervisor").get(f"/api/disclosure/annual-report/{year}")
    assert r.status_code == 200 and [t["key"] for t in r.json()["tables"]][3] == "requests"
    assert client_for("applicant").get(f"/api/disclosure/annual-report/{year}").status_code == 403
    r = client_for("supervisor").get(reverse("disclosure:annual_report", args=["pdf"]), {"year": year})
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert client_for("supervisor").get(reverse("disclosure:annual_report", args=["doc"])).status_code == 404


def test_the_public_search_counts_at_most_its_cap_and_says_there_are_more(
    world: World, client_for: Any
) -> None:
    from yiwang.core.paging import BoundedPaginator
    from yiwang.disclosure import publications as p

    for n in range(3):
        p.publication_publish(
            actor=None,
            data=p.PublicationInput(
                kind="licence",
                source_key=f"cap:{n}",
                decision_number=f"深龙许〔2026〕{n + 1}号",
                title="食品经营许可",
                party_kind="legal",
                party_name=f"示范企业{n}有限公司",
                office=world.office,
                decided_on=timezone.localdate(),
                credit_code=f"91440300MA5F00000{n}",
            ),
        )
    rows = sel.publications_search(sel.PublicationQuery())
    bounded = BoundedPaginator(rows, 2, cap=2)
    assert (bounded.count, bounded.capped, bounded.num_pages) == (2, True, 1)
    exact = BoundedPaginator(rows, 2, cap=3)
    assert (exact.count, exact.capped) == (3, False)
    r = client_for("anonymous").get(reverse("disclosure:publications"), **EN)
    assert "3 decisions" in r.content.decode()
