"""Pages and API: the owner registers (a bad investment amount named in Chinese by default), fills a stage's
one form, the coordinator's board and project page with the Gantt table and the what-if; the API refuses
bad input with the project's error shape and never a 500."""

from __future__ import annotations

import base64
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.cases.models import Case
from yiwang.construction.models import Project

from .builders import PDF, register, setup


def test_register_on_the_portal_and_a_bad_amount(world: Any, client_for: Any) -> None:
    setup(world)
    c = client_for("agent")
    r = c.get("/construction/projects/")
    assert r.status_code == 200 and "登记项目" in r.content.decode()
    data = {
        "enterprise": world.enterprise.pk,
        "title": "坪地学校",
        "project_type": "gov_building",
        "nature": "new",
        "investment": "五千万",
        "location": "坪地街道",
    }
    r = c.post("/construction/projects/", data)
    assert r.status_code == 400 and "投资额必须是以元为单位的数字" in r.content.decode()
    assert not Project.objects.exists()
    r = c.post("/construction/projects/", {**data, "investment": "45,000,000", "nature": "renovation"})
    assert r.status_code == 302
    p = Project.objects.get()
    assert p.budget_days == 65
    page = c.get(r["Location"]).content.decode()
    assert "适用规则" in page and "免于办理" in page and 'id="stage-form-1"' in page
    assert 'id="stage-form-2"' not in page  # stage 2 opens after stage 1's gate


def test_the_stage_form_files_the_items(world: Any, client_for: Any) -> None:
    case = register(world)
    c = client_for("agent")
    form = {"contact": "李四", "contact_phone": "13900000000", "scale": "一万平方米", "version": case.version}
    r = c.post(f"/construction/projects/{case.pk}/stages/1/", form)
    assert r.status_code == 400 and Case.objects.filter(parent=case).count() == 0  # no dossier
    r = c.post(
        f"/construction/projects/{case.pk}/stages/1/",
        {**form, "dossier": SimpleUploadedFile("stage1.pdf", PDF, "application/pdf")},
    )
    assert r.status_code == 302
    assert Case.objects.filter(parent=case, kind="application").count() == 3
    page = c.get(r["Location"]).content.decode()
    assert "各事项已同时申报" in page


def test_the_coordinators_board_and_project_page(world: Any, client_for: Any) -> None:
    case = register(world, title="风险项目")
    Project.objects.filter(pk=case.pk).update(slack=-2)
    c = client_for("project_coordinator")
    board = c.get("/construction/board/").content.decode()
    assert "风险项目" in board and 'data-slack="-2"' in board
    page = c.get(f"/construction/board/{case.pk}/?item=works_planning&days=5").content.decode()
    assert 'id="gantt-table"' in page and "construction-gantt-data" in page
    assert 'id="what-if-answer"' in page
    assert c.get("/construction/figures/").status_code == 200


def test_api_register_submit_and_errors(world: Any, client_for: Any) -> None:
    setup(world)
    c = client_for("agent")
    body = {
        "enterprise": world.enterprise.pk,
        "title": "API 项目",
        "project_type": "gov_municipal",
        "nature": "new",
        "investment": "abc",
        "location": "龙岗",
    }
    r = c.post("/api/construction/projects", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422 and "investment" in r.json()["fields"]
    r = c.post(
        "/api/construction/projects", {**body, "investment": "30000000"}, content_type="application/json"
    )
    assert r.status_code == 201
    out = r.json()
    assert out["budget_days"] == 70 and [i["key"] for i in out["items"] if i["skipped"]] == ["feasibility"]
    stage = {
        "contact": "李四",
        "contact_phone": "139",
        "scale": "1 km",
        "dossier_base64": base64.b64encode(PDF).decode(),
    }
    r = c.post(f"/api/construction/projects/{out['id']}/stages/2", stage, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "gate_not_reached"
    r = c.post(f"/api/construction/projects/{out['id']}/stages/1", stage, content_type="application/json")
    assert r.status_code == 200
    assert all(i["application"] for i in r.json()["items"] if i["stage"] == 1 and not i["skipped"])
    r = c.get(f"/api/construction/projects/{out['id']}/what-if?item=works_planning&days=5")
    assert r.status_code == 200 and r.json()["length_then"] == 75


def test_api_plan_version_refuses_a_cycle_naming_the_items(world: Any, client_for: Any) -> None:
    setup(world)
    from yiwang.construction.defaults import DEFAULT_PLANS

    d = {**next(p for p in DEFAULT_PLANS if p["code"] == "social")["definition"]}
    d["items"] = [dict(i) for i in d["items"]]
    d["items"][0]["after"] = ["land_planning"]
    c = client_for("sys_admin")
    r = c.post(
        "/api/construction/plans/social/versions",
        {"definition": d},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 422
    assert "cycle" in r.json()["message"] and "filing" in r.json()["message"]
    d["items"][0]["after"] = []
    d["items"][2]["days"] = 20  # works planning 15 → 20: still fits? 5+10+20+10+10 = 55 > 50
    r = c.post("/api/construction/plans/social/versions", {"definition": d}, content_type="application/json")
    assert r.status_code == 422 and "works_planning" in str(r.json()["fields"])
    d["items"][2]["days"] = 15
    r = c.post(
        "/api/construction/plans/social/versions",
        {"definition": d, "note": "同上"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["version"] == 2
