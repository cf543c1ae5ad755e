"""The application's own capacity: staff at the hall that received the application or returns its
result (the front office). The kernel's building blocks cover the rest (``yiwang.cases.capacities``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from yiwang.accounts.access import has_role, staff_member
from yiwang.cases.capacities import NOTHING

from .models import Application

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor
    from yiwang.cases.models import Case


def _halls(case: Case) -> tuple[int | None, int | None]:
    app = getattr(case, "_application_halls", None)
    if app is None:
        app = (
            Application.objects.filter(case_id=case.pk)
            .values_list("receiving_hall_id", "return_hall_id")
            .first()
        )
        app = app or (None, None)
        case._application_halls = app  # type: ignore[attr-defined]
    return app


@dataclass(frozen=True)
class HallCapacity:
    """Staff with one of these roles posted to the receiving or the return hall of the application."""

    roles: frozenset[str]
    label: Any = ""
    staff: bool = True

    def _hall(self, user: Visitor) -> int | None:
        member = staff_member(user)
        return member.hall_id if member is not None and has_role(member, *self.roles) else None

    def holds(self, user: Visitor, case: Case) -> bool:
        hall = self._hall(user)
        return hall is not None and hall in _halls(case)

    def cases_q(self, user: Visitor) -> Q:
        hall = self._hall(user)
        if hall is None:
            return NOTHING
        return Q(application__receiving_hall_id=hall) | Q(application__return_hall_id=hall)
