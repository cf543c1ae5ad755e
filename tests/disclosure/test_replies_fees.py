"""Each reply type with its required content and its 答复书; non-disclosure approved by the head of the
office; "not government information" forwarded to the hotline; the fee schedule and the fee notice."""

from __future__ import annotations

import subprocess
from datetime import date
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import PermissionDenied

from tests.hotline.builders import setup as hotline_setup
from yiwang.cases.models import Case
from yiwang.core.errors import Conflict, ServiceError
from yiwang.disclosure import services as s
from yiwang.disclosure.vocabulary import REPLY_TYPES, fee_for

from .builders import file, travel

if TYPE_CHECKING:
    from pathlib import Path

    from tests.factories import World

CONTENT = {
    "already_public": {"where": "区政府门户网站“财政预决算”栏目"},
    "disclosed": {"how": "随本答复书提供电子文档"},
    "partly_disclosed": {"how": "提供预算总表", "withheld": "供应商报价明细", "ground": "third_party"},
    "not_disclosed": {"ground": "internal"},
    "does_not_exist": {},
    "not_this_office": {"right_office": "区住房和建设局"},
    "repeated": {"earlier": "GK2019000001"},
    "not_government_information": {},
}


@pytest.mark.parametrize("code", sorted(REPLY_TYPES))
def test_each_reply_type_requires_its_content_and_gives_a_reply_pdf(world: World, code: str) -> None:
    hotline_setup(world)
    reviewer, head = world.users["reviewer"], world.users["supervisor"]
    case = file(world, (2019, 9, 2))
    t = REPLY_TYPES[code]
    if t.required:
        with travel(2019, 9, 10), pytest.raises(ServiceError) as err:
            s.reply_send(actor=reviewer, case_id=case.pk, data=s.ReplyInput(code, {}))
        assert t.required[0] in err.value.fields
        assert Case.objects.get(pk=case.pk).status == "received"  # nothing half-saved
    with travel(2019, 9, 10):
        case = s.reply_send(actor=reviewer, case_id=case.pk, data=s.ReplyInput(code, CONTENT[code]))
        if t.needs_approval:
            assert case.status == "review" and not case.notices.filter(kind="reply").exists()
            with pytest.raises(PermissionDenied):
                s.reply_approve(actor=reviewer, case_id=case.pk, approve=True)
            case = s.reply_approve(actor=head, case_id=case.pk, approve=True)
    assert case.status == "replied" and case.timeliness == "early"
    req = case.disclosure
    assert req.reply_type == code and req.replied_on == date(2019, 9, 10)
    notice = case.notices.get(kind="reply")
    assert notice.file.read()[:5] == b"%PDF-"
    if code == "not_government_information":
        ticket = req.forwarded_to
        assert ticket is not None and ticket.kind == "hotline" and req.reply["ticket"] == ticket.number


def test_the_reply_pdf_embeds_its_font_and_names_office_basis_and_remedies(
    world: World, tmp_path: Path
) -> None:
    case = file(world, (2019, 9, 2))
    with travel(2019, 9, 10):
        case = s.reply_send(
            actor=world.users["reviewer"],
            case_id=case.pk,
            data=s.ReplyInput("disclosed", CONTENT["disclosed"]),
        )
    path = tmp_path / "reply.pdf"
    path.write_bytes(case.notices.get(kind="reply").file.read())
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "yes" in fonts.splitlines()[-1].split()[-4:-1] or " yes " in fonts
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    compact = "".join(text.split())
    assert world.office.name in compact and "第三十六条" in compact
    assert "60" in compact and "6" in compact and "复议" in compact and "诉讼" in compact


def test_returned_non_disclosure_goes_back_to_the_office(world: World) -> None:
    case = file(world, (2019, 9, 2))
    with travel(2019, 9, 10):
        s.reply_send(
            actor=world.users["reviewer"],
            case_id=case.pk,
            data=s.ReplyInput("not_disclosed", {"ground": "internal"}),
        )
        with pytest.raises(ServiceError):
            s.reply_approve(actor=world.users["supervisor"], case_id=case.pk, approve=False)
        case = s.reply_approve(
            actor=world.users["supervisor"], case_id=case.pk, approve=False, reason="理由不足"
        )
    assert case.status == "received"


def test_a_ground_outside_the_list_is_refused(world: World) -> None:
    case = file(world, (2019, 9, 2))
    with travel(2019, 9, 10), pytest.raises(ServiceError) as err:
        s.reply_send(
            actor=world.users["reviewer"],
            case_id=case.pk,
            data=s.ReplyInput("not_disclosed", {"ground": "dislike"}),
        )
    assert "ground" in err.value.fields


@pytest.mark.parametrize(
    ("n", "yuan"), [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (51, 400)]
)
def test_fee_schedule(n: int, yuan: int) -> None:
    assert fee_for(n) == yuan


def test_the_eleventh_request_of_a_month_pays_and_its_clock_waits_for_payment(world: World) -> None:
    reviewer = world.users["reviewer"]
    cases = [file(world, (2019, 9, 2)) for _ in range(11)]
    other_month = file(world, (2019, 10, 8))
    reqs = [c.disclosure for c in cases]
    assert [r.month_ordinal for r in reqs] == list(range(1, 12))
    assert [r.fee_yuan for r in reqs] == [0] * 10 + [100]
    assert other_month.disclosure.month_ordinal == 1 and other_month.disclosure.fee_yuan == 0
    with travel(2019, 9, 3), pytest.raises(Conflict, match="free"):
        s.fee_notice(actor=reviewer, case_id=cases[9].pk)
    eleventh = cases[10]
    assert eleventh.due_date == date(2019, 9, 30)
    with travel(2019, 9, 3), pytest.raises(ServiceError) as err:
        s.fee_notice(actor=reviewer, case_id=eleventh.pk, month="2019-10")
    assert "month" in err.value.fields
    with travel(2019, 9, 3):
        case = s.fee_notice(actor=reviewer, case_id=eleventh.pk, month="2019-09")
    assert case.status == "fee_due" and case.notices.get(kind="fee").data["yuan"] == 100
    with travel(2019, 9, 6):
        case = s.fee_paid(actor=reviewer, case_id=eleventh.pk)
    # paused (3, 6 Sep]: 4, 5, 6 = 3 working days not counted → 30 Sep + 3 = 10 Oct (1–7 Oct holiday)
    assert case.status == "received" and case.disclosure.fee_paid_on == date(2019, 9, 6)
    assert case.due_date == date(2019, 10, 10)


def test_a_bulk_requester_is_flagged_above_30_a_month(world: World, settings: object) -> None:
    settings.DISCLOSURE = {"bulk_warning_per_month": 2}  # type: ignore[attr-defined]
    flags = [file(world, (2019, 9, 2)).disclosure.bulk_warning for _ in range(3)]
    assert flags == [False, False, True]
