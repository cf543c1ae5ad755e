"""Application journeys in real Chromium: online application and progress, 容缺 at the window, a refusal
waiting for a supervisor, and a reviewer's approval delivered at the hall."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.applications.builders import PDF, code_of, make_item
from yiwang.applications import services as s
from yiwang.applications.models import Application

from .browser import act, login, switch_language

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.e2e


def _pdf(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def test_applicant_applies_online_and_follows_progress(world: World, page: Any, new_page: Any) -> None:
    item = make_item(world, name="食品经营许可")
    login(page, world.users["applicant"].username)
    page.goto(f"/applications/apply/{item.code}/")
    assert "食品经营许可" in page.locator("h1").inner_text()
    # the conditional material is offered only as a condition to tick
    assert page.locator(f"input[name=condition][value='{code_of(item, 3)}']").count() == 1
    with page.expect_navigation():
        page.locator("#main form button[type=submit]").click()
    assert page.locator("#case-status").inner_text() == "草稿"
    page.locator(f"#file_{code_of(item, 1)}").set_input_files(_pdf("申请书.pdf"))
    page.locator(f"#file_{code_of(item, 2)}").set_input_files(_pdf("执照.pdf"))
    with page.expect_navigation():
        page.locator("#materials-form button[type=submit]").click()
    with page.expect_navigation():
        page.locator("#submit-application").click()
    assert page.locator("#case-status").inner_text() == "网上已提交"
    number = page.locator("#case-number").inner_text().strip()
    assert number.startswith(world.office.code)

    visitor = new_page(1280, 800, label="visitor")  # not signed in
    visitor.goto("/applications/progress/")
    visitor.locator("#number").fill(number)
    visitor.locator("#last4").fill(world.person.id_number[-4:])  # type: ignore[union-attr]
    with visitor.expect_navigation():
        visitor.locator("#progress-form button[type=submit]").click()
    assert visitor.locator("#progress-status").inner_text() == "网上已提交"
    assert "张三" not in visitor.content()
    switch_language(visitor, "en")
    assert visitor.locator("#progress-status").inner_text() == "Submitted online"


def test_clerk_accepts_at_the_window_with_missing_materials(world: World, page: Any) -> None:
    item = make_item(world, name="食品经营许可")
    login(page, world.users["clerk"].username)
    page.goto(f"/applications/reception/?person={world.other_person.pk}&item={item.code}")  # type: ignore[union-attr]
    page.locator(f"input[name=provided][value='{code_of(item, 1)}']").check()
    with page.expect_navigation():
        page.locator("#receive-form button[type=submit]").click()
    assert page.locator("#case-status").inner_text() == "窗口已收件"
    form = page.locator("form.action-form[data-action=accept_rongque]")
    # the promised date defaults to the latest the item allows: only the signature is ticked
    assert form.locator("input[name=promise_by]").input_value()
    form.locator("input[name=promise_signed]").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator("#case-status").inner_text() == "已受理"
    assert "容缺" in page.locator("dl.kv").inner_text()
    assert "容缺受理承诺书" in page.locator("#main").inner_text()


def test_clerks_refusal_waits_for_a_supervisor(world: World, page: Any, new_page: Any) -> None:
    item = make_item(world, name="食品经营许可")
    case = s.application_receive(actor=world.users["clerk"], item=item, person=world.other_person)
    login(page, world.users["clerk"].username)
    page.goto(f"/applications/case/{case.pk}/")
    form = page.locator("form.action-form[data-action=request_not_accept]")
    form.locator("select[name=reason_code]").select_option("not_competent")
    form.locator("textarea[name=reason]").fill("属市级事权")
    form.locator("textarea[name=guidance]").fill("请向市级部门提出申请")
    asked = act(page, "request_not_accept", confirm=False)  # a refusal asks first; "no" sends nothing
    assert asked == ["拟不予受理本申请？下一步由负责人决定。"]
    assert page.locator("#case-status").inner_text() != "不予受理待负责人审批"
    act(page, "request_not_accept")
    assert page.locator("#case-status").inner_text() == "不予受理待负责人审批"
    assert page.locator("form.action-form[data-action=approve_not_accept]").count() == 0  # no veto

    boss = new_page(1280, 800, label="supervisor")
    login(boss, world.users["supervisor"].username)
    boss.goto("/applications/approvals/")
    assert case.number in boss.locator("#main").inner_text()
    boss.goto(f"/applications/case/{case.pk}/")
    act(boss, "approve_not_accept")
    assert boss.locator("#case-status").inner_text() == "不予受理"


def test_reviewer_approves_and_the_result_is_delivered(world: World, page: Any, new_page: Any) -> None:
    item = make_item(world, name="食品经营许可")
    case = s.application_receive(
        actor=world.users["clerk"],
        item=item,
        person=world.other_person,
        provided=[code_of(item, 1), code_of(item, 2)],
    )
    s.application_accept(actor=world.users["clerk"], case_id=case.pk)
    login(page, world.users["reviewer"].username)
    page.goto("/applications/inbox/")
    with page.expect_navigation():
        page.locator(f"a:text('{case.number}')").click()
    act(page, "start_review")
    assert page.locator("#case-status").inner_text() == "审查中"
    act(page, "approve")
    assert page.locator("#case-status").inner_text() == "准予许可"
    act(page, "issue_result")
    assert page.locator("#case-status").inner_text() == "已出证"

    clerk = new_page(1280, 800, label="clerk")
    login(clerk, world.users["clerk"].username)
    clerk.goto(f"/applications/case/{case.pk}/")
    code = Application.objects.get(case=case).pickup_code  # the applicant shows it from their case page
    clerk.locator("form.action-form[data-action=deliver] input[name=pickup_code]").fill(code)
    act(clerk, "deliver")
    assert clerk.locator("#case-status").inner_text() == "已送达"
    switch_language(clerk, "en")
    assert clerk.locator("#case-status").inner_text() == "Delivered"


def test_applicant_fills_the_application_form_on_a_phone(world: World, phone_page: Any) -> None:
    """申请表: the name and ID number come from the account (the number masked), a bad answer is named and
    nothing typed is lost, a row is added to the repeatable group, and the answers are read back."""
    from tests.applications.builders import FORM
    from tests.factories import resident_id

    from .browser import horizontal_overflow, screenshot

    item = make_item(world, name="食品经营许可", form=FORM)
    page = phone_page
    login(page, world.users["applicant"].username)
    page.goto(f"/applications/apply/{item.code}/")
    with page.expect_navigation():
        page.locator("#main form button[type=submit]").click()
    assert page.locator("#id_answers-name").input_value() == world.person.name  # type: ignore[union-attr]
    shown_id = page.locator("#id_answers-id_number").input_value()
    assert "*" in shown_id and shown_id != world.person.id_number  # type: ignore[union-attr]
    page.locator("#id_answers-reason").select_option("新办")
    page.locator("#id_answers-area").fill("120")
    page.locator("#id_answers-site__street").select_option(index=1)
    page.locator("#id_answers-site__detail").fill("清林路1号")
    page.locator("#id_answers-contact__name").fill("李四")
    page.locator("#id_answers-contact__id").fill("440307198203041234")  # a wrong check digit
    page.locator("#answers-members [data-rows-add]").click()
    page.locator("#id_answers-members-0-member_name").fill("王小明")
    page.locator("#id_answers-members-0-relation").select_option("子女")
    page.locator(f"#file_{code_of(item, 1)}").set_input_files(_pdf("申请书.pdf"))
    page.locator(f"#file_{code_of(item, 2)}").set_input_files(_pdf("执照.pdf"))
    with page.expect_navigation():
        page.locator("#save-draft").click()
    assert "紧急联系人 · 身份证号码" in page.locator("#materials-form").inner_text()
    assert "所选文件未保存，请重新选择。" in page.locator("#main").inner_text()
    assert page.locator("#id_answers-area").input_value() == "120"  # nothing typed is lost
    assert page.locator("#id_answers-members-0-member_name").input_value() == "王小明"
    assert horizontal_overflow(page) == 0
    screenshot(page, "application-form-error-phone-zh")
    page.locator("#id_answers-contact__id").fill(resident_id("19820304", 12))
    page.locator(f"#file_{code_of(item, 1)}").set_input_files(_pdf("申请书.pdf"))
    page.locator(f"#file_{code_of(item, 2)}").set_input_files(_pdf("执照.pdf"))
    with page.expect_navigation():
        page.locator("#save-draft").click()
    with page.expect_navigation():
        page.locator("#submit-application").click()
    assert page.locator("#case-status").inner_text() == "网上已提交"
    app = Application.objects.get(item_version__item=item)
    assert app.answers["members"] == [{"member_name": "王小明", "relation": "子女"}]
    assert app.answers["id_number"] == world.person.id_number  # type: ignore[union-attr]  # kept, not the mask
    switch_language(page, "en")
    answers = page.locator("#answers-shown").inner_text()
    assert "Floor area (m²)" in answers and "120" in answers and "Child" in answers
    assert world.person.id_number not in page.content()  # type: ignore[union-attr]
    assert horizontal_overflow(page) == 0
    screenshot(page, "application-form-read-phone-en")
