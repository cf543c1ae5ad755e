"""Online 容缺, who may apply, no silent truncation, the promise date from the item, the receipt at submission
and the pick-up code (services and pages)."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.applications import services as s
from yiwang.applications.models import Application, ApplicationMaterial
from yiwang.applications.notices import render_notice
from yiwang.cases import clockops
from yiwang.cases.models import Case, CaseNote
from yiwang.core.errors import Conflict, ServiceError

from .builders import PDF, code_of, make_item

pytestmark = pytest.mark.django_db


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


def _online_draft(world: Any, item: Any, *, upload: tuple[int, ...] = (1,)) -> Case:
    applicant = world.users["applicant"]
    case = s.application_draft_create(actor=applicant, item=item)
    s.application_draft_update(
        actor=applicant,
        case_id=case.pk,
        uploads=[s.Upload(code_of(item, p), PDF, f"{p}.pdf") for p in upload],
    )
    return case


# --- 8a 容缺 online ------------------------------------------------------------------------------


def test_online_applicant_leaves_out_a_rongque_material_signs_and_is_accepted_with_the_promise(
    world: Any, item: Any
) -> None:
    applicant, reviewer = world.users["applicant"], world.users["reviewer"]
    case = _online_draft(world, item)
    with pytest.raises(Conflict, match="may be supplied later"):
        s.application_submit(actor=applicant, case_id=case.pk)
    by = clockops.add_workdays(_today(), 3)
    case = s.application_submit(actor=applicant, case_id=case.pk, promise_by=by, promise_signed=True)
    assert case.status == "submitted" and case.number
    app = Application.objects.get(case=case)
    assert app.rongque_signed_at is not None and app.rongque_deadline == by and not app.rongque
    # a plain acceptance is still refused: the material is missing
    with pytest.raises(Conflict, match="营业执照复印件"):
        s.application_accept(actor=reviewer, case_id=case.pk)
    # the office accepts with the promise signed online, exactly as at the window
    case = s.application_accept_rongque(actor=reviewer, case_id=case.pk, promise_signed=False)
    app.refresh_from_db()
    assert case.status == "accepted" and app.rongque and app.rongque_deadline == by
    assert app.rongque_promise_days == 3 and app.rongque_materials == 1
    assert app.materials.get(code=code_of(item, 2)).state == ApplicationMaterial.State.PROMISED
    promise = case.notices.get(kind="rongque_promise")
    assert promise.data["deadline"] == by.isoformat() and promise.data["signed_online"] is True


def test_online_rongque_refused_for_a_material_that_cannot_wait(world: Any, item: Any) -> None:
    case = _online_draft(world, item, upload=(2,))
    by = clockops.add_workdays(_today(), 2)
    with pytest.raises(Conflict, match="cannot be supplied later: 申请书"):
        s.application_submit(
            actor=world.users["applicant"], case_id=case.pk, promise_by=by, promise_signed=True
        )
    assert Case.objects.get(pk=case.pk).status == "draft"


def test_online_promise_date_beyond_the_item_limit_is_refused(world: Any, item: Any) -> None:
    case = _online_draft(world, item)
    by = clockops.add_workdays(_today(), 6)
    with pytest.raises(Conflict, match="6 working days away: the item allows at most 5"):
        s.application_submit(
            actor=world.users["applicant"], case_id=case.pk, promise_by=by, promise_signed=True
        )


def test_online_submit_page_offers_the_promise_and_submits_with_it(
    world: Any, item: Any, client_for: Any
) -> None:
    case = _online_draft(world, item)
    c = client_for("applicant")
    page = c.get(f"/applications/mine/{case.pk}/").content.decode()
    default = clockops.add_workdays(_today(), 5).isoformat()
    assert 'name="promise_by"' in page and f'value="{default}"' in page and "营业执照复印件" in page
    case.refresh_from_db()
    r = c.post(
        f"/applications/mine/{case.pk}/",
        {"action": "submit", "expected_version": case.version, "promise_by": default, "promise_signed": "on"},
    )
    assert r.status_code == 302
    assert Case.objects.get(pk=case.pk).status == "submitted"


# --- point 11: the promise defaults to what the item allows --------------------------------------


def test_window_rongque_first_click_with_the_defaults_succeeds(world: Any, client_for: Any) -> None:
    item = make_item(
        world,
        materials=[
            {"name": "申请书", "kind": "required"},
            {"name": "营业执照复印件", "kind": "required", "rongque_allowed": True, "rongque_max_days": 1},
        ],
    )
    case = s.application_receive(
        actor=world.users["clerk"], item=item, person=world.other_person, provided=[code_of(item, 1)]
    )
    c = client_for("clerk")
    page = c.get(f"/applications/case/{case.pk}/").content.decode()
    default = clockops.add_workdays(_today(), 1).isoformat()
    assert f'name="promise_by" value="{default}" max="{default}"' in page
    assert f"最多 1 个工作日（按工作日历计算）：最晚 {default}" in page
    case.refresh_from_db()
    r = c.post(
        f"/applications/case/{case.pk}/",
        {
            "action": "accept_rongque",
            "expected_version": case.version,
            "promise_by": default,
            "promise_signed": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()[:500]
    app = Application.objects.get(case=case)
    assert app.rongque and app.rongque_deadline.isoformat() == default and app.rongque_promise_days == 1


def test_window_rongque_date_too_late_names_the_working_days(world: Any, item: Any) -> None:
    case = s.application_receive(
        actor=world.users["clerk"], item=item, person=world.other_person, provided=[code_of(item, 1)]
    )
    late = clockops.add_workdays(_today(), 7)
    with pytest.raises(Conflict, match="7 working days away: the item allows at most 5"):
        s.application_accept_rongque(
            actor=world.users["clerk"], case_id=case.pk, promise_by=late, promise_signed=True
        )


# --- 8b who may apply ------------------------------------------------------------------------------


def test_a_natural_person_cannot_apply_for_an_enterprise_only_item(world: Any, client_for: Any) -> None:
    item = make_item(world, name="企业专用事项")
    type(item).objects.filter(pk=item.pk).update(service_objects="2")
    item.refresh_from_db()
    with pytest.raises(ServiceError) as err:
        s.application_draft_create(actor=world.users["applicant"], item=item)
    assert err.value.code == "not_for_persons" and "enterprise" in err.value.fields
    with pytest.raises(ServiceError, match="enterprises and other organisations only"):
        s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
    assert not Case.objects.exists()
    # an enterprise's agent may apply for it
    case = s.application_draft_create(actor=world.users["agent"], item=item, enterprise=world.enterprise)
    assert case.applicant_enterprise == world.enterprise
    page = client_for("applicant").get(f"/applications/apply/{item.code}/").content.decode()
    assert 'id="who-may-apply"' in page
    r = client_for("applicant").post(f"/applications/apply/{item.code}/", {"delivery_method": "pickup"})
    assert r.status_code == 400 and "本事项仅面向企业和其他组织" in r.content.decode()


def test_an_enterprise_cannot_apply_for_a_persons_only_item(world: Any) -> None:
    item = make_item(world, name="个人专用事项")
    type(item).objects.filter(pk=item.pk).update(service_objects="1")
    item.refresh_from_db()
    with pytest.raises(ServiceError) as err:
        s.application_draft_create(actor=world.users["agent"], item=item, enterprise=world.enterprise)
    assert err.value.code == "not_for_organisations"
    assert s.application_draft_create(actor=world.users["applicant"], item=item).status == "draft"


# --- point 8: limits declared and enforced, never cut ---------------------------------------------


def test_long_address_refused_not_cut_and_post_needs_an_address(
    world: Any, item: Any, client_for: Any
) -> None:
    applicant = world.users["applicant"]
    with pytest.raises(ServiceError) as err:
        s.application_draft_create(
            actor=applicant, item=item, delivery_method="post", delivery_address="长" * 201
        )
    assert err.value.code == "too_long" and "delivery_address" in err.value.fields
    with pytest.raises(ServiceError) as err:
        s.application_draft_create(actor=applicant, item=item, delivery_method="post", delivery_address="")
    assert err.value.code == "address_required" and "delivery_address" in err.value.fields
    assert not Case.objects.exists()
    page = client_for("applicant").get(f"/applications/apply/{item.code}/").content.decode()
    assert 'name="delivery_address" maxlength="200"' in page
    r = client_for("applicant").post(
        f"/applications/apply/{item.code}/", {"delivery_method": "post", "delivery_address": ""}
    )
    assert r.status_code == 400 and "完整的邮寄地址" in r.content.decode()


def test_a_note_too_long_is_refused_not_cut(world: Any, item: Any, client_for: Any) -> None:
    case = s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
    c = client_for("clerk")
    page = c.get(f"/applications/case/{case.pk}/").content.decode()
    assert 'maxlength="4000"' in page
    with pytest.raises(ServiceError) as err:
        from yiwang.cases.services import case_note_add

        case_note_add(actor=world.users["clerk"], case=case, text="记" * 4001)
    assert err.value.code == "too_long" and "text" in err.value.fields
    assert not CaseNote.objects.exists()


# --- point 4: receipt, files, result, pick-up code ------------------------------------------------


def test_online_submission_gives_a_receipt_and_the_files_stay_visible(
    world: Any, item: Any, client_for: Any, tmp_path: Any
) -> None:
    applicant = world.users["applicant"]
    case = _online_draft(world, item, upload=(1, 2))
    s.application_submit(actor=applicant, case_id=case.pk)
    receipt = case.notices.get(kind="receipt")
    rows = {r["name"]: r for r in receipt.data["materials"]}
    assert rows["申请书"]["files"] == 1 and rows["营业执照复印件"]["files"] == 1
    c = client_for("applicant")
    page = c.get(f"/applications/mine/{case.pk}/").content.decode()
    assert f"/applications/notices/{receipt.pk}/" in page and 'id="submitted-files"' in page
    att = case.attachments.filter(superseded=False).first()
    assert f"/applications/attachments/{att.pk}/" in page
    assert c.get(f"/applications/attachments/{att.pk}/").status_code == 200
    pdf = c.get(f"/applications/notices/{receipt.pk}/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client_for("reviewer").get(f"/applications/notices/{receipt.pk}/").status_code == 200
    # the PDF is real: poppler reads it
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "申请书" in text


def test_window_receipt_lists_originals_and_copies(world: Any, item: Any) -> None:
    case = s.application_receive(
        actor=world.users["clerk"], item=item, person=world.other_person, provided=[code_of(item, 1)]
    )
    receipt = case.notices.get(kind="receipt")
    rows = {r["name"]: r for r in receipt.data["materials"]}
    assert rows["申请书"]["state"] == "provided" and rows["申请书"]["files"] == 0
    assert rows["营业执照复印件"]["state"] == "missing"
    receipt.case = case
    assert render_notice(receipt).startswith(b"%PDF")


def test_paper_result_pick_up_code_shown_to_the_applicant_and_checked_by_the_clerk(
    world: Any, item: Any, client_for: Any
) -> None:
    applicant, clerk, reviewer = world.users["applicant"], world.users["clerk"], world.users["reviewer"]
    case = s.application_draft_create(actor=applicant, item=item, return_hall=world.hall)
    s.application_draft_update(
        actor=applicant,
        case_id=case.pk,
        uploads=[s.Upload(code_of(item, p), PDF, f"{p}.pdf") for p in (1, 2)],
    )
    s.application_submit(actor=applicant, case_id=case.pk)
    for step in (
        s.application_accept,
        s.application_start_review,
        s.application_approve,
        s.application_issue_result,
    ):
        step(actor=reviewer, case_id=case.pk)
    code = Application.objects.get(case=case).pickup_code
    assert len(code) == 6 and code.isdigit()
    page = client_for("applicant").get(f"/applications/mine/{case.pk}/").content.decode()
    assert f'id="pickup-code">{code}<' in page
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ServiceError) as err:
        s.application_deliver(actor=clerk, case_id=case.pk, pickup_code=wrong)
    assert err.value.code == "pickup_code"
    c = client_for("clerk")
    staff_page = c.get(f"/applications/case/{case.pk}/").content.decode()
    assert 'name="pickup_code"' in staff_page
    fresh = Case.objects.get(pk=case.pk)
    r = c.post(
        f"/applications/case/{case.pk}/",
        {"action": "deliver", "expected_version": fresh.version, "pickup_code": code},
    )
    assert r.status_code == 302
    assert Case.objects.get(pk=case.pk).status == "delivered"


def test_electronic_result_downloadable_by_the_applicant(world: Any, client_for: Any) -> None:
    item = make_item(world, no_visit=True, name="不见面事项")
    applicant, reviewer = world.users["applicant"], world.users["reviewer"]
    case = _online_draft(world, item, upload=(1, 2))
    s.application_submit(actor=applicant, case_id=case.pk)
    for step in (
        s.application_accept,
        s.application_start_review,
        s.application_approve,
        s.application_issue_result,
    ):
        step(actor=reviewer, case_id=case.pk)
    decision = case.notices.get(kind="approval")
    page = client_for("applicant").get(f"/applications/mine/{case.pk}/").content.decode()
    assert 'id="result"' in page and f"/applications/notices/{decision.pk}/" in page
    assert not Application.objects.get(case=case).pickup_code


def test_upload_form_on_the_detail_page_uses_a_file(world: Any, item: Any, client_for: Any) -> None:
    """The applicant's detail page keeps the draft's delivery address bounded (maxlength) too."""
    case = s.application_draft_create(actor=world.users["applicant"], item=item)
    c = client_for("applicant")
    r = c.post(
        f"/applications/mine/{case.pk}/",
        {
            "action": "save",
            "delivery_method": "post",
            "delivery_address": "长" * 201,
            f"file_{code_of(item, 1)}": SimpleUploadedFile("a.pdf", PDF),
        },
    )
    assert r.status_code == 409
    assert Application.objects.get(case=case).delivery_address == ""
    assert 'maxlength="200"' in c.get(f"/applications/mine/{case.pk}/").content.decode()


# --- 8c decisions in the applicant's language ------------------------------------------------------


def test_refusal_approved_in_english_gives_a_chinese_notice(
    world: Any, item: Any, client_for: Any, tmp_path: Any
) -> None:
    """The module's fixture runs the services in English (a supervisor using the English interface)."""
    case = s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
    s.application_request_not_accept(
        actor=world.users["clerk"],
        case_id=case.pk,
        reason_code="conditions_unmet",
        reason="不符合条件",
        guidance="请补充经营场所证明后重新申请",
    )
    s.application_decide_request(actor=world.users["supervisor"], case_id=case.pk, approve=True)
    notice = case.notices.get(kind="not_accepted")
    assert notice.title == "不予受理通知书"
    assert (
        notice.data["reason"] == "申请人不符合法定条件" and notice.data["reason_code"] == "conditions_unmet"
    )
    assert notice.data["language"] == "zh-hans"
    assert case.notices.get(kind="receipt").title == "收件回执"
    notice.case = case
    path = tmp_path / "n.pdf"
    path.write_bytes(render_notice(notice))  # rendered while the English interface is active
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "申请人不符合法定条件" in text and "不予受理通知书" in text and "Reason" not in text


def test_the_applicants_page_shows_the_reason_with_the_guidance(
    world: Any, item: Any, client_for: Any
) -> None:
    case = s.application_draft_create(actor=world.users["applicant"], item=item)
    s.application_draft_update(
        actor=world.users["applicant"],
        case_id=case.pk,
        uploads=[s.Upload(code_of(item, p), PDF, f"{p}.pdf") for p in (1, 2)],
    )
    s.application_submit(actor=world.users["applicant"], case_id=case.pk)
    s.application_request_not_accept(
        actor=world.users["reviewer"],
        case_id=case.pk,
        reason_code="conditions_unmet",
        reason="不符合条件",
        guidance="请补充经营场所证明后重新申请",
    )
    s.application_decide_request(actor=world.users["supervisor"], case_id=case.pk, approve=True)
    page = client_for("applicant").get(f"/applications/mine/{case.pk}/").content.decode()
    assert 'id="decision-reason">申请人不符合法定条件<' in page and "请补充经营场所证明后重新申请" in page
