"""The scoring formula on a hand-computed example, its validation, the staff view's limits, the index and the
third-party import."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import Workbook

from tests.factories import make_staff
from tests.feedback.builders import decided
from yiwang.accounts.roles import Role
from yiwang.analytics import scoring, selectors, services
from yiwang.analytics.models import ScoringFormula, ThirdPartyScore
from yiwang.core.errors import ServiceError
from yiwang.feedback import services as fs


def test_score_on_a_hand_computed_example() -> None:
    c = scoring.Counts(
        decided=20,
        in_time=18,
        reviews=10,
        not_bad=8,
        rect_due=2,
        rect_on_time=1,
        refusal_requests=4,
        overturned=1,
        received=50,
        online=20,
    )
    parts = scoring.components(c)
    assert parts == {
        "timeliness": 90.0,
        "satisfaction": 80.0,
        "rectification": 50.0,
        "refusals": 75.0,
        "online": 40.0,
    }
    # 0.3×90 + 0.3×80 + 0.15×50 + 0.1×75 + 0.15×40 = 27 + 24 + 7.5 + 7.5 + 6 = 72
    assert scoring.score(parts, scoring.DEFAULT_WEIGHTS) == 72.0


def test_a_component_with_nothing_to_measure_is_left_out() -> None:
    parts = {
        "timeliness": 90.0,
        "satisfaction": None,
        "rectification": 100.0,
        "refusals": None,
        "online": 40.0,
    }
    # (0.3×90 + 0.15×100 + 0.15×40) / 0.6 = (27 + 15 + 6) / 0.6 = 80
    assert scoring.score(parts, scoring.DEFAULT_WEIGHTS) == 80.0
    assert scoring.components(scoring.Counts())["rectification"] == 100.0


@pytest.mark.parametrize(
    ("weights", "field"),
    [
        (
            {"timeliness": 0.5, "satisfaction": 0.3, "rectification": 0.1, "refusals": 0.1, "online": 0.1},
            "weights",
        ),
        ({"timeliness": 1.0}, "online"),
        ({**scoring.DEFAULT_WEIGHTS, "speed": 0.0}, "speed"),
        ({**scoring.DEFAULT_WEIGHTS, "online": -0.15, "timeliness": 0.6}, "online"),
    ],
)
@pytest.mark.django_db
def test_weights_must_be_known_and_sum_to_1(world: Any, weights: dict[str, float], field: str) -> None:
    with pytest.raises(ServiceError) as err:
        services.formula_publish(actor=world.users["service_supervisor"], weights=weights)
    assert field in err.value.fields
    assert not ScoringFormula.objects.exists()


@pytest.mark.django_db
def test_a_published_formula_is_versioned_and_used(world: Any) -> None:
    w = {"timeliness": 0.2, "satisfaction": 0.2, "rectification": 0.2, "refusals": 0.2, "online": 0.2}
    row = services.formula_publish(actor=world.users["service_supervisor"], weights=w, note="均衡")
    assert row.version == 1 and selectors.formula() == (1, w)
    assert services.formula_publish(actor=world.users["service_supervisor"], weights=w).version == 2
    with pytest.raises(PermissionDenied):
        services.formula_publish(actor=world.users["supervisor"], weights=w)


@pytest.mark.django_db
def test_a_clerk_sees_only_their_own_scores_a_supervisor_the_office(world: Any) -> None:
    colleague = make_staff("t_clerk_b", [Role.CLERK], hall=world.hall)
    clerk = world.users["clerk"]
    assert [p.pk for p in selectors.staff_visible(clerk)] == [clerk.pk]
    assert colleague in selectors.staff_visible(world.users["hall_manager"])
    office = selectors.staff_visible(world.users["supervisor"])
    assert world.users["reviewer"] in office and clerk not in office


@pytest.mark.django_db
def test_the_ranking_and_the_index_count_the_months_reviews(world: Any) -> None:
    for level in (5, 1):
        fs.review_give(
            actor=world.users["applicant"],
            service="application.result",
            subject_id=decided(world).pk,
            data=fs.ReviewInput(level=level),
            channel="portal",
        )
    month = timezone.localdate().replace(day=1)
    r = selectors.department_ranking(month)
    row = next(x for x in r["rows"] if x["key"] == world.dept.pk)
    assert row["components"]["satisfaction"] == 50.0 and row["components"]["timeliness"] == 100.0
    assert row["rank"] == 1 and row["score"] is not None
    ix = selectors.service_index([month])
    assert ix["district"][0]["components"]["satisfaction"] == 50.0


def _xlsx(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    wb.active.append(["month", "hall", "dimension", "score", "surveyor"])
    for r in rows:
        wb.active.append(r)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.django_db
def test_the_third_party_import_refuses_a_file_with_bad_rows_whole(world: Any) -> None:
    actor = world.users["service_supervisor"]
    bad = _xlsx(
        [["2026-11", "H0001", "环境", 90], ["2026-11", "NOPE", "环境", 80], ["11/2026", "H0001", "效率", 120]]
    )
    with pytest.raises(ServiceError) as err:
        services.thirdparty_import(actor=actor, data=bad)
    assert "Row 3" in err.value.message and "Row 4" in err.value.message
    assert not ThirdPartyScore.objects.exists()
    with pytest.raises(ServiceError):
        services.thirdparty_import(actor=actor, data=b"not a workbook")
    n = services.thirdparty_import(
        actor=actor, data=_xlsx([["2026-11", "H0001", "环境", 90], ["2026-11", "H0001", "效率", 80]])
    )
    assert n == 2
    from datetime import date

    rows = selectors.thirdparty(date(2026, 11, 1))
    assert rows[0]["scores"] == {"环境": 90.0, "效率": 80.0} and rows[0]["survey_avg"] == 85.0
