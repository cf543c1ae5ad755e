"""The project follows its item applications: every transition of an application that is part of a
construction project reaches ``services.project_item_sync`` after it commits (``cases.events``)."""

from __future__ import annotations

from yiwang.cases.events import CaseTransitioned, subscribe

from .services import project_item_sync


@subscribe(kind="application")
def item_application_moved(event: CaseTransitioned) -> None:
    project_item_sync(child_id=event.case_id, action=event.action, status=event.to_status)
