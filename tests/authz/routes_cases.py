from __future__ import annotations

from .registry import APPLICANTS, Route

ROUTES = [
    Route("API GET /api/cases/timeline", allow=APPLICANTS, must_succeed=APPLICANTS),
]
