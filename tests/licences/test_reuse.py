"""Licences reused as application materials: at the window and online, the version recorded, the check at
acceptance (a revoked licence refused, nothing saved), an upload instead, and the figures."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from django.urls import reverse

from tests.applications.builders import PDF, code_of, make_item
from yiwang.applications import services as apps
from yiwang.applications.models import ApplicationMaterial
from yiwang.audit.models import AuditEvent
from yiwang.core.errors import Conflict, ServiceError
from yiwang.licences import selectors, services
from yiwang.licences.models import Issuance, Licence, LicenceVersion, MaterialUse

from .helpers import approved_case, licence_type

if TYPE_CHECKING:
    from yiwang.cases.models import Case

pytestmark = pytest.mark.django_db
FIELDS = {"scope": "预包装食品销售", "address": "龙城街道1号"}


@pytest.fixture
def held(world: Any) -> Licence:
    """The applicant holds a food-business licence."""
    ltype = licence_type(world)
    case = approved_case(world, ltype)
    return services.licence_issue(
        actor=world.users["reviewer"], issuance_id=Issuance.objects.get(case=case).pk, fields=FIELDS
    )


@pytest.fixture
def item(world: Any, held: Licence) -> Any:
    """A later item that asks for that licence, obtained from the e-licence register."""
    return make_item(
        world,
        name="食品经营许可变更",
        materials=[
            {"name": "申请书", "kind": "required"},
            {
                "name": "食品经营许可证",
                "kind": "required",
                "source": "elicence",
                "source_note": held.type.code,
            },
            {"name": "健康证明", "kind": "required", "source": "elicence", "source_note": "其他平台证照"},
        ],
    )


def _receive(world: Any, item: Any) -> Case:
    return apps.application_receive(
        actor=world.users["clerk"], item=item, person=world.person, provided=[code_of(item, 1)]
    )


def _version(licence: Licence) -> LicenceVersion:
    return LicenceVersion.objects.get(licence=licence, version=licence.version)


def test_the_licence_material_is_asked_and_offered(world: Any, item: Any, held: Licence) -> None:
    case = _receive(world, item)
    codes = list(case.application.materials.values_list("code", "state"))
    # the material our register can supply is a row; another register's licence is still never asked
    assert codes == [(code_of(item, 1), "provided"), (code_of(item, 2), "missing")]
    offers = apps.licence_offers(case, case.application)
    assert [(o["code"], [v.pk for v in o["versions"]], o["used"]) for o in offers] == [
        (code_of(item, 2), [_version(held).pk], None)
    ]
    with pytest.raises(Conflict, match="食品经营许可证"):
        apps.application_accept(actor=world.users["clerk"], case_id=case.pk)


def test_at_the_window_the_licence_replaces_the_upload(world: Any, item: Any, held: Licence) -> None:
    case = _receive(world, item)
    apps.application_use_licence(
        actor=world.users["clerk"],
        case_id=case.pk,
        material_code=code_of(item, 2),
        licence_version_id=_version(held).pk,
    )
    use = MaterialUse.objects.get(case=case)
    assert use.licence_version == _version(held) and use.channel == "window"
    m = ApplicationMaterial.objects.get(application=case.application, code=code_of(item, 2))
    assert m.state == "provided"
    assert AuditEvent.objects.filter(action="application.use_licence", object_id=str(case.pk)).count() == 1
    case = apps.application_accept(actor=world.users["clerk"], case_id=case.pk)
    assert case.status == "accepted"
    use.refresh_from_db()
    assert use.check_ok is True and use.checked_at is not None
    assert selectors.reuse_figures() == {"materials": 1, "trips": 1}


def test_a_licence_revoked_before_acceptance_is_refused_with_a_clear_message(
    world: Any, item: Any, held: Licence
) -> None:
    case = _receive(world, item)
    apps.application_use_licence(
        actor=world.users["clerk"],
        case_id=case.pk,
        material_code=code_of(item, 2),
        licence_version_id=_version(held).pk,
    )
    services.licence_status_change(
        actor=world.users["supervisor"], licence_id=held.pk, event="revoke", reason="违法"
    )
    with pytest.raises(Conflict) as err:
        apps.application_accept(actor=world.users["clerk"], case_id=case.pk)
    assert "Cannot accept" in str(err.value) and _version(held).identifier in str(err.value)
    assert "Revoked" in str(err.value)
    case.refresh_from_db()
    assert case.status == "received" and case.accepted_on is None
    assert MaterialUse.objects.get(case=case).check_ok is None  # nothing half-saved
    # the applicant brings the paper instead: the upload replaces the licence
    apps.application_draft_update(
        actor=world.users["clerk"],
        case_id=case.pk,
        uploads=[apps.Upload(code=code_of(item, 2), data=PDF, name="a.pdf")],
    )
    assert not MaterialUse.objects.filter(case=case).exists()
    assert apps.application_accept(actor=world.users["clerk"], case_id=case.pk).status == "accepted"


def test_a_revoked_licence_cannot_be_offered(world: Any, item: Any, held: Licence) -> None:
    services.licence_status_change(
        actor=world.users["supervisor"], licence_id=held.pk, event="revoke", reason="违法"
    )
    case = _receive(world, item)
    assert apps.licence_offers(case, case.application)[0]["versions"] == []
    with pytest.raises(Conflict, match="cannot be used"):
        apps.application_use_licence(
            actor=world.users["clerk"],
            case_id=case.pk,
            material_code=code_of(item, 2),
            licence_version_id=_version(held).pk,
        )
    assert not MaterialUse.objects.exists()


def test_somebody_elses_licence_or_another_material_is_refused(world: Any, item: Any, held: Licence) -> None:
    case = apps.application_receive(
        actor=world.users["clerk"], item=item, person=world.other_person, provided=[code_of(item, 1)]
    )
    with pytest.raises(ServiceError, match="not a licence of the applicant"):
        apps.application_use_licence(
            actor=world.users["clerk"],
            case_id=case.pk,
            material_code=code_of(item, 2),
            licence_version_id=_version(held).pk,
        )
    with pytest.raises(ServiceError, match="cannot be supplied by a licence"):
        apps.application_use_licence(
            actor=world.users["clerk"],
            case_id=case.pk,
            material_code=code_of(item, 1),
            licence_version_id=_version(held).pk,
        )


def test_online_the_applicant_uses_the_licence_on_the_form(
    client_for: Any, world: Any, item: Any, held: Licence
) -> None:
    c = client_for("applicant")
    case = apps.application_draft_create(actor=world.users["applicant"], item=item)
    r = c.get(reverse("applications:detail", args=[case.pk]))
    html = r.content.decode()
    assert 'id="licence-offers"' in html and _version(held).identifier in html
    r = c.post(
        reverse("applications:detail", args=[case.pk]),
        {"action": "use_licence", "material": code_of(item, 2), "licence": str(_version(held).pk)},
    )
    assert r.status_code == 302
    assert MaterialUse.objects.get(case=case).channel == "online"
    # the API does the same (idempotent for the same material)
    r = c.post(
        f"/api/applications/{case.pk}/licence-materials",
        json.dumps({"material": code_of(item, 2), "licence_version_id": _version(held).pk}),
        content_type="application/json",
    )
    assert r.status_code == 200 and MaterialUse.objects.filter(case=case).count() == 1


def test_figures_page_counts_materials_and_trips_saved(
    client_for: Any, world: Any, item: Any, held: Licence
) -> None:
    case = _receive(world, item)
    apps.application_use_licence(
        actor=world.users["clerk"],
        case_id=case.pk,
        material_code=code_of(item, 2),
        licence_version_id=_version(held).pk,
    )
    r = client_for("supervisor").get(reverse("applications:figures"))
    html = r.content.decode()
    assert 'id="licence-reuse"' in html
    assert "<strong>1</strong>" in html.split('id="licence-reuse"')[1].split("</div>\n</div>")[0]


def test_at_the_window_the_case_page_offers_the_licence(
    client_for: Any, world: Any, item: Any, held: Licence
) -> None:
    case = _receive(world, item)
    c = client_for("clerk")
    html = c.get(reverse("applications:case", args=[case.pk])).content.decode()
    assert 'id="licence-offers"' in html and f'id="use-{code_of(item, 2)}"' in html
    r = c.post(
        reverse("applications:case", args=[case.pk]),
        {"action": "use_licence", "material": code_of(item, 2), "licence": str(_version(held).pk)},
    )
    assert r.status_code == 302 and MaterialUse.objects.get(case=case).channel == "window"
    html = c.get(reverse("applications:case", args=[case.pk])).content.decode()
    assert f'id="used-{code_of(item, 2)}"' in html
    r = c.post(
        reverse("applications:case", args=[case.pk]),
        {"action": "use_licence", "material": code_of(item, 2), "licence": "999999"},
    )
    assert (
        r.status_code == 409 and "not a licence of the applicant" in r.content.decode().lower()
    ) or r.status_code == 409


def test_the_reception_screen_offers_the_licence_before_the_case_exists(
    client_for: Any, world: Any, item: Any, held: Licence
) -> None:
    """At the window, the reception screen itself offers the applicant's current licence for the material
    it can supply; receiving with it records the licence version used, in the same transaction."""
    c = client_for("clerk")
    url = f"/applications/reception/?person={world.person.pk}&item={item.code}"
    html = c.get(url).content.decode()
    field = f'name="licence_{code_of(item, 2)}"'
    assert field in html and _version(held).identifier in html
    assert f'name="licence_{code_of(item, 3)}"' not in html  # another platform's licence: not ours to offer
    r = c.post(url, {"provided": [code_of(item, 1)], f"licence_{code_of(item, 2)}": str(_version(held).pk)})
    assert r.status_code == 302
    use = MaterialUse.objects.get()
    assert use.licence_version == _version(held) and use.channel == "window"
    assert ApplicationMaterial.objects.get(code=code_of(item, 2)).state == "provided"


def test_a_forged_licence_choice_on_the_reception_screen_saves_nothing(
    client_for: Any, world: Any, item: Any, held: Licence
) -> None:
    from yiwang.cases.models import Case

    url = f"/applications/reception/?person={world.person.pk}&item={item.code}"
    r = client_for("clerk").post(
        url, {"provided": [code_of(item, 1)], f"licence_{code_of(item, 2)}": "999999"}
    )
    assert r.status_code in (400, 422)
    assert not Case.objects.filter(kind="application", application__item=item).exists()
