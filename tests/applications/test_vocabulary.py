"""The application's statuses read as the application's statuses, whatever other contexts translate the
same English word to (catalogue items are 已停用 when withdrawn; an application is 已撤回)."""

from __future__ import annotations

from django.utils import translation

from yiwang.applications.workflow import WORKFLOW


def test_statuses_carry_their_own_context() -> None:
    with translation.override("zh-hans"):
        assert WORKFLOW.status_label("withdrawn") == "已撤回"
        assert WORKFLOW.status_label("closed") == "已办结"
        assert WORKFLOW.status_label("delivered") == "已送达"
    with translation.override("en"):
        assert WORKFLOW.status_label("withdrawn") == "Withdrawn"
