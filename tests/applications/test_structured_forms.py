"""Structured application forms (申请表): declared per item version, checked before publication, rendered
online and at the window, prefilled from the applicant's records, checked answer by answer (messages name
the field and the row), required before submission and acceptance, shown to the reviewer masked."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import translation

from tests.factories import resident_id
from yiwang.applications import services as s
from yiwang.applications.answerforms import AnswersForm, check_json_answers
from yiwang.applications.models import Application
from yiwang.catalogue.formschema import check_form
from yiwang.catalogue.models import FormField
from yiwang.catalogue.selectors import item_published_version
from yiwang.catalogue.services import item_publish
from yiwang.core.errors import Conflict
from yiwang.core.masking import mask_id

from .builders import FORM, PDF, code_of, make_item

pytestmark = pytest.mark.django_db

SPOUSE = resident_id("19820304", 12)
GOOD = {
    "reason": "新办",
    "area": 120,
    "site": {"street": "440307006", "detail": "清林路1号"},
    "members": [{"member_name": "李四", "relation": "配偶"}],
}


def put(client: Any, url: str, body: Any) -> Any:
    return client.put(url, json.dumps(body), content_type="application/json")


def post(client: Any, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def form_item(world: Any) -> Any:
    return make_item(world, name="食品经营许可", form=FORM)


def _rows(item: Any) -> list[dict[str, Any]]:
    return item_published_version(item).form


# --- the form as data -----------------------------------------------------------------------------


def test_a_published_version_keeps_its_form_and_a_later_edit_does_not_change_it(form_item: Any) -> None:
    rows = _rows(form_item)
    assert [r["key"] for r in rows] == [f["key"] for f in FORM]
    assert rows[2]["choices"] == [
        {"value": "新办", "label": "新办", "label_en": "New"},
        {"value": "补办", "label": "补办", "label_en": "Replacement"},
    ]
    assert rows[3]["min_value"] == "1.00" and rows[3]["max_value"] == "10000.00"
    FormField.objects.filter(item=form_item, key="area").update(label="面积")
    assert _rows(form_item)[3]["label"] == "经营面积（平方米）"  # the published version is immutable
    version = item_publish(actor=None, item=form_item)
    assert version.form[3]["label"] == "面积"


def test_form_rules_name_the_field() -> None:
    def row(pos: int, key: str, **kw: Any) -> dict[str, Any]:
        return {
            "position": pos,
            "key": key,
            "label": kw.pop("label", key),
            "kind": kw.pop("kind", "text"),
            **kw,
        }

    with translation.override("en"):
        problems = [
            m
            for _p, m in check_form(
                [
                    row(1, "Name"),
                    row(2, "a", kind="choice", choices=[{"value": "x", "label": "x"}]),
                    row(3, "a"),
                    row(4, "b", group="nope"),
                    row(5, "c", kind="text", min_value="1"),
                    row(6, "d", kind="number", min_value="9", max_value="1"),
                    row(7, "e", kind="person", prefill="person.name"),
                    row(8, "g", kind="group"),
                    row(9, "f", kind="text", prefill="enterprise.name"),
                ],
                service_objects="1",
            )
        ]
    assert problems == [
        "Field “Name”: the key “Name” must be lower-case letters, digits and _, starting with a letter.",
        "Field “a”: the key “a” is used twice.",
        "Choice “a” needs at least two options.",
        "Field “b”: there is no repeatable group “nope”.",
        "Field “c”: only a number has a smallest or largest value.",
        "Field “d”: the smallest value is above the largest.",
        "Field “e”: it cannot be prefilled from “person.name”.",
        "Group “g” has no fields.",
        "Field “f”: the item does not serve legal persons, so nothing is prefilled from an enterprise.",
    ]
    assert check_form(_good_rows()) == []


def _good_rows() -> list[dict[str, Any]]:
    from yiwang.catalogue.formschema import parse_choices

    out = []
    for pos, f in enumerate(FORM, start=1):
        r = {"position": pos, "kind": "text", "required": True, "group": "", **f}
        r["choices"] = parse_choices(r.get("choices", "")) if r["kind"] == "choice" else []
        r["min_value"] = str(r["min_value"]) if "min_value" in r else None
        r["max_value"] = str(r["max_value"]) if "max_value" in r else None
        out.append(r)
    return out


def test_publishing_refuses_a_broken_form(world: Any) -> None:
    item = make_item(world)
    FormField.objects.create(item=item, position=1, key="x", label="选项", kind="choice", choices="只有一个")
    with translation.override("en"), pytest.raises(Conflict) as exc:
        item_publish(actor=None, item=item)
    assert "Choice “选项” needs at least two options." in str(exc.value)


# --- answers ----------------------------------------------------------------------------------------


def test_answers_are_checked_field_by_field_with_the_row_named(form_item: Any) -> None:
    rows = _rows(form_item)
    bad = {
        "area": 0,
        "site": {"street": "999", "detail": "x"},
        "contact": {"name": "李四", "id_number": "440307198203041234"},
        "members": [{"member_name": "李四", "relation": "配偶"}, {"member_name": "", "relation": "子女"}],
        "colour": "red",
    }
    with translation.override("en"):
        bound = check_json_answers(rows, bad, streets=[("440307006", "龙城街道")], require=False)
        assert not bound.is_valid()
        errors = bound.errors
    assert errors["answers-area"] == ("Floor area (m²): Ensure this value is greater than or equal to 1.00.")
    assert errors["answers-site__street"].startswith("Premises · street: Select a valid choice.")
    assert errors["answers-contact__id"].startswith("Emergency contact · ID number: ")
    assert errors["answers-members-1-member_name"] == "Family members, row 2, Name: This field is required."
    assert errors["answers-colour"] == "colour: this form has no such field."


def test_good_answers_become_the_stored_json(form_item: Any, world: Any) -> None:
    me = {"name": world.person.name, "id_number": world.person.id_number}
    given = {**me, **GOOD, "contact": {"name": "李四", "id_number": SPOUSE.lower()}, "opening": "2026-12-07"}
    bound = check_json_answers(_rows(form_item), given, streets=[("440307006", "龙城街道")], require=True)
    assert bound.is_valid(), bound.errors
    assert bound.answers() == {
        **me,
        "reason": "新办",
        "area": 120,
        "opening": "2026-12-07",
        "site": {"street": "440307006", "street_name": "龙城街道", "detail": "清林路1号"},
        "contact": {"name": "李四", "id_number": SPOUSE.upper()},
        "members": [{"member_name": "李四", "relation": "配偶"}],
    }
    # required answers may wait in a draft, but not in a form that requires them
    empty = {"answers-members-TOTAL_FORMS": "0", "answers-members-INITIAL_FORMS": "0"}
    assert AnswersForm(empty, form=_rows(form_item), require=False).is_valid()
    assert not AnswersForm(empty, form=_rows(form_item), require=True).is_valid()


def test_a_group_takes_no_more_rows_than_declared(form_item: Any) -> None:
    rows = [{"member_name": f"成员{n}", "relation": "子女"} for n in range(4)]
    with translation.override("en"):
        bound = check_json_answers(_rows(form_item), {"members": rows}, streets=[], require=False)
        assert not bound.is_valid()
        assert bound.errors["answers-members"] == "Family members: Please submit at most 3 forms."


# --- the online journey through the API ----------------------------------------------------------------


def test_online_form_prefilled_answered_and_required_before_submission(
    world: Any, form_item: Any, client_for: Any
) -> None:
    c = client_for("applicant")
    r = post(c, "/api/applications", {"item": form_item.code, "delivery_method": "electronic"})
    assert r.status_code == 201, r.content
    body = r.json()
    case_id = body["id"]
    assert [f["key"] for f in body["form"]] == [f["key"] for f in FORM]
    me = {"name": world.person.name, "id_number": world.person.id_number}
    assert Application.objects.get(pk=case_id).answers == me  # prefilled from the applicant's record
    assert body["answers"]["id_number"] == mask_id(world.person.id_number)  # and read back masked
    for pos in (1, 2):
        up = c.post(f"/api/applications/{case_id}/materials/{code_of(form_item, pos)}", {"file": _file()})
        assert up.status_code == 200, up.content

    r = post(c, f"/api/applications/{case_id}/actions/submit", {"expected_version": up.json()["version"]})
    assert r.status_code == 409
    assert r.json()["message"] == "申请表未填写完整：申请事由、经营面积（平方米）、经营场所、家庭成员。"

    r = put(c, f"/api/applications/{case_id}/answers", {"answers": {**GOOD, "area": "很大"}})
    assert r.status_code == 422
    assert r.json()["fields"]["answers-area"] == "经营面积（平方米）：请输入数字。"
    assert Application.objects.get(pk=case_id).answers == me  # nothing half-saved

    answers = {**body["answers"], **GOOD}  # the masked ID number sent back as read keeps the stored one
    r = put(c, f"/api/applications/{case_id}/answers", {"answers": answers})
    assert r.status_code == 200, r.content
    r = post(c, f"/api/applications/{case_id}/actions/submit", {"expected_version": r.json()["version"]})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "submitted"
    stored = Application.objects.get(pk=case_id).answers
    assert stored["site"]["street_name"] == "龙城街道" and stored["members"][0]["relation"] == "配偶"
    assert stored["id_number"] == world.person.id_number

    r = put(c, f"/api/applications/{case_id}/answers", {"answers": answers})
    assert r.status_code == 409 and r.json()["code"] == "answers_locked"


def _file() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("a.pdf", PDF)


# --- pages ------------------------------------------------------------------------------------------------


def test_the_draft_page_draws_the_prefilled_form_and_saves_answers(
    world: Any, form_item: Any, client_for: Any
) -> None:
    c = client_for("applicant")
    case = s.application_draft_create(actor=world.users["applicant"], item=form_item)
    page = c.get(f"/applications/mine/{case.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="answers-name"' in html and f'value="{world.person.name}"' in html
    assert f'value="{mask_id(world.person.id_number)}"' in html  # the ID number is shown masked
    assert 'name="answers-members-TOTAL_FORMS"' in html and "data-rows-template" in html
    data = {
        "action": "save",
        "answers-shown": "1",
        "answers-name": world.person.name,
        "answers-id_number": mask_id(world.person.id_number),
        "answers-reason": "补办",
        "answers-area": "35.5",
        "answers-site__street": "440307006",
        "answers-site__detail": "龙福路2号",
        "answers-members-TOTAL_FORMS": "2",
        "answers-members-INITIAL_FORMS": "0",
        "answers-members-0-member_name": "李小四",
        "answers-members-0-relation": "子女",
        "answers-members-1-member_name": "",
        "answers-members-1-relation": "",
    }
    r = c.post(f"/applications/mine/{case.pk}/", data)
    assert r.status_code == 302, r.content.decode()[:3000]
    app = Application.objects.get(pk=case.pk)
    assert app.answers["id_number"] == world.person.id_number  # kept, not replaced by the masked text
    assert app.answers["area"] == 35.5 and app.answers["members"] == [
        {"member_name": "李小四", "relation": "子女"}
    ]

    r = c.post(f"/applications/mine/{case.pk}/", {**data, "answers-area": "0"})
    assert r.status_code == 409
    assert "经营面积（平方米）：" in r.content.decode()
    assert Application.objects.get(pk=case.pk).answers["area"] == 35.5

    # a save from a page without the form (an older page) leaves the answers alone
    assert c.post(f"/applications/mine/{case.pk}/", {"action": "save"}).status_code == 302
    assert Application.objects.get(pk=case.pk).answers == app.answers


def test_the_window_fills_the_form_and_the_reviewer_sees_it(
    world: Any, form_item: Any, client_for: Any
) -> None:
    clerk = client_for("clerk")
    url = f"/applications/reception/?person={world.other_person.pk}&item={form_item.code}"
    page = clerk.get(url)
    assert 'name="answers-reason"' in page.content.decode()
    assert f'value="{world.other_person.name}"' in page.content.decode()  # prefilled from the registry
    r = clerk.post(
        url,
        {
            "provided": [code_of(form_item, 1), code_of(form_item, 2)],
            "delivery_method": "pickup",
            "answers-shown": "1",
            "answers-name": world.other_person.name,
            "answers-id_number": mask_id(world.other_person.id_number),
            "answers-reason": "新办",
            "answers-area": "80",
            "answers-site__street": "440307006",
            "answers-site__detail": "清林路1号",
            "answers-contact__name": "李四",
            "answers-contact__id": SPOUSE,
            "answers-members-TOTAL_FORMS": "1",
            "answers-members-INITIAL_FORMS": "0",
            "answers-members-0-member_name": "李四",
            "answers-members-0-relation": "配偶",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    case_id = int(r["Location"].rstrip("/").split("/")[-1])
    app = Application.objects.get(pk=case_id)
    assert app.answers["contact"] == {"name": "李四", "id_number": SPOUSE}
    html = clerk.get(f"/applications/case/{case_id}/").content.decode()
    assert "申请表" in html and "龙城街道清林路1号" in html
    assert SPOUSE not in html and f"李四（{SPOUSE[:3]}" in html  # the contact's ID number is masked


def test_acceptance_needs_the_required_answers(world: Any, form_item: Any) -> None:
    case = s.application_receive(actor=world.users["clerk"], item=form_item, person=world.other_person)
    case = s.application_draft_update(actor=world.users["clerk"], case_id=case.pk, uploads=[
        s.Upload(code=code_of(form_item, 1), data=PDF, name="a.pdf"),
        s.Upload(code=code_of(form_item, 2), data=PDF, name="b.pdf"),
    ])  # fmt: skip
    from yiwang.core.errors import ServiceError

    with translation.override("zh-hans"), pytest.raises(ServiceError) as exc:
        s.application_accept(actor=world.users["clerk"], case_id=case.pk, expected_version=case.version)
    assert "申请表未填写完整" in str(exc.value) and "家庭成员" in str(exc.value)


def test_the_front_office_completes_the_form_on_the_case_page_until_acceptance(
    world: Any, form_item: Any, client_for: Any
) -> None:
    case = s.application_receive(
        actor=world.users["clerk"],
        item=form_item,
        person=world.other_person,
        provided=[code_of(form_item, 1), code_of(form_item, 2)],
        answers={"reason": "补办"},
    )
    app = Application.objects.get(pk=case.pk)
    assert (
        app.answers["name"] == world.other_person.name and app.answers["reason"] == "补办"
    )  # prefill + answers
    url = f"/applications/case/{case.pk}/"
    clerk, reviewer = client_for("clerk"), client_for("reviewer")
    html = clerk.get(url).content.decode()
    assert 'id="answers-form"' in html and "<details open>" in html  # required answers are missing
    assert 'id="answers-form"' not in reviewer.get(url).content.decode()  # the back office reads, not edits
    base = {
        "action": "answers", "answers-shown": "1", "answers-name": world.other_person.name,
        "answers-id_number": mask_id(world.other_person.id_number), "answers-reason": "新办",
        "answers-site__street": "440307006", "answers-site__detail": "清林路1号",
        "answers-members-TOTAL_FORMS": "1", "answers-members-INITIAL_FORMS": "0",
        "answers-members-0-member_name": "李四", "answers-members-0-relation": "配偶",
    }  # fmt: skip
    r = clerk.post(url, {**base, "answers-area": "很大"})
    assert r.status_code == 409 and "经营面积（平方米）：请输入数字。" in r.content.decode()
    assert Application.objects.get(pk=case.pk).answers["reason"] == "补办"  # nothing saved
    r = clerk.post(url, {**base, "answers-area": "80"})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.answers["area"] == 80 and app.answers["id_number"] == world.other_person.id_number
    case = s.application_accept(actor=world.users["clerk"], case_id=case.pk)
    assert 'id="answers-form"' not in clerk.get(url).content.decode()  # accepted: the form is locked
    r = clerk.post(url, {**base, "answers-area": "90"})
    assert r.status_code == 409 and "申请表" in r.content.decode()
    assert Application.objects.get(pk=case.pk).answers["area"] == 80
