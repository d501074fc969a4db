"""Where the project finds the real public data that sits beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def shared_data_dir() -> Path:
    """Return ``shared/data``: ``$COMMONGROUND_SHARED/data`` or ``../shared/data`` from the repo.

    Raise ``FileNotFoundError`` naming the folder when it is missing, so a test or the
    demo never quietly runs on nothing.
    """
    root = Path(os.environ.get("COMMONGROUND_SHARED", REPO_ROOT.parent / "shared"))
    data = root / "data"
    if not data.is_dir():
        raise FileNotFoundError(f"shared data folder not found: {data}")
    return data
