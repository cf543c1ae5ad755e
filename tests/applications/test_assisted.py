"""Assisted service (帮办代办): a clerk or a grid worker applies on a resident's behalf, with their consent."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import make_person, make_staff
from yiwang.accounts.roles import Role
from yiwang.applications import selectors
from yiwang.applications import services as s
from yiwang.applications.models import AssistConsent
from yiwang.audit.models import AuditEvent
from yiwang.cases.access import access_case_act, access_case_view
from yiwang.cases.models import Case, CaseEvent, CaseParty
from yiwang.core.errors import ServiceError
from yiwang.notifications.models import Notification

from .builders import PDF, code_of, make_item

pytestmark = pytest.mark.django_db


def _today() -> Any:
    return timezone.localdate()


def _in_person() -> s.Consent:
    return s.Consent(method="in_person", given_on=_today())


@pytest.fixture
def resident(world: Any) -> Any:
    """The world's applicant (with an account), registered in the grid worker's community."""
    world.person.community = world.community
    world.person.save()
    return world.person


def _assist(world: Any, item: Any, person: Any, actor: str = "grid_worker", **kw: Any) -> Case:
    kw.setdefault("consent", _in_person())
    kw.setdefault("return_hall", world.hall)
    return s.application_assist(actor=world.users[actor], person=person, item=item, **kw)


@pytest.mark.parametrize(
    ("method", "offset", "field"),
    [
        (None, None, "consent_method"),
        ("", None, "consent_method"),
        ("nod", None, "consent_method"),
        ("in_person", None, "consent_date"),
        ("paper", 0, "consent_file"),
        ("phone", 0, "consent_callback"),
        ("letter", 1, "consent_date"),
        ("letter", -31, "consent_date"),
    ],
)
def test_consent_is_required_and_named(
    world: Any, item: Any, resident: Any, method: str | None, offset: int | None, field: str
) -> None:
    # The day is taken when the test runs, not when it is collected (a run may cross midnight in Beijing).
    given = None if offset is None else timezone.localdate() + timedelta(days=offset)
    consent = None if method is None else s.Consent(method=method, given_on=given)
    with pytest.raises(ServiceError) as exc:
        _assist(world, item, resident, consent=consent)
    assert field in exc.value.fields
    assert not Case.objects.exists()  # nothing half-saved


def test_grid_worker_assists_a_resident_of_their_community(world: Any, item: Any, resident: Any) -> None:
    grid = world.users["grid_worker"]
    case = _assist(
        world,
        item,
        resident,
        provided=[code_of(item, 1)],
        uploads=[s.Upload(code_of(item, 2), PDF, "执照.pdf")],
    )
    assert case.status == "received" and case.number
    assert case.applicant_person == resident and case.agent is None
    assistant = CaseParty.objects.get(case=case, role="assistant")
    assert assistant.staff == grid and assistant.person is None
    consent = AssistConsent.objects.get(application_id=case.pk)
    assert (consent.method, consent.given_on, consent.staff_role) == ("in_person", _today(), "grid_worker")
    app = case.application
    assert app.receiving_hall is None and case.owning_office == item.office
    assert app.materials.filter(state="provided").count() == 2
    assert case.clock is not None and case.due_date is not None  # the acceptance clock runs
    # The timeline and the audit say who assisted whom (the resident masked).
    event = CaseEvent.objects.get(case=case, action="assist")
    assert event.data["staff"] == grid.full_name and event.data["resident"] == str(resident)
    assert resident.id_number not in str(event.data)
    audit = AuditEvent.objects.get(action="application.assist", object_id=str(case.pk))
    assert audit.data["summary"] == f"代办 by {grid.full_name} for {resident}"
    assert resident.masked_id in audit.data["summary"]
    on_case = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk))
    assert list(on_case.values_list("action", flat=True)) == ["application.assist"]  # one per service call
    labels = [str(r["label"]) for r in selectors.event_rows(case, public_only=False)]
    assert f"Assisted application (代办) by {grid.full_name} for {resident}" in labels
    public = [str(r["label"]) for r in selectors.event_rows(case, public_only=True)]
    assert "Applied on the applicant's behalf (帮办代办)" in public and grid.full_name not in str(public)
    # The resident is told, not the grid worker.
    notes = Notification.objects.filter(subject__isnull=False)
    assert notes.filter(recipient=resident.user).exists()
    assert not notes.filter(recipient=grid).exists()


def test_grid_worker_outside_their_community_is_refused(world: Any, item: Any) -> None:
    stranger = make_person("外社区居民", community=world.other_community)
    with pytest.raises(PermissionDenied):
        _assist(world, item, stranger)
    unregistered = make_person("无社区居民")
    with pytest.raises(PermissionDenied):
        _assist(world, item, unregistered)
    assert not Case.objects.exists()
    assert AuditEvent.objects.filter(action="application.assist", outcome="denied").count() == 2


def test_clerk_assists_any_resident_at_their_hall(world: Any, item: Any) -> None:
    stranger = make_person("外社区居民", community=world.other_community)
    case = _assist(
        world,
        item,
        stranger,
        actor="clerk",
        return_hall=None,
        consent=s.Consent(method="paper", given_on=_today(), file_data=PDF, file_name="同意书.pdf"),
    )
    app = case.application
    assert app.receiving_hall == world.hall and app.return_hall == world.hall
    assert case.channel == "window"
    consent = AssistConsent.objects.get(application_id=case.pk)
    assert consent.staff_role == "clerk" and consent.attachment is not None
    assert consent.attachment.slot == "consent" and consent.attachment.file_type == "pdf"
    assert CaseParty.objects.get(case=case, role="assistant").staff == world.users["clerk"]


def test_other_roles_cannot_assist(world: Any, item: Any, resident: Any) -> None:
    for role in ("reviewer", "supervisor", "hall_manager", "applicant"):
        with pytest.raises(PermissionDenied):
            _assist(world, item, resident, actor=role)


def test_the_item_must_be_for_persons(world: Any, resident: Any) -> None:
    ent_only = make_item(world, name="企业事项")
    ent_only.service_objects = "2"
    ent_only.save()
    with pytest.raises(ServiceError) as exc:
        _assist(world, ent_only, resident)
    assert exc.value.code == "not_for_persons"


def test_grid_worker_sees_only_the_cases_they_assisted(world: Any, item: Any, resident: Any) -> None:
    grid = world.users["grid_worker"]
    mine = _assist(world, item, resident)
    other = s.application_receive(actor=world.users["clerk"], item=item, person=resident)
    colleague = make_staff("t_grid2", [Role.GRID_WORKER], community=world.community)
    assert access_case_view(grid, mine) and not access_case_view(grid, other)
    assert not access_case_view(colleague, mine)
    assert list(selectors.assisted_by(grid)) == [mine]
    assert list(selectors.assisted_by(colleague)) == []
    # Reads, answers a correction for the resident; accepts nothing.
    assert access_case_act(grid, mine, "assistant")
    assert not access_case_act(grid, mine, "clerk") and not access_case_act(grid, mine, "reviewer")


def test_resident_sees_it_in_their_portal_record(
    world: Any, item: Any, resident: Any, client_for: Any
) -> None:
    case = _assist(world, item, resident)
    c = client_for("applicant")
    mine = c.get("/applications/mine/").content.decode()
    assert case.number in mine and "由网格员" in mine and world.users["grid_worker"].full_name in mine
    detail = c.get(f"/applications/mine/{case.pk}/")
    assert detail.status_code == 200
    assert 'id="assisted-by"' in detail.content.decode()


# --- pages --------------------------------------------------------------------------------------


def test_assist_page_find_choose_consent_submit(
    world: Any, item: Any, resident: Any, client_for: Any
) -> None:
    c = client_for("grid_worker")
    assert c.get("/applications/assist/").status_code == 200
    r = c.post("/applications/assist/", {"step": "find", "id_number": resident.id_number})
    assert r.status_code == 302 and r["Location"].endswith(f"?person={resident.pk}")
    page = c.get(f"/applications/assist/?person={resident.pk}&item={item.code}").content.decode()
    assert resident.masked_id in page and 'id="assist-form"' in page
    url = f"/applications/assist/?person={resident.pk}&item={item.code}"
    refused = c.post(url, {"step": "apply", "delivery_method": "pickup", "return_hall": world.hall.pk})
    assert refused.status_code == 400 and not Case.objects.exists()
    r = c.post(
        url,
        {
            "step": "apply",
            "consent_method": "paper",
            "consent_date": _today().isoformat(),
            "consent_file": SimpleUploadedFile("同意书.pdf", PDF),
            "provided": [code_of(item, 1), code_of(item, 2)],
            "delivery_method": "pickup",
            "return_hall": world.hall.pk,
        },
    )
    assert r.status_code == 302, r.content.decode()[:800]
    case = Case.objects.get()
    assert r["Location"] == f"/applications/case/{case.pk}/"
    staff_page = c.get(r["Location"]).content.decode()
    assert 'id="assisted-by"' in staff_page
    listing = c.get("/applications/assisted/").content.decode()
    assert case.number in listing and resident.masked_id in listing


def test_assist_page_refuses_a_resident_of_another_community(world: Any, client_for: Any) -> None:
    stranger = make_person("外社区居民", community=world.other_community)
    c = client_for("grid_worker")
    r = c.post("/applications/assist/", {"step": "find", "id_number": stranger.id_number})
    assert r.status_code == 400 and "社区" in r.content.decode()
    assert c.get(f"/applications/assist/?person={stranger.pk}").status_code == 404
    bad = c.post("/applications/assist/", {"step": "find", "id_number": "123"})
    assert bad.status_code == 400


def test_assist_page_in_english(world: Any, item: Any, resident: Any, client_for: Any) -> None:
    c = client_for("clerk")
    page = c.get(f"/applications/assist/?person={resident.pk}&item={item.code}", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "How the resident consented" in html and "Submit on the resident's behalf" in html


# --- API ----------------------------------------------------------------------------------------


def test_api_assist(world: Any, item: Any, resident: Any, client_for: Any) -> None:
    c = client_for("grid_worker")
    body = {
        "id_number": resident.id_number,
        "item": item.code,
        "consent_method": "letter",
        "consent_date": _today().isoformat(),
        "consent_file": base64.b64encode(PDF).decode(),
        "consent_file_name": "委托书.pdf",
        "return_hall_id": world.hall.pk,
    }
    missing = c.post(
        "/api/applications/assisted", {**body, "consent_method": ""}, content_type="application/json"
    )
    assert missing.status_code == 422 and "consent_method" in missing.json()["fields"]
    r = c.post("/api/applications/assisted", body, content_type="application/json")
    assert r.status_code == 201, r.content
    out = r.json()
    assert {"role": "assistant", "name": world.users["grid_worker"].full_name, "kind": "staff"} in out[
        "parties"
    ]
    assert resident.id_number not in r.content.decode()
    stranger = make_person("外社区居民", community=world.other_community)
    refused = c.post(
        "/api/applications/assisted",
        {**body, "id_number": stranger.id_number},
        content_type="application/json",
    )
    assert refused.status_code == 403
