"""The "My messages" pages: portal and workbench shells, the badge, read receipts with and without htmx."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

from yiwang.audit.models import AuditEvent
from yiwang.notifications.models import Notification

from .helpers import message

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.django_db
INBOX = "/messages/"


def _badge(html: str) -> str | None:
    """The number in the navigation's unread badge, or None when the badge is hidden."""
    m = re.search(r'<span id="unread-badge" class="badge bad"( hidden style="display:none")?>(\d+)', html)
    assert m, "no unread badge in the page"
    return None if m.group(1) else m.group(2)


def test_applicant_sees_messages_newest_first_in_the_portal(world: World, client_for: Any) -> None:
    me = world.users["applicant"]
    message(
        me,
        "申请已受理",
        "您的申请已受理，请留意办理进度。",
        link="/applications/progress/?number=A1",
        minutes_ago=30,
    )
    message(me, "需要补正材料", "请在5个工作日内补正。", minutes_ago=5)
    message(me, "短信内容", channel=Notification.Channel.SMS)
    message(world.users["agent"], "别人的消息")

    html = client_for("applicant").get(INBOX).content.decode()

    assert "<h1>我的消息</h1>" in html
    assert 'class="top staff"' not in html  # the portal shell
    assert html.index("需要补正材料") < html.index("申请已受理")
    assert "短信内容" not in html and "别人的消息" not in html
    assert 'href="/applications/progress/?number=A1"' in html and "查看详情" in html
    assert html.count('msg-read"') == 2 and "2条未读消息" in html and "全部标为已读" in html
    assert _badge(html) == "2"


def test_staff_read_their_messages_in_the_workbench_shell(world: World, client_for: Any) -> None:
    message(world.users["reviewer"], "即将到期：审批时限", "审批时限将于 2026-03-30 届满。")
    html = client_for("reviewer").get(INBOX).content.decode()
    assert 'class="top staff"' in html and "即将到期：审批时限" in html
    assert _badge(client_for("reviewer").get("/workbench/").content.decode()) == "1"


def test_the_badge_is_in_every_page_and_hidden_at_zero(world: World, client_for: Any) -> None:
    client = client_for("applicant")
    assert _badge(client.get("/").content.decode()) is None
    message(world.users["applicant"])
    # The menu is cached per language and role set; the badge is drawn outside it, so it is current.
    assert _badge(client.get("/").content.decode()) == "1"
    assert "您有1条未读消息。" in client.get("/account/").content.decode()
    assert 'id="unread-badge"' not in Client().get("/").content.decode()


def test_mark_read_without_javascript_returns_to_the_page(world: World, client_for: Any) -> None:
    n = message(world.users["applicant"])
    client = client_for("applicant")
    response = client.post(f"{INBOX}{n.pk}/read/", {"next": f"{INBOX}?page=1"})
    assert response.status_code == 302 and response.headers["Location"] == f"{INBOX}?page=1"
    n.refresh_from_db()
    assert n.read_at is not None
    html = client.get(INBOX).content.decode()
    assert "标为已读" not in html and "已读于" in html and "没有未读消息。" in html
    assert (
        AuditEvent.objects.filter(action="notification.read", outcome="success", channel="web").count() == 1
    )


def test_mark_read_never_returns_to_another_site(world: World, client_for: Any) -> None:
    n = message(world.users["applicant"])
    response = client_for("applicant").post(f"{INBOX}{n.pk}/read/", {"next": "https://evil.example/"})
    assert response.headers["Location"] == INBOX


def test_mark_read_with_htmx_swaps_the_message_and_updates_the_badge(world: World, client_for: Any) -> None:
    me = world.users["applicant"]
    n, _other = message(me, "甲"), message(me, "乙")
    response = client_for("applicant").post(f"{INBOX}{n.pk}/read/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="msg" id="msg-{n.pk}">')
    assert '<span id="unread-badge" class="badge bad" hx-swap-oob="true">1' in html
    assert 'id="inbox-unread" role="status" hx-swap-oob="true">1条未读消息' in html
    assert 'id="read-all-form" hx-swap-oob="delete"' not in html


def test_the_last_read_receipt_with_htmx_removes_mark_all(world: World, client_for: Any) -> None:
    n = message(world.users["applicant"])
    html = client_for("applicant").post(f"{INBOX}{n.pk}/read/", HTTP_HX_REQUEST="true").content.decode()
    assert (
        '<span id="unread-badge" class="badge bad" hx-swap-oob="true" hidden style="display:none">0' in html
    )
    assert '<form id="read-all-form" hx-swap-oob="delete"></form>' in html


def test_somebody_elses_message_is_404_and_unchanged(world: World, client_for: Any) -> None:
    n = message(world.users["applicant"])
    for role in ("agent", "reviewer"):
        assert client_for(role).post(f"{INBOX}{n.pk}/read/").status_code == 404
    assert client_for("applicant").post(f"{INBOX}{2**64}/read/").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_the_forms_are_csrf_protected(world: World) -> None:
    n = message(world.users["applicant"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["applicant"])
    assert client.post(f"{INBOX}{n.pk}/read/").status_code == 403
    assert client.post(f"{INBOX}read-all/").status_code == 403
    html = client.get(INBOX).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token
    assert client.post(f"{INBOX}{n.pk}/read/", {"csrfmiddlewaretoken": token.group(1)}).status_code == 302
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_all_read_marks_what_was_shown(world: World, client_for: Any) -> None:
    me = world.users["applicant"]
    message(me, "甲")
    client = client_for("applicant")
    html = client.get(INBOX).content.decode()
    up_to = re.search(r'name="up_to" value="(\d+)"', html)
    assert up_to
    later = message(me, "乙")  # arrives after the page was drawn
    response = client.post(f"{INBOX}read-all/", {"up_to": up_to.group(1), "next": INBOX}, follow=True)
    page = response.content.decode()
    assert "已将1条消息标为已读。" in page
    assert Notification.objects.get(pk=later.pk).read_at is None
    assert _badge(page) == "1"
    assert client.post(f"{INBOX}read-all/", {"up_to": "x"}).status_code == 400
    assert Notification.objects.get(pk=later.pk).read_at is None


def test_pages_of_messages(world: World, client_for: Any) -> None:
    me = world.users["applicant"]
    for i in range(23):
        message(me, f"第{i:02d}条", minutes_ago=100 - i)
    client = client_for("applicant")
    first = client.get(INBOX).content.decode()
    assert first.count('class="msg unread"') == 20 and "第1页，共2页" in first
    second = client.get(INBOX, {"page": 2}).content.decode()
    assert second.count('class="msg unread"') == 3 and "第00条" in second and "第22条" not in second
    for bad in ("0", "x", str(2**64), "-3"):
        assert client.get(INBOX, {"page": bad}).status_code == 200


def test_english(world: World, client_for: Any) -> None:
    message(world.users["applicant"], "Application accepted", "Your application was accepted.", link="/x/")
    html = client_for("applicant").get(INBOX, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in (
        "<h1>My messages</h1>",
        "1 unread message",
        "Mark as read",
        "Mark all as read",
        "View details",
    ):
        assert text in html
    assert (
        '>Messages <span id="unread-badge"' in html
        and '1<span class="visually-hidden"> unread message</span>' in html
    )
    assert "消息" not in html


def test_signed_out_is_sent_to_sign_in(world: World) -> None:
    response = Client().get(INBOX)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login/")
