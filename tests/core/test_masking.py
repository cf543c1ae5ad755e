from __future__ import annotations

import logging
from typing import Any

import pytest

from yiwang.core.masking import MaskPiiLogFilter, mask_id, mask_mobile, mask_text
from yiwang.core.testing import find_leaks


def test_rules_masking_examples() -> None:
    assert mask_id("11010519491231002X") == "110***********002X"
    assert mask_mobile("13812341234") == "138****1234"
    assert mask_id("") == "" and mask_mobile(None) == ""


def test_mask_text_masks_every_identifier_and_nothing_else() -> None:
    text = "申请人 11010519491231002X 电话13812341234，案号 LG1901-2026-000123，金额 12345678901234567890"
    assert mask_text(text) == (
        "申请人 110***********002X 电话138****1234，案号 LG1901-2026-000123，金额 12345678901234567890"
    )


def test_log_filter_masks_log_lines(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("yiwang.test.masking")
    handler = logging.Handler()
    records: list[str] = []
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    handler.addFilter(MaskPiiLogFilter())
    logger.addHandler(handler)
    try:
        logger.warning("person %s mobile %s", "440524188001010014", "13900001111")
    finally:
        logger.removeHandler(handler)
    assert records == ["person 440***********0014 mobile 139****1111"]


def test_find_leaks_is_what_the_suite_wide_scan_uses() -> None:
    assert find_leaks('{"id_number": "110***********002X", "mobile": "138****1234"}') == []
    assert find_leaks('{"id_number": "11010519491231002X"}') == ["11010519491231002X"]
    assert find_leaks("call 13812341234 now") == ["13812341234"]


@pytest.mark.django_db
def test_api_masks_for_viewers_and_reveal_is_audited(world, client_for) -> None:  # type: ignore[no-untyped-def]
    from yiwang.audit.models import AuditEvent

    person = world.other_person
    r = client_for("hall_manager").get(f"/api/people/{person.pk}")
    assert r.status_code == 200
    assert r.json()["id_number"] == person.masked_id
    assert r.json()["mobile"] == person.masked_mobile
    r = client_for("hall_manager").post(
        f"/api/people/{person.pk}/reveal", {"field": "id_number"}, content_type="application/json"
    )
    assert r.status_code == 403
    r = client_for("clerk").post(
        f"/api/people/{person.pk}/reveal", {"field": "id_number"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json() == {"field": "id_number", "value": person.id_number}
    assert r.headers["X-Pii-Unmasked"] == "1"
    assert list(AuditEvent.objects.filter(action="pii.reveal").values_list("outcome", "actor_label")) == [
        ("denied", "t_hallmgr"),
        ("success", "t_clerk"),
    ]


@pytest.mark.django_db
def test_account_page_shows_masked_identifiers(world, client_for) -> None:  # type: ignore[no-untyped-def]
    body = client_for("applicant").get("/account/").content.decode()
    assert world.person.masked_id in body
    assert world.person.id_number not in body


def test_an_expected_refusal_is_logged_as_information_not_a_warning() -> None:
    import logging

    from yiwang.core.masking import ExpectedClientErrorLogFilter

    def record(status: int) -> logging.LogRecord:
        r = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Conflict: /api/x", None, None)
        r.status_code = status
        return r

    f = ExpectedClientErrorLogFilter()
    full, stale, forbidden = record(409), record(422), record(403)
    assert f.filter(full) and f.filter(stale) and f.filter(forbidden)
    assert (full.levelno, stale.levelno, forbidden.levelno) == (logging.INFO, logging.INFO, logging.WARNING)


@pytest.mark.django_db
def test_a_refused_page_is_logged_as_one_line_without_a_traceback(world: Any, client_for: Any) -> None:
    """Through the real logging configuration: a 403 page writes one warning line and no traceback."""
    import io
    import logging

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("django.request")
    for f in logger.filters:
        handler.addFilter(f)
    logger.addHandler(handler)
    try:
        assert client_for("applicant").get("/workbench/").status_code == 403
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("WARNING django.request Forbidden"), lines
