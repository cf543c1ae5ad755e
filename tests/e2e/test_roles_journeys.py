"""Granting a role in the admin, in real Chromium (docs/adr/0008): the security administrator posts a new
member of staff at a community station and ticks the window-clerk role; the clerk signs in and has it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import World, make_staff
from yiwang.accounts.models import Hall, User
from yiwang.audit.models import AuditEvent

from .browser import login, screenshot

pytestmark = pytest.mark.e2e


def test_the_security_administrator_makes_a_community_station_clerk(world: World, new_page: Any) -> None:
    station = Hall.objects.create(
        code="H2006001",
        name="龙西社区党群服务中心",
        kind=Hall.Kind.COMMUNITY,
        district=world.district,
        street=world.street,
        community=world.community,
        address="龙西社区",
        lat=22.72,
        lng=114.25,
    )
    newcomer = make_staff("t_new_station_clerk", [])
    admin = new_page(1280, 900)
    login(admin, world.users["sec_admin"].username)
    admin.goto(f"/admin/accounts/user/{newcomer.pk}/change/")
    admin.locator("select[name=hall]").select_option(label=station.name)
    admin.locator("input[name=roles][value=clerk]").check()
    screenshot(admin, "admin-grant-clerk-role")
    with admin.expect_navigation():
        admin.locator("input[name=_save]").click()
    assert admin.url.endswith("/admin/accounts/user/")
    newcomer.refresh_from_db()
    assert newcomer.hall_id == station.pk and User.objects.get(pk=newcomer.pk).role_set() == {"clerk"}
    grant = AuditEvent.objects.get(action="role.grant", outcome="success")
    assert (grant.actor_id, grant.data) == (world.users["sec_admin"].pk, {"role": "clerk"})

    clerk = new_page(1280, 900)
    login(clerk, newcomer.username)
    assert clerk.locator("#my-roles").inner_text().strip() == "综合窗口受理员"
