from __future__ import annotations

from typing import Any

import pytest

from .helpers import make_item, setup_hall


@pytest.fixture
def hallset(world: Any) -> Any:
    """``world.hall`` configured with queues A (default) and B, items ITEM-A (→A) and ITEM-B (→B)
    handled by district halls; ``world.other_hall`` (a street hall) configured the same way but it
    handles neither item."""
    cats = setup_hall(world.hall)
    other = setup_hall(world.other_hall)
    make_item(world, "ITEM-A", name="营业执照设立登记", name_en="Business licence")
    make_item(world, "ITEM-B", name="食品经营许可", name_en="Food business licence")
    make_item(world, "ITEM-S", name="街道事项", name_en="Street item", district=False, street=True)
    world.extra.update(cat_a=cats[0], cat_b=cats[1], other_cats=other)
    return world
