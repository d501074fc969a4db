"""A full disk is told apart from other errors and answered 503 (see also test_faults)."""

from __future__ import annotations

import errno
import json
import sqlite3

import psycopg
from django import db
from django.test import RequestFactory

from commonground.web.middleware import DiskFullMiddleware, is_disk_full


def _raised(outer: type[Exception], inner: BaseException) -> BaseException:
    """``outer`` raised from ``inner``, as Django wraps a driver's error."""
    try:
        try:
            raise inner
        except BaseException as error:
            raise outer(str(error)) from error
    except Exception as wrapped:
        return wrapped


def test_each_kind_of_full_disk_is_recognised() -> None:
    assert is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert is_disk_full(OSError(errno.EDQUOT, "Disk quota exceeded"))
    sqlite_full = sqlite3.OperationalError("database or disk is full")
    assert is_disk_full(_raised(db.OperationalError, sqlite_full))
    postgres_full = psycopg.errors.DiskFull("could not extend file")
    assert postgres_full.sqlstate == "53100"
    assert is_disk_full(_raised(db.OperationalError, postgres_full))


def test_other_errors_are_not_a_full_disk() -> None:
    assert not is_disk_full(OSError(errno.EACCES, "Permission denied"))
    assert not is_disk_full(ValueError("database or disk"))
    assert not is_disk_full(_raised(db.OperationalError, sqlite3.OperationalError("locked")))
    assert not is_disk_full(psycopg.errors.QueryCanceled("timeout"))


def test_a_page_gets_the_bilingual_503_and_the_api_json() -> None:
    middleware = DiskFullMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    factory = RequestFactory()
    full = OSError(errno.ENOSPC, "No space left on device")

    page = middleware.process_exception(factory.post("/c/x/measurement/imports/"), full)
    assert page is not None and page.status_code == 503
    assert page["Retry-After"] == "300"
    text = page.content.decode()
    assert "out of storage space" in text and "sin espacio de almacenamiento" in text

    api = middleware.process_exception(factory.post("/api/coalitions/x/voice/themes"), full)
    assert api is not None and api.status_code == 503
    assert "out of storage space" in json.loads(api.content)["detail"]

    other = middleware.process_exception(factory.get("/"), ValueError("boom"))
    assert other is None  # left to the generic 500 page
