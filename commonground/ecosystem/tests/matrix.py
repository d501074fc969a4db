"""This app's rows of the access matrix (see commonground/tests/test_access_matrix.py)."""

from __future__ import annotations

from typing import Any

PAGES: dict[str, Any] = {}
API: dict[str, Any] = {}
BODIES: dict[str, dict[str, Any]] = {}


def objects(coalition: Any) -> dict[str, Any]:
    """URL keyword -> an object of coalition made for the test (its id or key)."""
    return {}
