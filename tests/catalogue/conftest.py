from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache(request: pytest.FixtureRequest) -> Iterator[None]:
    """Synonyms and rendered guides are cached; each database test starts with an empty cache (the cache
    may itself live in the database, so tests without one leave it alone)."""
    uses_db = bool({"db", "transactional_db", "django_db_setup"} & set(request.fixturenames)) or bool(
        request.node.get_closest_marker("django_db")
    )
    if uses_db:
        request.getfixturevalue("db") if "transactional_db" not in request.fixturenames else None
        cache.clear()
    yield
    if uses_db:
        cache.clear()
