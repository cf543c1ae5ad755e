from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Synonyms and rendered guides are cached; each test starts with an empty cache."""
    cache.clear()
    yield
    cache.clear()
