"""The access functions. Every page and API operation decides access here and nowhere else.

Each function answers one question for one user; views call them through ``require`` (pages)
or ``ensure`` (API and services), which turn a refusal into ``PermissionDenied`` and write a
``denied`` audit event. The authorization-matrix test exercises every route against every role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias, TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from yiwang.audit.services import audit_denied

from .models import Enterprise, Person, User
from .roles import ADMIN_ROLES, UNMASK_ROLES, Role

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import date

    from django.http import HttpRequest

# Whoever makes a request: a user, an anonymous visitor, or nobody (system work).
Visitor: TypeAlias = User | AnonymousUser | None


def authenticated(user: Visitor) -> User | None:
    """The user when signed in, else None (an anonymous visitor at a kiosk, or system work)."""
    return user if isinstance(user, User) and user.is_authenticated else None


def signed_in(request: HttpRequest) -> User:
    """The request's user, once a decorator or an access function has made sure someone is signed in."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("not signed in")
    return user  # type: ignore[return-value]


def roles_of(user: Visitor) -> frozenset[str]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return frozenset(user.role_set())


def has_role(user: Visitor, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def is_staff_user(user: Visitor) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_authenticated and user.is_active and user.kind == "staff"


def staff_member(user: Visitor) -> User | None:
    """The user if an active staff member, else None (narrows the type for the checks that follow)."""
    return user if is_staff_user(user) else None


def is_applicant(user: Visitor) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_authenticated and user.is_active and user.kind == "applicant"


# --- Areas ---------------------------------------------------------------------------------


def access_workbench(user: Visitor) -> bool:
    """The staff workbench: any active staff member with at least one role."""
    return is_staff_user(user) and bool(roles_of(user))


def access_portal_account(user: Visitor) -> bool:
    """The applicant's own pages in the portal."""
    return is_applicant(user)


def access_resident_sign_up(user: Visitor) -> bool:
    """Registering, and signing in with an SMS code: open to anybody. The one-time code decides who gets
    in, and only an applicant account is ever signed in this way (staff keep their password and second
    factor; docs/adr/0056)."""
    return True


def access_admin_site(user: Visitor) -> bool:
    """Django admin (configuration): administrators only."""
    return is_staff_user(user) and bool(roles_of(user) & (ADMIN_ROLES | {Role.DEPT_ADMIN}))


def access_admin_models(user: Visitor, allowed_roles: Iterable[str]) -> bool:
    """Whether the user's administrator role owns this group of admin models (三权分立)."""
    return is_staff_user(user) and bool(roles_of(user) & set(allowed_roles))


def access_role_manage(user: Visitor, target: Any) -> bool:
    """Granting and revoking staff roles: the security administrator's (the accounts are theirs, ADR 0002),
    never on their own account (nobody raises or lowers their own powers; docs/adr/0008)."""
    return bool(
        is_staff_user(user)
        and has_role(user, Role.SEC_ADMIN)
        and target is not None
        and getattr(target, "pk", None) != user.pk
    )


def access_password_reset_request(user: Visitor, target: Any) -> bool:
    """Open a password reset: the security administrator, for someone else's account (docs/adr/0011)."""
    return access_role_manage(user, target)


def access_password_reset_approve(user: Visitor, reset: Any) -> bool:
    """Approve a reset: an administrator (system or security) other than the one who requested it and
    other than the account's owner — the second of two people."""
    return bool(
        is_staff_user(user)
        and has_role(user, Role.SYS_ADMIN, Role.SEC_ADMIN)
        and reset is not None
        and user.pk not in (reset.requested_by_id, reset.user_id)
    )


def access_audit_log(user: Visitor) -> bool:
    return is_staff_user(user) and has_role(user, Role.AUDIT_ADMIN)


# --- Organisational scope -------------------------------------------------------------------


def access_office(user: Visitor, office: Any) -> bool:
    """Staff act only within their own office (reviewers, supervisors, department admins)."""
    if not is_staff_user(user) or office is None:
        return False
    if user.office_id is not None and user.office_id == office.pk:
        return True
    # A department administrator covers every office of the department.
    return bool(
        has_role(user, Role.DEPT_ADMIN) and user.department_id and office.department_id == user.department_id
    )


def access_hall(user: Visitor, hall: Any) -> bool:
    """Clerks and hall managers act only within their own hall; supervisors too when posted to a hall."""
    return bool(is_staff_user(user) and hall is not None and user.hall_id == hall.pk)


def access_community(user: Visitor, community: Any) -> bool:
    return bool(is_staff_user(user) and community is not None and user.community_id == community.pk)


# --- Applicants -----------------------------------------------------------------------------


def acting_person(user: Visitor) -> Any:
    if not is_applicant(user):
        return None
    return getattr(user, "person", None)


def enterprises_for(user: Visitor, on: date | None = None) -> Any:
    """Enterprises the applicant may act for today (legal representative or valid authorisation)."""
    person = acting_person(user)
    if person is None:
        return Enterprise.objects.none()
    on = on or timezone.localdate()
    return Enterprise.objects.filter(
        Q(agents__valid_until__isnull=True) | Q(agents__valid_until__gte=on),
        agents__person=person,
        agents__revoked=False,
        agents__valid_from__lte=on,
    ).distinct()


def access_party(user: Visitor, *, person: Any = None, enterprise: Any = None) -> bool:
    """An applicant may act for themselves and for enterprises they are authorised for."""
    me = acting_person(user)
    if me is None:
        return False
    if enterprise is not None:
        return bool(enterprises_for(user).filter(pk=enterprise.pk).exists())
    return person is not None and person.pk == me.pk


# --- Personal data -------------------------------------------------------------------------


def access_unmask(user: Visitor) -> bool:
    """Holds a role that may see full resident ID or mobile numbers at all (each unmasking is audited,
    and limited to the people in the user's own work: ``access_unmask_person``)."""
    return is_staff_user(user) and bool(roles_of(user) & UNMASK_ROLES)


# Whose identifiers a user may unmask: the people in the user's own work, as each context knows it
# (cases: a party of a case the user may read; halls: a person in the queue or booked at the user's
# hall). Contexts register their test when their app is ready; accounts imports none of them.
UnmaskScope: TypeAlias = "Callable[[User, Person], bool]"
_UNMASK_SCOPES: list[UnmaskScope] = []


def register_unmask_scope(scope: UnmaskScope) -> UnmaskScope:
    if scope not in _UNMASK_SCOPES:
        _UNMASK_SCOPES.append(scope)
    return scope


def access_unmask_person(user: Visitor, person: Person) -> bool:
    """May see this person's full identifiers: an unmasking role, and the person is in the user's work."""
    member = authenticated(user)
    return (
        member is not None
        and access_unmask(member)
        and any(scope(member, person) for scope in _UNMASK_SCOPES)
    )


def access_lookup_by_id(user: Visitor) -> bool:
    """Find a person by typing a full resident ID: only staff who register applicants (otherwise any
    staff member could turn an ID number into a name)."""
    return access_register_party(user)


def access_register_party(user: Visitor) -> bool:
    """Register applicants at the window (clerks) or in the community (grid workers)."""
    return is_staff_user(user) and has_role(user, Role.CLERK, Role.GRID_WORKER, Role.SUPERVISOR)


def access_view_party(user: Visitor) -> bool:
    """Look up registered applicants (masked): front- and back-office staff."""
    return is_staff_user(user) and has_role(
        user, Role.CLERK, Role.REVIEWER, Role.SUPERVISOR, Role.GRID_WORKER, Role.HALL_MANAGER
    )


# --- Enforcement -----------------------------------------------------------------------------


def ensure(allowed: bool, *, user: Visitor, action: str, obj: Any = None, **data: Any) -> None:
    """Raise PermissionDenied (after writing a ``denied`` audit event) unless ``allowed``."""
    if allowed:
        return
    audit_denied(actor=user, action=action, obj=obj, **data)
    raise PermissionDenied(action)
