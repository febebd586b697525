"""Fixed-window counters in the shared cache: how many times a key was hit in its window.

Rates read ``"<count>/<period>"`` with the period ``s``, ``m``, ``h`` or ``d``, optionally
prefixed by a number of them (``"5/5m"``: five per five minutes). With Redis the counts hold across
app servers; with the in-process cache, per process.
"""

import re
import time

from django.core.cache import cache

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"^\s*(?P<count>\d+)\s*/\s*(?P<many>\d*)\s*(?P<unit>[smhd]?)\s*$")


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/5m"`` -> (5, 300): at most 5 hits per 300 seconds."""
    match = RATE.match(rate)
    if not match:
        raise ValueError(f"not a rate: {rate!r} (e.g. '30/m', '5/5m')")
    return int(match["count"]), int(match["many"] or 1) * UNITS[match["unit"] or "m"]


def _key(scope, key, seconds):
    window = int(time.time() // seconds)
    return f"fengchao:throttle:{scope}:{key}:{seconds}:{window}", seconds


def hit(scope: str, key: str, rate: str) -> bool:
    """Count one hit on ``key``; True while the window still allows it."""
    count, seconds = parse_rate(rate)
    cache_key, seconds = _key(scope, key, seconds)
    cache.add(cache_key, 0, timeout=seconds + 1)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=seconds + 1)
        used = 1
    return used <= count


def exhausted(scope: str, key: str, rate: str) -> bool:
    """True when ``key`` has used up its window (without counting a hit)."""
    count, seconds = parse_rate(rate)
    cache_key, _seconds = _key(scope, key, seconds)
    return (cache.get(cache_key) or 0) >= count


def wait_seconds(rate: str) -> int:
    """How long until the current window of ``rate`` ends."""
    _count, seconds = parse_rate(rate)
    return seconds - int(time.time()) % seconds
