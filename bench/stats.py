"""Latency and throughput arithmetic for the benchmark (pure functions, unit tested)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], p: float) -> float:
    """
    The ``p``-th percentile (0–100) with linear interpolation between the closest
    ranks (numpy's default), so the 50th of an even count is the mean of the two
    middle values. Raises ValueError for no values or ``p`` out of range.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} is not within 0–100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(latencies_ms: Sequence[float], wall_seconds: float) -> dict:
    """Count, median and 95th percentile latency (ms) and throughput (requests/s)."""
    if not latencies_ms:
        return {"requests": 0, "median_ms": None, "p95_ms": None, "rps": 0.0}
    return {
        "requests": len(latencies_ms),
        "median_ms": round(percentile(latencies_ms, 50), 2),
        "p95_ms": round(percentile(latencies_ms, 95), 2),
        "rps": round(len(latencies_ms) / wall_seconds, 1) if wall_seconds > 0 else None,
    }


def ratio(value: float | None, floor: float | None) -> float | None:
    """``value`` as a multiple of ``floor`` (None when either is missing or the floor is 0)."""
    if value is None or not floor:
        return None
    return round(value / floor, 2)
