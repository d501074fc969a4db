"""How long a sign-in attempt must wait: the per-address rate and the per-account ceiling.

Three layers protect sign-in (the first is django-axes, configured in settings):

1. 5 failures for one (account, address) lock that pair for 15 minutes; other
   addresses are not affected.
2. An address may make ``limit`` attempts a ``window`` (20 a minute), whatever the
   accounts; the next waits until the oldest one leaves the window.
3. An account may fail ``ceiling`` times an hour (100, ASVS 2.2.1), whatever the
   addresses. At the ceiling, password sign-in for it is closed to every address until
   enough of those failures are an hour old to bring the count under the ceiling. The
   owner gets in at once by resetting the password by e-mail, which clears the failures.

>>> from datetime import datetime, timedelta
>>> now = datetime(2026, 1, 1, 12, 0, 0)
>>> address_wait([now - timedelta(seconds=s) for s in range(20)], now, limit=20, window=60)
41
>>> account_wait([now - timedelta(minutes=m) for m in range(99)], now, ceiling=100)
0
>>> account_wait([now - timedelta(seconds=s) for s in range(100)], now, ceiling=100)
3501
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

HOUR = 3600


def _until_under(times: Sequence[datetime], now: datetime, *, limit: int, window: int) -> int:
    """Seconds until fewer than ``limit`` of ``times`` are within ``window`` seconds of now."""
    recent = sorted(t for t in times if t > now - timedelta(seconds=window))
    if len(recent) < limit:
        return 0
    frees_at = recent[-limit] + timedelta(seconds=window)
    return max(1, math.ceil((frees_at - now).total_seconds()))


def address_wait(attempts: Sequence[datetime], now: datetime, *, limit: int, window: int) -> int:
    """Seconds before the next attempt from an address with these recent ``attempts``.

    ``attempts`` are the times of its attempts (successful or not) in the last ``window``
    seconds. Zero when fewer than ``limit``.
    """
    return _until_under(attempts, now, limit=limit, window=window)


def account_wait(
    failures: Sequence[datetime], now: datetime, *, ceiling: int, window: int = HOUR
) -> int:
    """Seconds until password sign-in for an account opens again (0: it is open).

    ``failures``: the times of the account's failed sign-ins in the last ``window``
    seconds, from every address (the most recent ``ceiling`` of them are enough). Closed
    while ``ceiling`` or more are in the window; it opens when the oldest failure that
    keeps the count at the ceiling is ``window`` seconds old.

    >>> now = datetime(2026, 1, 1, 12, 0, 0)
    >>> account_wait([now - timedelta(minutes=50), now], now, ceiling=2)
    600
    >>> account_wait([now - timedelta(minutes=61), now], now, ceiling=2)
    0
    """
    return _until_under(failures, now, limit=ceiling, window=window)
