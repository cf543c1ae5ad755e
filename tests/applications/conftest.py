from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from .builders import make_item

if TYPE_CHECKING:
    from tests.factories import World


@pytest.fixture
def item(world: World) -> Any:
    return make_item(world)


@pytest.fixture
def clerk(world: World) -> Any:
    return world.users["clerk"]


@pytest.fixture
def reviewer(world: World) -> Any:
    return world.users["reviewer"]


@pytest.fixture
def supervisor(world: World) -> Any:
    return world.users["supervisor"]


@pytest.fixture(autouse=True)
def _english_messages() -> Any:
    """Service messages are asserted in English here; the API tests ask for each language explicitly."""
    from django.utils import translation

    with translation.override("en"):
        yield
