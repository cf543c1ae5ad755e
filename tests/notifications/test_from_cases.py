"""A real case transition reaches the applicant's inbox, linking to the case's progress page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.applications.builders import code_of, make_item
from yiwang.applications import services as applications
from yiwang.notifications import selectors

if TYPE_CHECKING:
    from tests.factories import World

pytestmark = pytest.mark.django_db


def test_an_accepted_application_is_in_the_applicants_inbox(world: World, client_for: Any) -> None:
    item = make_item(world)
    case = applications.application_receive(
        actor=world.users["clerk"],
        item=item,
        person=world.person,
        provided=[code_of(item, 1), code_of(item, 2)],
    )
    applications.application_accept(actor=world.users["clerk"], case_id=case.pk)

    [entry] = [selectors.inbox_entry(n) for n in selectors.inbox_for(world.users["applicant"])]
    assert entry.link == f"/applications/progress/?number={case.number}"
    html = client_for("applicant").get("/messages/").content.decode()
    assert f'href="/applications/progress/?number={case.number}"' in html
    assert selectors.unread_count(world.users["applicant"]) == 1
