"""E-licence journeys in real Chromium: an application is approved, the reviewer signs the licence, it
appears in the holder's wallet, its QR link's verification page says authentic; a later application
uses it instead of an upload."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import pytest

from tests.applications.builders import code_of, make_item
from tests.licences.helpers import licence_type
from yiwang.applications import services as s
from yiwang.licences.models import Licence, MaterialUse

from .browser import act, horizontal_overflow, login, screenshot

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.e2e


def test_approved_case_to_wallet_to_verification_to_reuse(world: World, page: Any, new_page: Any) -> None:
    ltype = licence_type(world)
    item = ltype._item  # type: ignore[attr-defined]
    case = s.application_receive(
        actor=world.users["clerk"],
        item=item,
        person=world.person,
        provided=[code_of(item, 1), code_of(item, 2)],
    )
    s.application_accept(actor=world.users["clerk"], case_id=case.pk)
    s.application_start_review(actor=world.users["reviewer"], case_id=case.pk)

    # the reviewer approves; the issuance appears on the desk; the reviewer completes the fields and signs
    login(page, world.users["reviewer"].username)
    page.goto(f"/applications/case/{case.pk}/")
    act(page, "approve")
    page.goto("/licences/desk/")
    with page.expect_navigation():
        page.locator(f"#pending a:text('{case.number}')").click()
    page.locator("#id_f_scope").fill("预包装食品销售")
    page.locator("#id_f_address").fill("龙岗区龙城街道1号")
    with page.expect_navigation():
        page.locator("#issue").click()
    assert page.locator("#licence-status").inner_text() == "有效"
    licence = Licence.objects.get(case=case)

    # the holder sees it in the wallet, opens it; the QR's link says authentic
    holder = new_page(375, 812, label="holder")
    login(holder, world.users["applicant"].username)
    holder.goto("/licences/wallet/")
    assert "食品经营许可证" in holder.locator("#wallet").inner_text()
    with holder.expect_navigation():
        holder.locator(f"a[href='/licences/{licence.pk}/']").click()
    assert holder.locator("figure.qr svg").count() == 1
    link = urlparse(holder.locator("#verify-link").get_attribute("href") or "")
    holder.goto(f"{link.path}?{link.query}")
    assert holder.locator("#verdict-text").inner_text() == "真实有效"
    assert "预包装食品销售" in holder.locator("#verdict").inner_text()
    assert horizontal_overflow(holder) == 0
    screenshot(holder, "licence-verified-phone")

    # a later application asks for that licence: the form offers it instead of an upload
    later = make_item(
        world,
        name="食品经营许可变更",
        materials=[
            {"name": "申请书", "kind": "required"},
            {"name": "食品经营许可证", "kind": "required", "source": "elicence", "source_note": ltype.code},
        ],
    )
    draft = s.application_draft_create(actor=world.users["applicant"], item=later)
    holder.goto(f"/applications/mine/{draft.pk}/")
    material = code_of(later, 2)
    with holder.expect_navigation():
        holder.locator(f"#use-{material}").click()
    assert licence.versions.get().identifier in holder.locator(f"#used-{material}").inner_text()
    assert MaterialUse.objects.get(case=draft).licence_version.licence == licence
