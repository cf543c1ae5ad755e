from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _english_messages() -> Any:
    """Service messages are asserted in English here (the 答复书 is always issued in Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield
