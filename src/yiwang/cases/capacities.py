"""Building blocks for the capacity resolvers a workflow declares (``Workflow.capacities``).

Each resolver answers one question two ways, for one case (``holds``) and for every case at once
(``cases_q``), so "may this user act on this case" and "which cases may this user list" cannot
disagree (the zulip pattern of ``access_stream_by_id`` beside ``get_streams_for_user``). A kind
combines these with resolvers of its own (an application's clerk is the one at the receiving hall).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q

from yiwang.accounts.access import (
    access_office,
    acting_person,
    enterprises_for,
    has_role,
    is_applicant,
    staff_member,
)
from yiwang.accounts.roles import Role

from .models import CaseAssignment, CaseParty

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet

    from yiwang.accounts.access import Visitor

    from .models import Case

NOTHING = Q(pk__in=[])


def _cases_of_party(roles: Iterable[str], person_id: int | None, enterprise_ids: list[int]) -> Q:
    match = Q(person_id=person_id) if person_id is not None else Q(pk__in=[])
    if enterprise_ids:
        match |= Q(enterprise_id__in=enterprise_ids)
    rows = CaseParty.objects.filter(match, case=OuterRef("pk"), role__in=sorted(roles), until__isnull=True)
    return Q(Exists(rows))


@dataclass(frozen=True)
class PartyCapacity:
    """An applicant acting for one of the case's current parties in these roles: as that person, or for
    an enterprise they may act for (legal representative or authorised agent)."""

    roles: frozenset[str]
    label: Any = ""
    staff: bool = False

    def holds(self, user: Visitor, case: Case) -> bool:
        if not is_applicant(user):
            return False
        me = acting_person(user)
        if me is None:
            return False
        parties = getattr(case, "_parties_cache", None)
        if parties is None:
            parties = list(CaseParty.objects.filter(case=case, until__isnull=True))
            case._parties_cache = parties  # type: ignore[attr-defined]
        mine = [p for p in parties if p.role in self.roles]
        if any(p.person_id == me.pk for p in mine):
            return True
        wanted = {p.enterprise_id for p in mine if p.enterprise_id is not None}
        return bool(wanted) and enterprises_for(user).filter(pk__in=wanted).exists()

    def cases_q(self, user: Visitor) -> Q:
        me = acting_person(user) if is_applicant(user) else None
        if me is None:
            return NOTHING
        ents = list(enterprises_for(user).values_list("pk", flat=True))
        return _cases_of_party(self.roles, me.pk, ents)


@dataclass(frozen=True)
class OfficeCapacity:
    """Staff with one of these roles in an office assigned to the case (``lead`` by default); a
    department administrator covers every office of the department."""

    roles: frozenset[str]
    assignment: frozenset[str] = frozenset({CaseAssignment.LEAD})
    label: Any = ""
    staff: bool = True

    def holds(self, user: Visitor, case: Case) -> bool:
        if not has_role(staff_member(user), *self.roles):
            return False
        if self.assignment == {CaseAssignment.LEAD}:
            return access_office(user, case.owning_office)
        offices = CaseAssignment.objects.filter(
            case=case, role__in=sorted(self.assignment), until__isnull=True
        )
        return any(access_office(user, a.office) for a in offices.select_related("office") if a.office)

    def cases_q(self, user: Visitor) -> Q:
        member = staff_member(user)
        if member is None or not has_role(member, *self.roles):
            return NOTHING
        user = member
        dept = (
            user.department_id if has_role(user, Role.DEPT_ADMIN) and Role.DEPT_ADMIN in self.roles else None
        )
        if self.assignment == {CaseAssignment.LEAD}:
            q = Q(owning_office_id=user.office_id) if user.office_id else NOTHING
            return q | Q(owning_office__department_id=dept) if dept else q
        match = Q(office_id=user.office_id) if user.office_id else Q(pk__in=[])
        if dept:
            match |= Q(office__department_id=dept)
        rows = CaseAssignment.objects.filter(
            match, case=OuterRef("pk"), role__in=sorted(self.assignment), until__isnull=True
        )
        return Q(Exists(rows))


class _NamedOnACurrentRow:
    """A staff member named on one of the case's current rows (an assignment, a party) in given roles:
    ``_rows(member)`` are those rows of every case."""

    def _rows(self, member: Any) -> QuerySet[Any]:
        raise NotImplementedError

    def holds(self, user: Visitor, case: Case) -> bool:
        member = staff_member(user)
        return member is not None and self._rows(member).filter(case=case).exists()

    def cases_q(self, user: Visitor) -> Q:
        member = staff_member(user)
        if member is None:
            return NOTHING
        return Q(Exists(self._rows(member).filter(case=OuterRef("pk"))))


@dataclass(frozen=True)
class AssigneeCapacity(_NamedOnACurrentRow):
    """The staff member personally assigned to the case in one of these assignment roles."""

    assignment: frozenset[str] = frozenset({CaseAssignment.LEAD})
    label: Any = ""
    staff: bool = True

    def _rows(self, member: Any) -> QuerySet[Any]:
        return CaseAssignment.objects.filter(
            user=member, role__in=sorted(self.assignment), until__isnull=True
        )


@dataclass(frozen=True)
class AnyCapacity:
    """Holds when any of its parts holds."""

    parts: tuple[Any, ...]
    label: Any = ""
    staff: bool = True

    def holds(self, user: Visitor, case: Case) -> bool:
        return any(p.holds(user, case) for p in self.parts)

    def cases_q(self, user: Visitor) -> Q:
        q = NOTHING
        for p in self.parts:
            q |= p.cases_q(user)
        return q


ANY_CASE = ~Q(pk__in=[])


@dataclass(frozen=True)
class RoleCapacity:
    """Staff holding one of these roles, on every case of the kind: a district-wide desk (a call centre's
    operators and dispatchers) rather than an office assigned to the case."""

    roles: frozenset[str]
    label: Any = ""
    staff: bool = True

    def holds(self, user: Visitor, case: Case) -> bool:
        return has_role(staff_member(user), *self.roles)

    def cases_q(self, user: Visitor) -> Q:
        return ANY_CASE if has_role(staff_member(user), *self.roles) else NOTHING


@dataclass(frozen=True)
class StaffPartyCapacity(_NamedOnACurrentRow):
    """A staff member who is one of the case's current parties in these roles (the staff member who
    assisted the applicant: 帮办代办). Holds on exactly the cases the staff member is that party of."""

    roles: frozenset[str]
    label: Any = ""
    staff: bool = True

    def _rows(self, member: Any) -> QuerySet[Any]:
        return CaseParty.objects.filter(staff=member, role__in=sorted(self.roles), until__isnull=True)
