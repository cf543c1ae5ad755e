"""Every history line reads as words in the reader's language: a transition's label, the kind's own word
for its other lines, or the kernel's; never a raw action code (``draft_create``, ``callback``)."""

from __future__ import annotations

import pytest
from django.utils import translation

import yiwang.config.urls  # noqa: F401 - every context's workflow is registered
from yiwang.cases import workflow


@pytest.mark.parametrize("wf", workflow.workflows(), ids=lambda w: w.kind)
def test_every_transition_of_every_kind_has_a_label_in_both_languages(wf: workflow.Workflow) -> None:
    for name in wf.transitions:
        zh = wf.event_label(name)
        with translation.override("en"):
            en = wf.event_label(name)
        assert zh != name and en != name, f"{wf.kind}.{name} has no label"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), f"{wf.kind}.{name}: no Chinese label ({zh})"


def test_the_kinds_own_words_and_the_kernels() -> None:
    assert workflow.event_label("application", "draft_create") != "draft_create"
    assert workflow.event_label("disclosure", "create") != workflow.event_label("application", "create")
    with translation.override("en"):
        assert workflow.event_label("application", "draft_create") == "Draft started"
        assert workflow.event_label("disclosure", "create") == "Request filed"
        assert workflow.event_label("rectification", "create") == "Created"
        assert workflow.event_label("rectification", "callback") == "Record the callback"
        assert workflow.event_label("no such kind", "attachment_add") == "File added"
        assert workflow.event_label("application", "no_such_action") == "no_such_action"
