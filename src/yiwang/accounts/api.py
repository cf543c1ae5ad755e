from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from yiwang.accounts.access import signed_in
from yiwang.core.errors import NotFound
from yiwang.web.api import AUTH, ERRORS, WRITE_ERRORS, Id

from . import selectors, services
from .access import access_view_party, access_workbench, ensure, roles_of
from .schemas import (
    DepartmentOut,
    EnterpriseIn,
    EnterpriseOut,
    HallOut,
    MeOut,
    PersonIn,
    PersonOut,
    RevealIn,
    RevealOut,
    StreetOut,
)

router = Router(tags=["organisations and people"])


@router.get("/org/departments", response={200: list[DepartmentOut], **ERRORS}, auth=None)
def list_departments(
    request: HttpRequest,
    kind: Literal["government", "utility", "stationed"] | None = Query(
        None,
        description="only organisations of this kind: government departments, public-service "
        "utilities, or other organisations stationed in the halls",
    ),
) -> Any:
    """The organisations whose items are in the catalogue: the district's government departments, the
    public-service utilities and the other organisations stationed in its halls (public)."""
    return list(selectors.departments_list(kind=kind))


@router.get("/org/streets", response={200: list[StreetOut], **ERRORS}, auth=None)
def list_streets(request: HttpRequest) -> Any:
    """Streets with their coordinates and number of communities (public)."""
    return [
        {
            "id": s.pk,
            "code": s.code,
            "name": s.name,
            "name_en": s.name_en,
            "lat": s.lat,
            "lng": s.lng,
            "communities": s.n_communities,  # type: ignore[attr-defined]
        }
        for s in selectors.streets_list()
    ]


@router.get("/org/halls", response={200: list[HallOut], **ERRORS}, auth=None)
def list_halls(
    request: HttpRequest,
    kind: Literal["district", "street", "community", "park"] | None = Query(
        None, description="only halls of this kind"
    ),
) -> Any:
    """Service halls (district hall, street halls, community stations, park platforms) (public)."""
    return [
        {
            "id": h.pk,
            "code": h.code,
            "name": h.name,
            "name_en": h.name_en,
            "kind": h.kind,
            "street": h.street.name if h.street else None,
            "address": h.address,
            "lat": h.lat,
            "lng": h.lng,
            "phone": h.phone,
            "opening_hours": h.opening_hours,
            "windows": h.n_windows,  # type: ignore[attr-defined]
        }
        for h in selectors.halls_list(kind=kind)
    ]


@router.get("/me", response={200: MeOut, **ERRORS}, auth=AUTH)
def me(request: HttpRequest) -> Any:
    """The signed-in user (mobile masked)."""
    u: Any = request.user
    return {
        "username": u.username,
        "full_name": u.full_name,
        "kind": u.kind,
        "roles": sorted(roles_of(u)),
        "mobile": u.masked_mobile,
        "office": str(u.office) if u.office else None,
        "hall": str(u.hall) if u.hall else None,
    }


@router.post("/people", response={201: PersonOut, **WRITE_ERRORS}, auth=AUTH)
def register_person(request: HttpRequest, payload: PersonIn) -> Any:
    """Register a natural-person applicant (window clerks, grid workers). Resident ID is validated."""
    person = services.person_register(actor=signed_in(request), **payload.dict())
    return 201, selectors.person_public(person)


@router.get("/people/{person_id}", response={200: PersonOut, **ERRORS}, auth=AUTH)
def get_person(request: HttpRequest, person_id: Id) -> Any:
    """A registered person, with ID and mobile masked."""
    ensure(access_view_party(request.user), user=request.user, action="person.view")
    person = selectors.person_get(person_id)
    if person is None:
        raise NotFound()
    return selectors.person_public(person)


@router.post("/people/{person_id}/reveal", response={200: RevealOut, **WRITE_ERRORS}, auth=AUTH)
def reveal_person_field(
    request: HttpRequest, person_id: Id, payload: RevealIn, response: HttpResponse
) -> Any:
    """Show one full identifier of a person in the caller's own cases or queue, for a stated purpose; needs
    the unmask permission and writes an audit event."""
    ensure(access_workbench(request.user), user=request.user, action="pii.reveal")
    person = selectors.person_get(person_id)
    if person is None:
        raise NotFound()
    value = services.pii_reveal(
        actor=signed_in(request), person=person, field=payload.field, purpose=payload.purpose
    )
    response.headers["X-Pii-Unmasked"] = "1"
    return {"field": payload.field, "value": value}


@router.post("/enterprises", response={201: EnterpriseOut, **WRITE_ERRORS}, auth=AUTH)
def register_enterprise(request: HttpRequest, payload: EnterpriseIn) -> Any:
    """Register an enterprise applicant. The unified social credit code is validated."""
    ent = services.enterprise_register(actor=signed_in(request), **payload.dict())
    return 201, ent
