"""The one error type raised by the pure assessment scoring core."""

from __future__ import annotations


class ScoringError(ValueError):
    """Input that the scoring rules cannot score; the message names the item and value.

    >>> isinstance(ScoringError("rating for item 'trust' is 7; expected 1 to 5"), ValueError)
    True
    """
