"""Screening: exactly the residents the rules say, for each benefit, as visit tasks of their community;
single-subject explanations agree with the batch; grid workers act only in their community; an applied
visit files a real application with the grid worker as agent."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from yiwang.audit.models import AuditEvent
from yiwang.cases.models import CaseParty
from yiwang.core.errors import ServiceError
from yiwang.outreach import services as s
from yiwang.outreach.facts import PROVIDER
from yiwang.outreach.models import Visit
from yiwang.rules import selectors as rules
from yiwang.rules.facts import years_cutoff

from .builders import outreach_settings, resident

if TYPE_CHECKING:
    from datetime import date

pytestmark = pytest.mark.django_db


def _years_ago(n: int, days: int = 0) -> date:
    """n years before the day the test runs (not the day it was collected: runs cross midnight), plus days."""
    d = years_cutoff(timezone.localdate(), n)
    return d.fromordinal(d.toordinal() + days)


@pytest.fixture
def people(world):
    with outreach_settings(world), translation.override("en"):
        p = {
            "card_65": resident(world, _years_ago(65)),  # 65 today: card
            "almost_65": resident(world, _years_ago(65, days=1)),  # 65 tomorrow: nothing
            "old_85": resident(world, _years_ago(85), community=world.other_community),  # card + allowance
            "holder_70": resident(world, _years_ago(70), holds=("senior_card",)),
            "other_hukou": resident(world, _years_ago(81), hukou="440303"),  # allowance (Shenzhen) only
            "outsider": resident(world, _years_ago(90), hukou="110105"),
            "deceased": resident(world, _years_ago(88), status="deceased"),
            "young": resident(world, _years_ago(30)),
        }
        yield p


def _listed(benefit: str) -> set[int]:
    return set(Visit.objects.filter(benefit=benefit).values_list("resident_id", flat=True))


def test_screening_lists_exactly_the_eligible(world, people) -> None:
    sc = s.screening_run(actor=world.users["supervisor"], purpose="试点筛查")
    assert _listed("senior_card") == {people["card_65"].pk, people["old_85"].pk}
    assert _listed("old_age_allowance") == {people["old_85"].pk, people["other_hukou"].pk}
    assert sc.figures["senior_card"]["screened"] == 8
    assert sc.figures["senior_card"]["eligible"] == 2
    v = Visit.objects.get(resident=people["old_85"], benefit="senior_card")
    assert v.community_id == world.other_community.pk and v.outcome == "pending"
    assert AuditEvent.objects.filter(action="outreach.screening", data__purpose="试点筛查").count() == 1
    # Single-subject explanations agree with the batch on every resident.
    for code, version in s.rules_ensure().items():
        for r in people.values():
            out = rules.explain_subject(version, r.pk, as_of=timezone.localdate())
            assert out is not None
            # listed_* is now true for those just listed: explain as of before the run by ignoring that fact
            eligible_before = all(c.state == "met" for c in out.conditions if c.id != "not_listed")
            assert eligible_before == (r.pk in _listed(code)), (code, r.name, [c.why for c in out.conditions])
    # A second screening does not list anyone twice.
    s.screening_run(actor=world.users["supervisor"], purpose="复查")
    assert Visit.objects.count() == 4


def test_screening_outside_the_pilot_is_refused(world, people) -> None:
    with pytest.raises(ServiceError) as e:
        s.screening_run(actor=world.users["supervisor"], purpose="x", streets=["440307999"])
    assert "pilot" in str(e.value.message)
    assert Visit.objects.count() == 0


def test_grid_worker_files_the_application_as_agent(world, people) -> None:
    s.screening_run(actor=world.users["supervisor"], purpose="试点筛查")
    grid = world.users["grid_worker"]
    visit = Visit.objects.get(resident=people["card_65"], benefit="senior_card")
    done = s.visit_record(actor=grid, visit_id=visit.pk, outcome="applied", note="已代办")
    assert done.case is not None and done.case.status == "received"
    parties = {p.role: p for p in CaseParty.objects.filter(case=done.case)}
    assert parties["applicant"].person.name == people["card_65"].name
    assert parties["agent"].name == grid.full_name
    # The open application now excludes the resident from the card's rule set.
    version = s.rules_ensure()["senior_card"]
    facts = rules.subject_facts("resident", people["card_65"].pk, as_of=timezone.localdate())
    assert facts["applying_senior_card"] is True
    assert (
        rules.explain_subject(version, people["card_65"].pk, as_of=timezone.localdate()).state
        == "not_eligible"
    )


def test_grid_worker_outside_their_community_is_refused(world, people) -> None:
    s.screening_run(actor=world.users["supervisor"], purpose="试点筛查")
    other = Visit.objects.get(resident=people["old_85"], benefit="senior_card")  # other community
    with pytest.raises(PermissionDenied):
        s.visit_record(actor=world.users["grid_worker"], visit_id=other.pk, outcome="declined")
    assert Visit.objects.get(pk=other.pk).outcome == "pending"


def test_provider_declares_every_fact() -> None:
    assert {
        "age",
        "hukou",
        "street_code",
        "community_code",
        "holds_senior_card",
        "applying_old_age_allowance",
    } <= set(PROVIDER.facts)


def test_import_reports_every_bad_row_and_saves_nothing(world) -> None:
    good = s.ResidentRow(2, "张一", "11010519491231002X", world.community.code, "440307")
    rows = [
        good,
        s.ResidentRow(3, "", "11010519491231002X", world.community.code, "440307"),
        s.ResidentRow(4, "李二", "123", "999", "44"),
    ]
    with translation.override("en"), pytest.raises(ServiceError) as e:
        s.residents_import(actor=world.users["dept_admin"], rows=rows)
    report = e.value.fields["rows"].splitlines()
    assert report[0] == "line 3: name is empty; resident ID 110***********002X appears twice"
    assert report[1].startswith("line 4: resident ID")
    assert "unknown community code 999" in report[1] and "6-digit" in report[1]
    from yiwang.outreach.models import Resident

    assert Resident.objects.count() == 0
    assert s.residents_import(actor=world.users["dept_admin"], rows=[good]) == 1
