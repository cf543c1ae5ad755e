"""Read receipts through the services: only the recipient, one audit event per change, in one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied

from yiwang.audit.models import AuditEvent
from yiwang.core.errors import NotFound
from yiwang.notifications import selectors, services
from yiwang.notifications.models import Notification

from .helpers import message

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.django_db


def _events(action: str, outcome: str = "success") -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, outcome=outcome))


def test_marking_read_sets_read_at_and_writes_exactly_one_audit_event(world: World) -> None:
    me = world.users["applicant"]
    n = message(me)
    assert n.read_at is None

    out = services.notification_mark_read(actor=me, notification_id=n.pk)

    n.refresh_from_db()
    assert out.read_at is not None and n.read_at == out.read_at
    [event] = _events("notification.read")
    assert (event.actor_id, event.object_type, event.object_id) == (
        me.pk,
        "notifications.notification",
        str(n.pk),
    )


def test_marking_a_read_message_again_changes_nothing_and_writes_nothing(world: World) -> None:
    me = world.users["applicant"]
    n = message(me)
    first = services.notification_mark_read(actor=me, notification_id=n.pk).read_at
    again = services.notification_mark_read(actor=me, notification_id=n.pk).read_at
    assert again == first
    assert len(_events("notification.read")) == 1


@pytest.mark.parametrize("role", ["agent", "reviewer", "audit_admin", "sys_admin"])
def test_somebody_elses_message_does_not_exist_for_them(world: World, role: str) -> None:
    n = message(world.users["applicant"])
    with pytest.raises(NotFound):
        services.notification_mark_read(actor=world.users[role], notification_id=n.pk)
    n.refresh_from_db()
    assert n.read_at is None
    assert _events("notification.read") == []
    [denied] = _events("notification.read", "denied")
    assert (denied.actor_id, denied.object_id) == (world.users[role].pk, str(n.pk))


def test_a_message_outside_the_inbox_or_missing_is_not_found(world: World) -> None:
    me = world.users["applicant"]
    sms = message(me, channel=Notification.Channel.SMS)
    for notification_id in (sms.pk, sms.pk + 1000, 2**63 - 1, 2**70, 0, -5):
        with pytest.raises(NotFound):
            services.notification_mark_read(actor=me, notification_id=notification_id)
    sms.refresh_from_db()
    assert sms.read_at is None
    assert _events("notification.read") == []


def test_anonymous_cannot_mark_anything(world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    n = message(world.users["applicant"])
    with pytest.raises(NotFound):
        services.notification_mark_read(actor=AnonymousUser(), notification_id=n.pk)
    with pytest.raises(PermissionDenied):
        services.notification_mark_all_read(actor=AnonymousUser())
    assert Notification.objects.filter(read_at__isnull=False).count() == 0


def test_the_read_receipt_and_its_audit_event_commit_together(world: World) -> None:
    me = world.users["applicant"]
    n = message(me)
    with (
        mock.patch("yiwang.notifications.services.audit_record", side_effect=RuntimeError("audit down")),
        pytest.raises(RuntimeError),
    ):
        services.notification_mark_read(actor=me, notification_id=n.pk)
    n.refresh_from_db()
    assert n.read_at is None, "a read receipt without its audit event was kept"


def test_mark_all_read_marks_only_my_unread_inbox_messages_with_one_event(world: World) -> None:
    me, other = world.users["applicant"], world.users["agent"]
    mine = [message(me, f"消息{i}") for i in range(3)]
    already = message(me, "已读")
    services.notification_mark_read(actor=me, notification_id=already.pk)
    sms = message(me, channel=Notification.Channel.SMS)
    theirs = message(other)

    assert services.notification_mark_all_read(actor=me) == 3

    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=sms.pk).read_at is None
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    [event] = _events("notification.read_all")
    assert event.actor_id == me.pk
    assert event.data == {"count": 3, "ids": [n.pk for n in mine], "up_to": None}
    # Nothing left: no change, no event.
    assert services.notification_mark_all_read(actor=me) == 0
    assert len(_events("notification.read_all")) == 1


def test_mark_all_read_up_to_leaves_a_message_that_arrived_later_unread(world: World) -> None:
    me = world.users["reviewer"]  # staff have an inbox too (deadline warnings)
    shown = [message(me, "即将到期"), message(me, "已超期")]
    later = message(me, "新消息")
    assert services.notification_mark_all_read(actor=me, up_to=shown[-1].pk) == 2
    assert Notification.objects.get(pk=later.pk).read_at is None
    assert selectors.unread_count(me) == 1


def test_inbox_selectors_newest_first_only_the_inbox_and_the_unread_count(world: World) -> None:
    me = world.users["applicant"]
    old = message(me, "旧", minutes_ago=60)
    new = message(me, "新", minutes_ago=1)
    message(me, "短信", channel=Notification.Channel.SMS)
    message(world.users["agent"], "别人的")
    assert [n.subject for n in selectors.inbox_for(me)] == ["新", "旧"]
    assert selectors.unread_count(me) == 2
    assert selectors.inbox_newest_id(me) == max(old.pk, new.pk)
    services.notification_mark_read(actor=me, notification_id=old.pk)
    assert selectors.unread_count(me) == 1
    assert selectors.inbox_newest_id(world.users["clerk"]) is None


def test_inbox_pages(world: World) -> None:
    me = world.users["applicant"]
    for i in range(25):
        message(me, f"消息{i:02d}", minutes_ago=100 - i)
    first = selectors.inbox_page(me, 1)
    assert (first.paginator.num_pages, len(first.object_list)) == (2, 20)
    assert first.object_list[0].subject == "消息24"
    assert [n.subject for n in selectors.inbox_page(me, 2)] == [f"消息{i:02d}" for i in range(4, -1, -1)]
    assert selectors.inbox_page(me, 99).number == 2


@pytest.mark.parametrize(
    ("link", "shown"),
    [
        ("/applications/progress/?number=D01012026000001", "/applications/progress/?number=D01012026000001"),
        ("", ""),
        ("https://evil.example/", ""),
        ("//evil.example/x", ""),
        ("/\\evil.example", ""),
        ("javascript:alert(1)", ""),
        ("relative/path", ""),
    ],
)
def test_an_entry_links_only_into_this_site(world: World, link: str, shown: str) -> None:
    assert selectors.inbox_entry(message(world.users["applicant"], link=link)).link == shown


def test_an_entry_masks_identifiers_in_subject_and_body(world: World) -> None:
    person: Any = world.person
    n = message(world.users["applicant"], f"致 {person.mobile}", f"证件 {person.id_number} 已核验")
    e = selectors.inbox_entry(n)
    assert person.mobile not in e.subject and person.mobile[-4:] in e.subject
    assert person.id_number not in e.body and e.body.startswith(f"证件 {person.id_number[:3]}*")
