"""Per-client rate limit: a fixed window of one minute in Django's cache.

The counter lives in the configured cache: with the default per-process memory cache each worker
counts alone, so production must use a shared cache (Redis, Memcached) for the limit to hold.
"""

from __future__ import annotations

import math
import time

from django.core.cache import cache

WINDOW_SECONDS = 60


def hit(client_pk: int, limit: int, *, now: float | None = None) -> int | None:
    """Count one call; None when allowed, else the seconds to wait before the next window."""
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    key = f"operator-api:rate:{client_pk}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS + 5)
        count = 1
    if count <= limit:
        return None
    return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
