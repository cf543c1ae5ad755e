"""The demo portal's announcements (通知公告): what a district's service bureau posts in a December —
the New Year's Day opening hours (pinned), a new service, a change of hall and a reminder — published through
``portal.services.announcement_publish`` at the dates they would have been."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from yiwang.accounts.models import Department
from yiwang.portal.models import Announcement
from yiwang.portal.services import announcement_publish

if TYPE_CHECKING:
    from yiwang.demo.context import DemoContext

ANNOUNCEMENTS = [
    # (days before today, pinned, days shown (0: until withdrawn), issuing department code, title, title_en, body)
    (2, True, 40, "LG21", "关于元旦假期政务服务大厅办公时间的通知", "Service halls' hours over the New Year holiday",
     "元旦假期（1月1日）区、街道政务服务大厅暂停窗口服务，1月2日起恢复正常办公。假期内可通过“一网政务服务”网上办理、"
     "预约办理和查询办件进度；急需办理的，请拨打12345政务服务便民热线。",
     "The district and street service halls are closed on 1 January and open as usual from 2 January. "
     "Online applications, bookings and progress lookups stay available; for urgent matters call 12345."),
    (9, False, 0, "LG19", "食品经营许可实现全程网办", "Food business licences can now be obtained entirely online",
     "自本月起，食品经营许可（新办）可在网上填写申请表、上传材料并在线签署承诺，审批结果通过邮寄或电子证照送达，"
     "全程无需到窗口。", "From this month, a new food business licence can be applied for entirely online: the "
     "application form, the materials and the promise are submitted online, and the licence is posted or issued "
     "as an e-licence."),
    (24, False, 0, "", "区政务服务中心社保窗口迁至二楼", "The social insurance windows of the district hall moved to "
     "the first floor", "区政务服务中心社会保险业务窗口已迁至二楼东区（C区），取号方式不变。",
     "The social insurance windows of the district service centre are now in the east wing of the first floor "
     "(area C); queue numbers are taken as before."),
    (50, False, 0, "LG06", "高龄老人津贴申领提醒", "A reminder about the old-age allowance",
     "年满80周岁的户籍老人可申领高龄津贴，可由家属或社区网格员帮办代办。", "Registered residents aged 80 or "
     "more can claim the old-age allowance; a relative or the community's grid worker can apply for them."),
]  # fmt: skip


def load(ctx: DemoContext) -> None:
    if Announcement.objects.exists():
        return
    for days, pinned, shown, dept, title, title_en, body, body_en in ANNOUNCEMENTS:
        at = datetime.combine(
            ctx.today - timedelta(days=days), time(9, 0), tzinfo=timezone.get_current_timezone()
        )
        announcement_publish(
            actor=None,
            title=title,
            title_en=title_en,
            body=body,
            body_en=body_en,
            department=Department.objects.filter(code=dept).first() if dept else None,
            published_at=at,
            expires_at=at + timedelta(days=shown) if shown else None,
            pinned=pinned,
        )
        ctx.count("announcements (通知公告)")
