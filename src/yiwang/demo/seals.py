"""Electronic seal images for the demo district's offices: a red ring with the organ's name along its top,
a five-pointed star, and the seal's purpose across the bottom (行政审批专用章), as a transparent PNG. A real
bureau uploads the seal images its certified e-seal system issues (docs/adr/0059); these only stand in."""

from __future__ import annotations

import io
import math
from functools import lru_cache
from typing import Any

from yiwang.core.pdf import font_path

SIZE = 600
RED = (200, 30, 30, 235)


@lru_cache(maxsize=64)  # the demo is loaded more than once in a test run: draw each seal once
def seal_png(organ: str, purpose: str = "行政审批专用章") -> bytes | None:
    """The seal as PNG bytes, or None when no Chinese font file is installed to draw it with."""
    from PIL import Image, ImageDraw, ImageFont

    path = font_path()
    if path is None:
        return None
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre, radius = SIZE / 2, SIZE / 2 - 12
    draw.ellipse((12, 12, SIZE - 12, SIZE - 12), outline=RED, width=16)
    _star(draw, centre, centre, 78)
    name_font = ImageFont.truetype(path, 64 if len(organ) <= 12 else 52, index=0)
    _arc_text(image, organ, name_font, centre, radius - 72)
    small = ImageFont.truetype(path, 46, index=0)
    width = draw.textlength(purpose, font=small)
    draw.text(
        (centre - width / 2, centre + 105), purpose, font=small, fill=RED, stroke_width=1, stroke_fill=RED
    )
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def _star(draw: Any, cx: float, cy: float, r: float) -> None:
    points = []
    for i in range(10):
        angle = -math.pi / 2 + i * math.pi / 5
        radius = r if i % 2 == 0 else r * 0.38
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=RED)


def _arc_text(image: Any, text: str, font: Any, centre: float, radius: float) -> None:
    """Each character upright along the top arc, from left to right over at most 220°."""
    from PIL import Image, ImageDraw

    span = min(220.0, 24.0 * len(text))
    start = -90 - span / 2
    step = span / max(len(text) - 1, 1)
    for i, ch in enumerate(text):
        angle = math.radians(start + i * step)
        tile = Image.new("RGBA", (90, 90), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text(
            (45, 45), ch, font=font, fill=RED, anchor="mm", stroke_width=2, stroke_fill=RED
        )
        tile = tile.rotate(-(math.degrees(angle) + 90), resample=Image.Resampling.BICUBIC)
        x = centre + radius * math.cos(angle) - 45
        y = centre + radius * math.sin(angle) - 45
        image.paste(tile, (int(x), int(y)), tile)
