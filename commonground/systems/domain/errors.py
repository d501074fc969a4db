"""The one error type of the systems core."""

from __future__ import annotations


class SystemsError(ValueError):
    """Bad input to a systems computation (a link file, a map too large to enumerate)."""
