"""The decade timeline as bars for a server-rendered SVG (the template draws them)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 600
HEIGHT = 60
MAX_BARS = 60


@dataclass(frozen=True)
class Bar:
    decade: int
    count: int
    x: float
    width: float
    height: float


def timeline_bars(timeline: list[tuple[str, int]]) -> list[Bar]:
    """Bars in decade order, scaled to the largest count; sparse decades keep their place."""
    points = sorted((int(d), c) for d, c in timeline)
    if not points:
        return []
    if len(points) > MAX_BARS:
        # Keep the busiest decades so the chart stays readable.
        points = sorted(sorted(points, key=lambda p: -p[1])[:MAX_BARS])
    top = max(c for _, c in points)
    slot = WIDTH / len(points)
    return [Bar(d, c, i * slot, max(slot - 2, 1), max(2.0, HEIGHT * c / top))
            for i, (d, c) in enumerate(points)]
