"""Pages: the online hall, reception at the window, the case page, approvals, figures and progress."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yiwang.applications import services as s
from yiwang.applications.figures import figures_rebuild
from yiwang.cases.models import Case

from .builders import PDF, code_of

pytestmark = pytest.mark.django_db


def test_reception_receives_with_uploads(world: Any, item: Any, client_for: Any) -> None:
    c = client_for("clerk")
    url = f"/applications/reception/?person={world.other_person.pk}&item={item.code}"
    page = c.get(url)
    assert page.status_code == 200 and item.name in page.content.decode()
    r = c.post(
        url,
        {
            "provided": [code_of(item, 1)],
            "delivery_method": "pickup",
            f"file_{code_of(item, 2)}": SimpleUploadedFile("x.pdf", PDF),
        },
    )
    assert r.status_code == 302, r.content.decode()[:500]
    case = Case.objects.get()
    assert case.application.materials.filter(state="provided").count() == 2


def test_reception_refuses_a_renamed_program(world: Any, item: Any, client_for: Any) -> None:
    c = client_for("clerk")
    url = f"/applications/reception/?person={world.other_person.pk}&item={item.code}"
    r = c.post(url, {f"file_{code_of(item, 1)}": SimpleUploadedFile("申请书.pdf", b"MZ\x90\x00")})
    assert r.status_code == 400
    assert "PDF" in r.content.decode()
    assert not Case.objects.exists()


def test_case_page_actions_and_supervisor_queue(world: Any, item: Any, client_for: Any) -> None:
    case = s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
    clerk = client_for("clerk")
    page = clerk.get(f"/applications/case/{case.pk}/")
    assert page.status_code == 200
    assert 'data-action="request_not_accept"' in page.content.decode()
    assert 'data-action="approve_not_accept"' not in page.content.decode()
    r = clerk.post(
        f"/applications/case/{case.pk}/",
        {
            "action": "request_not_accept",
            "reason_code": "prohibited",
            "reason": "禁止",
            "guidance": "不可办理",
            "expected_version": case.version,
        },
    )
    assert r.status_code == 302
    sup = client_for("supervisor")
    queue = sup.get("/applications/approvals/")
    assert case.number in queue.content.decode()
    page = sup.get(f"/applications/case/{case.pk}/")
    assert 'data-action="approve_not_accept"' in page.content.decode()
    case.refresh_from_db()
    r = sup.post(
        f"/applications/case/{case.pk}/",
        {"action": "approve_request", "note": "同意", "expected_version": case.version},
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == "not_accepted"


def test_notice_pdf_has_office_and_qr(world: Any, item: Any, client_for: Any) -> None:
    case = s.application_receive(
        actor=world.users["clerk"],
        item=item,
        person=world.other_person,
        provided=[code_of(item, 1), code_of(item, 2)],
    )
    s.application_accept(actor=world.users["clerk"], case_id=case.pk)
    notice = case.notices.get(kind="acceptance")
    r = client_for("clerk").get(f"/applications/notices/{notice.pk}/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_progress_page_without_login(world: Any, item: Any, client: Any) -> None:
    case = s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
    r = client.get(
        "/applications/progress/", {"number": case.number, "last4": world.other_person.id_number[-4:]}
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert case.number in body and world.other_person.name not in body
    assert client.get("/applications/progress/", {"number": case.number, "last4": "9999"}).status_code == 404


def test_figures_page_after_rebuild(world: Any, item: Any, client_for: Any) -> None:
    case = s.application_receive(
        actor=world.users["clerk"], item=item, person=world.other_person, provided=[code_of(item, 1)]
    )
    s.application_accept_rongque(
        actor=world.users["clerk"], case_id=case.pk, promise_days=2, promise_signed=True
    )
    assert figures_rebuild() > 0
    r = client_for("supervisor").get(
        "/applications/figures/", {"year": timezone.localdate(case.received_at).year}
    )
    assert r.status_code == 200
    assert "echarts.min.js" in r.content.decode()
    api = client_for("supervisor").get(
        "/api/applications/figures", {"year": timezone.localdate(case.received_at).year}
    )
    totals = api.json()["totals"]
    assert totals["received"] == 1 and totals["rongque_cases"] == 1 and totals["rongque_materials"] == 1
    assert totals["days_saved"] == 2 and totals["trips_saved"] == 1


def test_online_hall_draft_upload_submit(world: Any, item: Any, client_for: Any) -> None:
    c = client_for("applicant")
    r = c.post(f"/applications/apply/{item.code}/", {"delivery_method": "pickup"})
    assert r.status_code == 302
    case = Case.objects.get()
    detail = f"/applications/mine/{case.pk}/"
    r = c.post(
        detail,
        {
            "action": "save",
            f"file_{code_of(item, 1)}": SimpleUploadedFile("a.pdf", PDF),
            f"file_{code_of(item, 2)}": SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\n0000"),
        },
    )
    assert r.status_code == 302
    case.refresh_from_db()
    r = c.post(detail, {"action": "submit", "expected_version": case.version})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == "submitted" and case.number
    assert c.get("/applications/mine/").status_code == 200


def test_a_served_queue_ticket_is_linked_to_the_case_it_led_to(
    world: Any, item: Any, client_for: Any
) -> None:
    """The console's "start receiving" link carries ``?ticket=``: the case received is linked to that number."""
    from tests.halls.helpers import at, next_workday, setup_hall
    from yiwang.accounts.models import Window
    from yiwang.audit.models import AuditEvent
    from yiwang.halls import services as halls
    from yiwang.halls.models import Ticket

    setup_hall(world.hall, letters="A")
    day = next_workday()
    ticket = halls.ticket_take(
        actor=world.users["clerk"], hall=world.hall, category_letter="A", now=at(day, "09:00")
    )
    window = Window.objects.get(hall=world.hall, number="01")
    halls.ticket_call_next(actor=world.users["clerk"], window=window, now=at(day, "09:05"))
    c = client_for("clerk")
    url = f"/applications/reception/?person={world.other_person.pk}&item={item.code}&ticket={ticket.pk}"
    page = c.get(url)
    assert ticket.number in page.content.decode()  # "Serving number A001 …"
    r = c.post(url, {"provided": [code_of(item, 1), code_of(item, 2)], "delivery_method": "pickup"})
    assert r.status_code == 302, r.content.decode()[:500]
    case = Case.objects.get()
    assert Ticket.objects.get(pk=ticket.pk).case == case
    assert AuditEvent.objects.get(action="application.receive").data["ticket"] == ticket.number
    # A number already linked (or of another hall) is not offered again.
    assert ticket.number not in c.get(url).content.decode()


def test_inbox_opens_with_what_the_user_can_act_on_soonest_deadline_first(
    world: Any, item: Any, client_for: Any
) -> None:
    """The clerk's default inbox: cases waiting for the clerk's next step, by time left; a case waiting for the
    applicant's correction or for the office's review is in "all open cases" only."""
    clerk = world.users["clerk"]

    def received() -> Case:
        return s.application_receive(
            actor=clerk, item=item, person=world.other_person, provided=[code_of(item, 1), code_of(item, 2)]
        )

    later, sooner, waiting, accepted = received(), received(), received(), received()
    Case.objects.filter(pk=later.pk).update(due_date=date(2031, 3, 3))
    Case.objects.filter(pk=sooner.pk).update(due_date=date(2031, 3, 1))
    s.application_request_correction(actor=clerk, case_id=waiting.pk, items={code_of(item, 1): "未签字"})
    s.application_accept(actor=clerk, case_id=accepted.pk)
    c = client_for("clerk")
    page = c.get("/applications/inbox/").content.decode()
    assert [n for n in (sooner.number, later.number) if n in page] == [sooner.number, later.number]
    assert page.index(sooner.number) < page.index(later.number)
    assert waiting.number not in page and accepted.number not in page
    everything = c.get("/applications/inbox/", {"show": "all"}).content.decode()
    assert all(x.number in everything for x in (later, sooner, waiting, accepted))
    reviewer_page = client_for("reviewer").get("/applications/inbox/").content.decode()
    assert accepted.number in reviewer_page and waiting.number not in reviewer_page


def test_a_double_click_on_start_opens_one_draft(world: Any, item: Any, client_for: Any) -> None:
    c = client_for("applicant")
    page = c.get(f"/applications/apply/{item.code}/").content.decode()
    once = re.search(r'name="once" value="([^"]+)"', page)
    assert once and len(once.group(1)) >= 16
    form = {"delivery_method": "pickup", "once": once.group(1)}
    first = c.post(f"/applications/apply/{item.code}/", form)
    second = c.post(f"/applications/apply/{item.code}/", form)
    case = Case.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/applications/mine/{case.pk}/"
    # A fresh page is a new start: its own token makes a second draft.
    again = re.search(
        r'name="once" value="([^"]+)"', c.get(f"/applications/apply/{item.code}/").content.decode()
    )
    assert again and again.group(1) != once.group(1)
    c.post(f"/applications/apply/{item.code}/", {"delivery_method": "pickup", "once": again.group(1)})
    assert Case.objects.count() == 2


def test_a_form_error_names_the_field_by_its_label(world: Any, item: Any, client_for: Any) -> None:
    c = client_for("applicant")
    long = "深圳市龙岗区" * 40  # more than the 200 characters a postal address may have
    zh = c.post(f"/applications/apply/{item.code}/", {"delivery_method": "post", "delivery_address": long})
    en = c.post(
        f"/applications/apply/{item.code}/",
        {"delivery_method": "post", "delivery_address": long},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert zh.status_code == en.status_code == 400
    assert re.search(r"邮寄地址：[^<]*200", zh.content.decode())
    assert re.search(r"Postal address: [^<]*200", en.content.decode())
    assert "delivery_address" not in re.sub(r'(name|id|for)="[^"]*"', "", zh.content.decode())
    assert not Case.objects.exists()


def test_reception_picker_keeps_the_item_after_a_refusal(world: Any, item: Any, client_for: Any) -> None:
    """The item picker (ADR 0058) is, without JavaScript, a select carrying the hall's items and the item
    chosen; a refused reception draws it again with that item still chosen, also when ``item_q`` no longer
    finds it."""
    c = client_for("clerk")
    url = f"/applications/reception/?person={world.other_person.pk}&item={item.code}&item_q=nothing-like-it"
    r = c.post(url, {f"file_{code_of(item, 1)}": SimpleUploadedFile("申请书.pdf", b"MZ\x90\x00")})
    assert r.status_code == 400
    found = re.search(r'<select name="item"[^>]*>.*?</select>', r.content.decode(), re.S)
    assert found is not None
    select = found.group(0)
    assert 'data-picker="/catalogue/pick/"' in select and 'id="item"' in select
    assert re.findall(r'<option value="([^"]*)"', select) == ["", item.code]
    assert re.findall(r'<option value="([^"]*)" selected>', select) == [item.code]
    assert '<option value="">请选择事项</option>' in select
