"""How long a sign-in attempt must wait: the per-address rate and the per-account ceiling.

Three layers protect sign-in (the first is django-axes, configured in settings):

1. 5 failures for one (account, address) lock that pair for 15 minutes; other
   addresses are not affected.
2. An address may make ``limit`` attempts a ``window`` (20 a minute), whatever the
   accounts; the next waits until the oldest one leaves the window.
3. When an account has had ``ceiling`` failures in the last hour (100), it is under
   attack: an address that has already failed on it in that hour waits before each new
   try, ``base`` seconds after its latest failure, doubling with each failure of that
   address, at most ``cap``. An address that has not failed on it signs in as usual, so
   an attacker cannot lock the real owner out, however many addresses they use; each
   address they add costs them one guess and then the wait.

>>> from datetime import datetime, timedelta
>>> now = datetime(2026, 1, 1, 12, 0, 0)
>>> address_wait([now - timedelta(seconds=s) for s in range(20)], now, limit=20, window=60)
41
>>> account_wait(120, [], now, ceiling=100, base=60, cap=900)
0
>>> account_wait(120, [now - timedelta(seconds=10)], now, ceiling=100, base=60, cap=900)
50
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta


def address_wait(attempts: Sequence[datetime], now: datetime, *, limit: int, window: int) -> int:
    """Seconds before the next attempt from an address with these recent ``attempts``.

    ``attempts`` are the times of its attempts (successful or not) in the last ``window``
    seconds. Zero when fewer than ``limit``.
    """
    recent = sorted(t for t in attempts if t > now - timedelta(seconds=window))
    if len(recent) < limit:
        return 0
    frees_at = recent[-limit] + timedelta(seconds=window)
    return max(1, math.ceil((frees_at - now).total_seconds()))


def account_wait(
    account_failures: int,
    failures_from_address: Sequence[datetime],
    now: datetime,
    *,
    ceiling: int,
    base: int,
    cap: int,
) -> int:
    """Seconds before this address may try this account again (0: go ahead).

    ``account_failures``: the account's failures in the last hour, from every address;
    ``failures_from_address``: the times of this address's failures on it in that hour.
    """
    if account_failures < ceiling or not failures_from_address:
        return 0
    count = len(failures_from_address)
    delay = min(cap, base * 2 ** min(count - 1, 16))
    until = max(failures_from_address) + timedelta(seconds=delay)
    remaining = (until - now).total_seconds()
    return max(0, math.ceil(remaining))
