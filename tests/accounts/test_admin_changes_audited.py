"""Every admin change is an audit event (三权分立, docs/adr/0011): every model in the admin is a RoleAdmin
(its saves and deletions write one), each change view opens only for its own administrators, and a change
submitted through the admin leaves its event."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.applications.builders import make_item
from yiwang.audit.models import AuditEvent
from yiwang.web.admin_site import RoleAdmin, admin_site

pytestmark = pytest.mark.django_db
ADMINS = ("sys_admin", "sec_admin", "audit_admin", "dept_admin")


# Admins that save or delete through their context's own (audited) services instead of RoleAdmin's
# audited save_model / delete_model / delete_queryset. A new override must be added here, knowingly.
THROUGH_SERVICES = {
    "CalendarEntryAdmin",
    "CalendarYearAdmin",
    "PasswordResetAdmin",
    "SynonymAdmin",
    "Open311KeyAdmin",
    "PlanAdmin",  # the audited save, then a new plan version through construction.services
    "AnnouncementAdmin",  # the audited save, then the cached home page's generation is bumped
}


def test_every_admin_is_a_role_admin_that_audits() -> None:
    plain = [m._meta.label for m, a in admin_site._registry.items() if not isinstance(a, RoleAdmin)]
    assert plain == []
    overriding = {
        type(admin).__name__
        for admin in admin_site._registry.values()
        for name in ("save_model", "delete_model", "delete_queryset")
        if getattr(type(admin), name) is not getattr(RoleAdmin, name)
    }
    assert overriding <= THROUGH_SERVICES, sorted(overriding - THROUGH_SERVICES)


def test_every_change_view_opens_for_its_own_administrators_only(world: Any, client_for: Any) -> None:
    make_item(world)  # a catalogue item and its organisation, so the catalogue's admins have rows
    clients = {role: client_for(role) for role in ADMINS}
    walked = 0
    for model, admin in admin_site._registry.items():
        obj = model._default_manager.first()
        if obj is None:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
        for role, client in clients.items():
            status = client.get(url).status_code
            allowed = role in admin.admin_roles
            assert (status == 200) == allowed, (model._meta.label, role, status)
        walked += 1
    assert walked >= 10


def test_a_change_through_the_admin_leaves_its_event(world: Any, client_for: Any) -> None:
    hall = world.hall
    url = reverse("admin:accounts_hall_change", args=[hall.pk])
    page = client_for("sys_admin").get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["name"] = "区政务服务中心（新址）"
    for inline in page.context["inline_admin_formsets"]:
        fs = inline.formset
        for name in fs.management_form.fields:
            data[f"{fs.prefix}-{name}"] = fs.management_form[name].value()
        for i, f in enumerate(fs.forms):
            for name in f.fields:
                value = f[name].value()
                if value is not None and value is not False:
                    data[f"{fs.prefix}-{i}-{name}"] = value
    data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
    r = client_for("sys_admin").post(url, data)
    assert r.status_code == 302, r.context["adminform"].form.errors if r.context else r
    event = AuditEvent.objects.get(action="admin.change", object_id=str(hall.pk))
    assert "name" in event.data["fields"] and event.actor_label == "t_sysadmin"
