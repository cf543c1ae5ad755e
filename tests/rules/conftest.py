from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages() -> Any:
    """The engine's explanations are asserted in English here."""
    with translation.override("en"):
        yield
