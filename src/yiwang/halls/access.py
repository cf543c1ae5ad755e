"""Access functions of halls (see yiwang.accounts.access for the conventions)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from yiwang.accounts.access import access_hall, acting_person, has_role, is_applicant
from yiwang.accounts.roles import Role

from .models import Appointment, Ticket

if TYPE_CHECKING:
    from yiwang.accounts.access import Visitor
    from yiwang.accounts.models import Person, User


def access_book(user: Visitor) -> bool:
    """Book, cancel and reschedule appointments: an applicant with a registered person record."""
    return is_applicant(user) and acting_person(user) is not None


def access_appointment(user: Visitor, appointment: Any) -> bool:
    """An appointment is seen and changed only by the person who booked it."""
    me = acting_person(user)
    return me is not None and appointment is not None and appointment.person_id == me.pk


def access_hall_desk(user: Visitor, hall: Any) -> bool:
    """Staff of the hall who run its kiosk and check people in: clerks and the hall manager."""
    return access_hall(user, hall) and has_role(user, Role.CLERK, Role.HALL_MANAGER)


def access_take_number(user: Visitor, hall: Any) -> bool:
    """Take a number or check in: an applicant on their phone, or the hall's own kiosk (its staff)."""
    return access_book(user) or access_hall_desk(user, hall)


def access_kiosk(user: Visitor, hall: Any) -> bool:
    """The hall's public kiosk page and display board: anyone, signed in or not (a touch screen in the hall,
    a walk-in's phone); how many numbers one requester takes is the kiosk service's limit."""
    return hall is not None


def access_console(user: Visitor) -> bool:
    """The window console: clerks posted to a hall."""
    return bool(has_role(user, Role.CLERK) and getattr(user, "hall_id", None))


def access_window(user: Visitor, window: Any) -> bool:
    """Operate one window: a clerk of the window's own hall."""
    return window is not None and access_console(user) and access_hall(user, window.hall)


def access_hall_manage(user: Visitor, hall: Any = None) -> bool:
    """Set-up and figures of a hall: its hall manager (``hall`` None: of their own hall)."""
    if not has_role(user, Role.HALL_MANAGER) or not getattr(user, "hall_id", None):
        return False
    return hall is None or access_hall(user, hall)


def access_ticket(user: Visitor, ticket: Any) -> bool:
    """A ticket page by id (not by its secret link): its holder, or the staff of its hall."""
    if ticket is None:
        return False
    me = acting_person(user)
    if me is not None and ticket.person_id == me.pk:
        return True
    return access_hall_desk(user, ticket.hall)


def person_in_own_queue(user: User, person: Person) -> bool:
    """Unmasking scope: the person holds today's ticket or a coming booking at the staff member's hall."""
    if user.hall_id is None:
        return False
    today = timezone.localdate()
    return (
        Ticket.objects.filter(hall_id=user.hall_id, person=person, date=today).exists()
        or Appointment.objects.filter(
            hall_id=user.hall_id, person=person, date__gte=today, status=Appointment.Status.BOOKED
        ).exists()
    )
