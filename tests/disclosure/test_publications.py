"""双公示: an approved licence is published automatically (within 7 working days, from the kernel's
post-commit event) with a natural person's ID masked and no address; penalties from the register;
public search, export and withdrawal; the annual report's figures."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest

from tests.applications.builders import code_of, make_item
from yiwang.applications import services as apps
from yiwang.core.errors import ServiceError
from yiwang.disclosure import publications as p
from yiwang.disclosure import selectors as sel
from yiwang.disclosure import services as s
from yiwang.disclosure.models import Publication

from .builders import file, travel

if TYPE_CHECKING:
    from tests.factories import World


def _approve(world: World, item: Any, capture: Any) -> Any:
    clerk, reviewer = world.users["clerk"], world.users["reviewer"]
    with capture(execute=True):
        case = apps.application_receive(
            actor=clerk, item=item, person=world.other_person, provided=[code_of(item, 1), code_of(item, 2)]
        )
    with capture(execute=True):
        apps.application_accept(actor=clerk, case_id=case.pk)
    with capture(execute=True):
        apps.application_start_review(actor=reviewer, case_id=case.pk)
    with capture(execute=True) as done:
        case = apps.application_approve(actor=reviewer, case_id=case.pk)
    assert done  # the post-commit events ran
    return case


def test_an_approved_licence_is_published_automatically_and_masked(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    item = make_item(world)
    with travel(2019, 9, 27):
        case = _approve(world, item, django_capture_on_commit_callbacks)
    pub = Publication.objects.get(source_key=f"licence:{case.pk}")
    assert pub.kind == "licence" and pub.party_name == world.other_person.name
    assert pub.published_on == date(2019, 9, 27) and pub.published_on <= pub.publish_by
    # 7 working days after 27 Sep: Sun 29, 30, 8–11 Oct, Sat 12 = 7
    assert pub.publish_by == date(2019, 10, 12)
    full_id = world.other_person.id_number
    assert full_id not in pub.id_masked and pub.id_masked[:3] == full_id[:3] and "*" in pub.id_masked
    values = " ".join(str(getattr(pub, f.attname)) for f in Publication._meta.fields)
    assert full_id not in values and (world.other_person.address or "no address") not in values
    assert pub.credit_code == ""
    # publishing again (a replayed event) adds nothing
    assert (
        p.publication_publish(
            actor=None,
            data=p.PublicationInput(
                kind="licence",
                source_key=pub.source_key,
                decision_number="x",
                title="x",
                party_kind="natural",
                party_name="x",
                office=world.office,
                decided_on=date(2019, 9, 27),
            ),
        ).pk
        == pub.pk
    )


def _penalty(world: World, n: int, **kw: Any) -> Any:
    data = {
        "number": f"深龙市监罚〔2019〕{n}号",
        "party_kind": "legal",
        "party_name": "示范科技有限公司",
        "credit_code": world.enterprise.credit_code,
        "facts": "未按规定公示年度报告",
        "basis": "《企业信息公示暂行条例》第十八条",
        "penalty": "警告，罚款5000元",
        "decided_on": date(2019, 6, 3),
        "amount_yuan": Decimal(5000),
    }
    data.update(kw)
    return p.penalty_record(actor=world.users["reviewer"], office=world.office, data=p.PenaltyInput(**data))


def test_penalties_are_published_searchable_exported_and_withdrawn_on_revocation(world: World) -> None:
    with travel(2019, 6, 4):
        first = _penalty(world, 1)
        _penalty(
            world, 2, party_kind="natural", party_name="王五", credit_code="", id_number="440524188001010014"
        )
    q = sel.PublicationQuery
    with travel(2019, 7, 1):
        assert sel.publications_search(q(name="示范")).count() == 1
        assert sel.publications_search(q(credit_code=world.enterprise.credit_code)).count() == 1
        assert sel.publications_search(q(office=world.office.code, kind="penalty")).count() == 2
        assert sel.publications_search(q(date_from=date(2019, 6, 4))).count() == 0
        text = sel.publications_csv(sel.publications_search(q()))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [c[1] for c in sel.EXPORT_COLUMNS] and len(rows) == 3
    assert "440524188001010014" not in text
    assert sel.publications_xlsx(sel.publications_search(q()))[:2] == b"PK"
    with travel(2019, 7, 2):
        p.penalty_revoke(actor=world.users["reviewer"], penalty_id=first.pk, reason="复议撤销")
        assert sel.publications_search(q(name="示范")).count() == 0
    # the publication period (3 years) ends: the entry leaves public view
    with travel(2022, 6, 4):
        assert p.publications_expire() == 1
        assert sel.publications_search(q()).count() == 0


def test_a_penalty_without_its_facts_or_code_is_refused(world: World) -> None:
    for kw, name in (({"facts": ""}, "facts"), ({"credit_code": "123"}, "credit_code")):
        with pytest.raises(ServiceError) as err:
            _penalty(world, 9, **kw)
        assert name in err.value.fields
    assert Publication.objects.count() == 0


def test_annual_figures_count_requests_by_reply_type_and_publications(world: World) -> None:
    reviewer = world.users["reviewer"]
    a = file(world, (2019, 12, 30))
    b = file(world, (2019, 9, 2))
    with travel(2019, 9, 10):
        s.reply_send(actor=reviewer, case_id=b.pk, data=s.ReplyInput("does_not_exist"))
    with travel(2019, 6, 4):
        _penalty(world, 1)
    f = sel.annual_figures(2019)
    assert f["received"] == 2 and f["by_reply_type"] == {"does_not_exist": 1} and f["carried_out"] == 1
    assert f["penalties"] == 1 and f["licences"] == 0
    assert sel.annual_figures(2020)["carried_in"] == 1 and a.pk
