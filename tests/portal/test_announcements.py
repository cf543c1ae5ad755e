"""通知公告 on the portal (docs/adr/0134): what is current (published, not withdrawn, not expired), pinned
first; the home page, the list, the page and the API agree; the editors write them in the admin, audited,
and the home page kept for anonymous visitors shows a new one at once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from yiwang.audit.models import AuditEvent
from yiwang.portal.models import Announcement
from yiwang.portal.services import announcement_publish

pytestmark = pytest.mark.django_db


def publish(title: str, **kw: Any) -> Announcement:
    return announcement_publish(actor=None, title=title, body=f"{title}的正文。", **kw)


def test_only_current_announcements_are_shown_pinned_first(world: Any) -> None:
    now = timezone.now()
    old = publish("社保窗口迁至二楼", published_at=now - timedelta(days=20))
    new = publish("食品经营许可实现全程网办", published_at=now - timedelta(days=2), department=world.dept)
    pinned = publish(
        "元旦假期办公时间", published_at=now - timedelta(days=5), pinned=True, title_en="New Year hours"
    )
    publish("明天才发布", published_at=now + timedelta(days=1))
    publish("已过期", published_at=now - timedelta(days=30), expires_at=now - timedelta(days=1))
    Announcement.objects.create(title="已撤回", body="…", withdrawn=True)
    c = Client()
    home = c.get("/").content.decode()
    listed = c.get("/announcements/").content.decode()
    for page in (home, listed):
        assert page.index(pinned.title) < page.index(new.title) < page.index(old.title)
        assert "明天才发布" not in page and "已过期" not in page and "已撤回" not in page
    page = c.get(f"/announcements/{new.pk}/").content.decode()
    assert "食品经营许可实现全程网办的正文。" in page and world.dept.name in page
    hidden = Announcement.objects.get(title="已撤回")
    assert c.get(f"/announcements/{hidden.pk}/").status_code == 404
    body = c.get("/api/portal/announcements", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [a["title"] for a in body] == ["New Year hours", new.title, old.title]  # English where given
    assert body[1]["issued_by"] == world.dept.name_en and body[0]["pinned"] is True
    assert c.get(f"/api/portal/announcements/{hidden.pk}").status_code == 404
    assert AuditEvent.objects.filter(action="portal.announcement.publish").count() == 5


def test_a_new_announcement_shows_on_the_cached_home_page_at_once(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    c = Client()
    assert "暂无通知公告。" in c.get("/").content.decode()  # drawn and kept for anonymous visitors
    with django_capture_on_commit_callbacks(execute=True):
        publish("关于元旦假期政务服务大厅办公时间的通知")
    assert "关于元旦假期政务服务大厅办公时间的通知" in c.get("/").content.decode()


def test_editors_write_them_in_the_admin_with_checked_dates(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    c = client_for("sys_admin")
    now = timezone.localtime()
    form = {
        "title": "办公时间调整", "title_en": "", "body": "自下周一起……", "body_en": "", "department": "",
        "published_at_0": now.strftime("%Y-%m-%d"), "published_at_1": now.strftime("%H:%M:%S"),
        "expires_at_0": (now - timedelta(days=1)).strftime("%Y-%m-%d"), "expires_at_1": "09:00:00",
    }  # fmt: skip
    r = c.post("/admin/portal/announcement/add/", form)
    assert r.status_code == 200 and not Announcement.objects.exists()  # shown until before published: refused
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post("/admin/portal/announcement/add/", {**form, "expires_at_0": "", "expires_at_1": ""})
    assert r.status_code == 302
    row = Announcement.objects.get()
    assert row.created_by == world.users["sys_admin"]
    assert AuditEvent.objects.filter(action="admin.add", object_id=str(row.pk)).exists()
    assert "办公时间调整" in Client().get("/").content.decode()
    assert client_for("dept_admin").get("/admin/portal/announcement/").status_code in (302, 403)
