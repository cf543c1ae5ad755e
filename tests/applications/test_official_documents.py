"""Notices laid out as the official documents they are (docs/adr/0059): every kind rendered from a case walked
through the real services, read back with ``pdftotext``: the organ (the department, not its section), the
文号 of the office's series for the year and type, each kind's own content, the legal basis, the remedies
naming the office's reconsideration body and court, the date, and the seal."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from yiwang.applications import services as s
from yiwang.applications.notices import render_notice
from yiwang.cases.models import Case, CaseNotice
from yiwang.core.pdf import qr_png

from .builders import code_of, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese() -> Any:
    with translation.override("zh-hans"):
        yield


def text_of(notice: CaseNotice, tmp_path: Any) -> str:
    path = tmp_path / f"{notice.kind}-{notice.pk}.pdf"
    path.write_bytes(render_notice(notice))
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())  # CJK text is laid out with breaks anywhere: compare without white space


def receive(world: Any, item: Any, **kw: Any) -> Case:
    return s.application_receive(
        actor=world.users["clerk"],
        item=item,
        person=world.other_person,
        provided=[code_of(item, 1), code_of(item, 2)],
        **kw,
    )


def test_a_decision_names_the_organ_its_number_content_basis_and_date(world: Any, tmp_path: Any) -> None:
    from yiwang.licences.models import LicenceType

    world.office.document_code = "深龙市监"
    world.office.save()
    item = make_item(world, name="食品经营许可")
    LicenceType.objects.create(code="SPJY", name="食品经营许可证", validity_years=5).items.add(item)
    reviewer = world.users["reviewer"]
    case = receive(world, item)
    s.application_accept(actor=world.users["clerk"], case_id=case.pk)
    s.application_start_review(actor=reviewer, case_id=case.pk)
    s.application_approve(actor=reviewer, case_id=case.pk)
    acceptance = case.notices.get(kind="acceptance")
    approval = case.notices.get(kind="approval")
    year = timezone.localdate(approval.issued_at).year
    assert acceptance.document_number == f"深龙市监许受〔{year}〕1号"
    assert approval.document_number == f"深龙市监许准〔{year}〕1号"  # its own series
    text = text_of(approval, tmp_path)
    assert "市场监管局" in text and "审批科" not in text  # the organ, not its section
    assert "准予行政许可决定书" in text and f"深龙市监许准〔{year}〕1号" in text
    assert "王五（440" in text  # the addressee, masked
    assert "许可事项食品经营许可" in text and "有效期5年，自" in text
    assert (
        "《中华人民共和国行政许可法》第三十八条第一款" in text and "《行政许可法》" in text
    )  # + the item's basis
    d = timezone.localdate(approval.issued_at)
    assert f"{d.year}年{d.month}月{d.day}日" in text
    assert "（印章）" in text  # no seal configured: its place is marked
    assert "申请复议" not in text and "行政复议" not in text  # a grant names no remedies


def test_refusals_name_the_configured_reconsideration_body_and_court(world: Any, tmp_path: Any) -> None:
    item = make_item(world, name="食品经营许可")
    case = receive(world, item)
    s.application_request_not_accept(
        actor=world.users["clerk"], case_id=case.pk, reason_code="conditions_unmet", reason="不符合条件",
        guidance="请补充经营场所证明后重新申请",
    )  # fmt: skip
    s.application_decide_request(actor=world.users["supervisor"], case_id=case.pk, approve=True)
    notice = case.notices.get(kind="not_accepted")
    text = text_of(notice, tmp_path)
    assert (
        f"D0101许不受〔{timezone.localdate(notice.issued_at).year}〕1号" in text
    )  # no 机关代字: the office code
    assert "申请人不符合法定条件" in text and "请补充经营场所证明后重新申请" in text
    assert (
        "六十日内向深圳市龙岗区人民政府申请行政复议" in text
        and "六个月内向深圳市龙岗区人民法院提起行政诉讼" in text
    )
    world.office.reconsideration_body = "深圳市市场监督管理局"
    world.office.court = "深圳市盐田区人民法院"
    world.office.save()
    text = text_of(CaseNotice.objects.get(pk=notice.pk), tmp_path)
    assert "向深圳市市场监督管理局申请行政复议" in text and "向深圳市盐田区人民法院提起行政诉讼" in text


def test_the_seal_image_is_drawn_and_every_kind_has_its_own_body(world: Any, tmp_path: Any) -> None:
    world.office.seal.save("seal.png", ContentFile(qr_png("seal")), save=True)  # any PNG stands for a seal
    item = make_item(world, name="食品经营许可")
    reviewer, clerk = world.users["reviewer"], world.users["clerk"]
    corrected = s.application_receive(
        actor=clerk, item=item, person=world.other_person, provided=[code_of(item, 1)]
    )
    s.application_request_correction(
        actor=clerk, case_id=corrected.pk, items={code_of(item, 2): "复印件不清晰"}
    )
    case = receive(world, item, delivery_method="post", delivery_address="深圳市龙岗区龙城街道清林路1号")
    s.application_accept(actor=clerk, case_id=case.pk)
    s.application_start_review(actor=reviewer, case_id=case.pk)
    s.application_request_extension(actor=reviewer, case_id=case.pk, reason="需要现场核查")
    s.application_decide_request(actor=world.users["supervisor"], case_id=case.pk, approve=True)
    s.application_suspend(
        actor=reviewer, case_id=case.pk, pause_kind="expert_review", reason="专家评审", expected_days=5
    )
    s.application_resume(actor=reviewer, case_id=case.pk)
    s.application_approve(actor=reviewer, case_id=case.pk)
    s.application_issue_result(actor=reviewer, case_id=case.pk)
    s.application_deliver(actor=reviewer, case_id=case.pk, tracking_number="SF1234567890")
    texts = {n.kind: text_of(n, tmp_path) for n in CaseNotice.objects.filter(case__in=[case, corrected])}
    assert set(texts) >= {"receipt", "correction", "acceptance", "extension", "pause", "approval", "delivery"}
    assert (
        "补正材料一次性告知书" in texts["correction"]
        and "营业执照复印件：复印件不清晰" in texts["correction"]
    )
    assert "第三十二条第一款第（四）项" in texts["correction"]
    assert "延长10个工作日" in texts["extension"] and "需要现场核查" in texts["extension"]
    assert "第四十二条" in texts["extension"] and "第四十五条" in texts["pause"]
    delivery = texts["delivery"]
    assert "送达回证" in delivery and "准予行政许可决定书" in delivery and "许准〔" in delivery
    assert "SF1234567890" in delivery and "清林路1号" in delivery and "受送达人签名" in delivery
    assert (
        "收件回执" in texts["receipt"]
        and "许" not in CaseNotice.objects.get(case=corrected, kind="receipt").document_number
    )
    assert all("（印章）" not in t for t in texts.values())  # the seal image is printed instead
    pdf = render_notice(case.notices.get(kind="approval"))
    assert pdf.count(b"/Subtype /Image") >= 1


def test_numbers_count_per_office_year_and_type(world: Any) -> None:
    item = make_item(world, name="食品经营许可")
    other = make_item(world, name="社会团体登记", office=world.other_office)
    cases = [receive(world, item), receive(world, item), receive(world, other)]
    for c in cases:
        s.application_accept(actor=world.users["clerk"], case_id=c.pk)
    numbers = [c.notices.get(kind="acceptance").document_number for c in cases]
    year = timezone.localdate(cases[0].notices.get(kind="acceptance").issued_at).year
    assert numbers == [f"D0101许受〔{year}〕1号", f"D0101许受〔{year}〕2号", f"D0201许受〔{year}〕1号"]


def test_rejection_promise_and_termination_documents(world: Any, tmp_path: Any) -> None:
    from django.db import transaction

    from yiwang.applications.services.common import notice

    item = make_item(world, name="食品经营许可")
    reviewer, clerk = world.users["reviewer"], world.users["clerk"]
    case = receive(world, item)
    s.application_accept(actor=clerk, case_id=case.pk)
    s.application_start_review(actor=reviewer, case_id=case.pk)
    s.application_request_rejection(
        actor=reviewer,
        case_id=case.pk,
        reason_code="conditions_unmet",
        reason="x",
        guidance="整改后可重新申请",
    )
    s.application_decide_request(actor=world.users["supervisor"], case_id=case.pk, approve=True)
    text = text_of(case.notices.get(kind="rejection"), tmp_path)
    assert "不予行政许可决定书" in text and "决定不予行政许可：申请人不符合法定条件。" in text
    assert "第三十八条第二款" in text and "申请行政复议" in text and "整改后可重新申请" in text
    promised = s.application_receive(
        actor=clerk, item=item, person=world.other_person, provided=[code_of(item, 1)]
    )
    s.application_accept_rongque(actor=clerk, case_id=promised.pk, promise_days=3, promise_signed=True)
    promise = promised.notices.get(kind="rongque_promise")
    text = text_of(promise, tmp_path)
    assert promise.document_number == "" and "容缺受理承诺书" in text and "营业执照复印件" in text
    assert (
        "市场监管局：本人（单位）申请食品经营许可" in text and "申请人签字" in text
    )  # addressed to the organ
    with transaction.atomic():  # the notice the overdue-promise job issues (its clock is tested elsewhere)
        notice(promised, None, "termination", "")
    text = text_of(promised.notices.get(kind="termination"), tmp_path)
    assert "终止办理通知书" in text and "逾期未补交，决定终止办理" in text and "许终〔" in text


def test_the_api_lists_the_documents_with_their_numbers(world: Any, client_for: Any) -> None:
    item = make_item(world, name="食品经营许可")
    case = receive(world, item)
    s.application_accept(actor=world.users["clerk"], case_id=case.pk)
    body = client_for("clerk").get(f"/api/applications/{case.pk}").json()
    kinds = [(n["kind"], n["document_number"]) for n in body["notices"]]
    year = timezone.localdate(case.notices.get(kind="acceptance").issued_at).year
    assert kinds == [("receipt", ""), ("acceptance", f"D0101许受〔{year}〕1号")]
    response = client_for("clerk").get(body["notices"][1]["pdf_url"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_decision_is_dated_in_the_district_s_day_not_utc(world: Any, tmp_path: Any) -> None:
    item = make_item(world, name="食品经营许可")
    with time_machine.travel("2030-03-05T18:30:00+00:00", tick=False):  # 02:30 on 6 March in Beijing
        case = receive(world, item)
        s.application_accept(actor=world.users["clerk"], case_id=case.pk)
        s.application_start_review(actor=world.users["reviewer"], case_id=case.pk)
        s.application_approve(actor=world.users["reviewer"], case_id=case.pk)
        text = text_of(case.notices.get(kind="approval"), tmp_path)
    assert "2030年3月6日" in text and "2030年3月5日" not in text
