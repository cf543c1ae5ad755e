"""Licence test builders: a licence type on a catalogue item, and an application walked to approval."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.test import TestCase

from tests.applications.builders import code_of, make_item
from tests.factories import credit_code
from yiwang.applications import services as apps
from yiwang.licences.models import LicenceType

if TYPE_CHECKING:
    from yiwang.cases.models import Case

FIELDS = [
    {"key": "scope", "label": "经营范围", "required": True},
    {"key": "address", "label": "经营场所", "required": True},
    {"key": "note", "label": "备注", "required": False},
]


def licence_type(
    world: Any, *, code: str = "LT0001FOOD", fields: list[dict[str, Any]] | None = None, **kw: Any
) -> LicenceType:
    """A licence type issued by a new item of the world's office; the department gets a credit code."""
    if not world.dept.credit_code:
        world.dept.credit_code = credit_code(900)
        world.dept.save()
    item = kw.pop("item", None) or make_item(world, name="食品经营许可")
    ltype = LicenceType.objects.create(
        code=code,
        name="食品经营许可证",
        fields=FIELDS if fields is None else fields,
        sample={"scope": "预包装食品销售", "address": "龙岗区龙城街道1号"},
        **kw,
    )
    ltype.items.add(item)
    ltype._item = item  # type: ignore[attr-defined]
    return ltype


def approved_case(world: Any, ltype: LicenceType, *, enterprise: Any = None, person: Any = None) -> Case:
    item = ltype._item  # type: ignore[attr-defined]
    clerk, reviewer = world.users["clerk"], world.users["reviewer"]
    case = apps.application_receive(
        actor=clerk,
        item=item,
        person=None if enterprise is not None else (person or world.person),
        enterprise=enterprise,
        agent=world.users["agent"].person if enterprise is not None else None,
        provided=[code_of(item, 1), code_of(item, 2)],
    )
    apps.application_accept(actor=clerk, case_id=case.pk)
    apps.application_start_review(actor=reviewer, case_id=case.pk)
    # the kernel publishes CaseTransitioned after commit: run those callbacks as a real commit would
    with TestCase.captureOnCommitCallbacks(execute=True):
        approved = apps.application_approve(actor=reviewer, case_id=case.pk)
    return approved
