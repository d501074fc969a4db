"""A full disk is answered 503 with a page that says so, not the generic error page.

When the server runs out of space (the upload's temporary file, SQLite's database file or
PostgreSQL's, SQLSTATE 53100), the request could not be kept; the transaction that
failed has rolled back, so nothing of it was saved. The person is told exactly that and
asked to try again later, in English and Spanish; an API client gets the same in JSON,
with ``Retry-After``. The error is logged for the operators like any other.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    UnreadablePostError,
)
from django.template import loader

logger = logging.getLogger("django.request")

API_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 300
DISK_FULL_SQLSTATE = "53100"
DETAIL = (
    "The server has run out of storage space, so what you sent was not saved. "
    "Please try again later; the error has been recorded for the site's operators."
)


def is_disk_full(error: BaseException) -> bool:
    """True when ``error``, or an error it was raised from, means no space is left."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if getattr(current, "sqlstate", None) == DISK_FULL_SQLSTATE:  # psycopg's DiskFull
            return True
        if "database or disk is full" in str(current):  # SQLite's SQLITE_FULL
            return True
        current = current.__cause__ or current.__context__
    return False


class DiskFullMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method == "POST" and not request.path.startswith(API_PREFIX):
            # Read the form and its files here rather than in the CSRF check, where an
            # error would reach no ``process_exception`` and give the generic 500 page.
            # (The API is exempt from that check: its operations read their own bodies.)
            try:
                request.POST  # noqa: B018 - parses the body once; later reads reuse it
            except UnreadablePostError:
                pass  # the client went away; the CSRF check answers as before
            except Exception as error:
                if is_disk_full(error):
                    return self.answer(request, error)
                raise
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return self.answer(request, exception) if is_disk_full(exception) else None

    @staticmethod
    def answer(request: HttpRequest, exception: BaseException) -> HttpResponse:
        logger.error("Disk full: %s %s", request.method, request.path, exc_info=exception)
        response: HttpResponse
        if request.path.startswith(API_PREFIX):
            response = JsonResponse({"detail": DETAIL}, status=503)
        else:
            # A plain template (no context processors): they may need the database.
            response = HttpResponse(loader.render_to_string("503_disk_full.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
