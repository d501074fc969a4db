"""Typed readers for settings taken from the environment.

Each helper fails loudly, naming the variable, when a value is present but
cannot be read: a mistyped ``DEBUG=ture`` must stop the server, not quietly mean
something else.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit


class EnvError(ValueError):
    """A variable in the environment holds a value that cannot be used."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str, environ: Mapping[str, str] = os.environ) -> str:
    """Return the variable as text, or ``default`` when unset."""
    return environ.get(name, default)


def env_bool(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    """Return the variable as a boolean.

    >>> env_bool("X", False, {"X": "yes"})
    True
    >>> env_bool("X", True, {"X": "maybe"})
    Traceback (most recent call last):
    ...
    commonground.lib.env.EnvError: X must be one of 1/0, true/false, yes/no, on/off; got 'maybe'
    """
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvError(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def env_int(
    name: str, default: int, environ: Mapping[str, str] = os.environ, *, minimum: int = 0
) -> int:
    """Return the variable as a whole number no smaller than ``minimum``."""
    raw = environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise EnvError(f"{name} must be a whole number; got {raw!r}") from None
    if value < minimum:
        raise EnvError(f"{name} must be at least {minimum}; got {value}")
    return value


def env_list(name: str, default: list[str], environ: Mapping[str, str] = os.environ) -> list[str]:
    """Return a comma-separated variable as a list of non-empty, stripped items."""
    raw = environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, object]:
    """Translate ``postgres://user:pass@host:port/name`` or ``sqlite:///path`` to Django's form.

    >>> database_from_url("postgres://app@127.0.0.1:5432/test")["NAME"]
    'test'
    >>> database_from_url("mysql://x/y")
    Traceback (most recent call last):
    ...
    commonground.lib.env.EnvError: DATABASE_URL scheme must be postgres, postgresql or sqlite; got 'mysql'
    """
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parts.path[1:] or "")}
    if parts.scheme not in {"postgres", "postgresql"}:
        raise EnvError(
            f"DATABASE_URL scheme must be postgres, postgresql or sqlite; got {parts.scheme!r}"
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise EnvError("DATABASE_URL must name a database, e.g. postgres://host:5432/commonground")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
