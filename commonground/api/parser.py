"""The API's request parser: JSON and query strings, refusing text no database can store.

PostgreSQL text cannot hold the NUL character (U+0000), and no person types one. A
request carrying it anywhere (a body value, a key, a query or form field) is answered
422 with the field named, before any operation sees it, so nothing is half-saved and
no app has to remember the check.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.parser import Parser

NUL = "\x00"


class NulCharacter(ValueError):
    """A request value holds U+0000; the message names where."""

    def __init__(self, where: str) -> None:
        where = where.replace(NUL, "\\0")
        super().__init__(f"{where}: text may not contain the NUL character (U+0000).")


def _find_nul(value: Any, where: str) -> str | None:
    """The path of the first string (key or value) holding NUL, or None."""
    if isinstance(value, str):
        return where if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            if NUL in str(key):
                return path
            if found := _find_nul(item, path):
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if found := _find_nul(item, f"{where}[{index}]"):
                return found
    return None


class TextParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        if (where := _find_nul(data, "")) is not None:
            raise NulCharacter(where or "body")
        return data

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for key, values in data.lists():
            if any(isinstance(v, str) and NUL in v for v in [key, *values]):
                raise HttpError(422, str(NulCharacter(key)))
        return super().parse_querydict(data, list_fields, request)


def http_error(request: HttpRequest, error: HttpError, api: NinjaAPI) -> HttpResponse:
    """ninja's answer to an HttpError, except that a NUL in the body is a 422 naming its field.

    (ninja reports every body it cannot parse as a bare 400.)
    """
    cause = error.__cause__
    if isinstance(cause, NulCharacter):
        return api.create_response(request, {"detail": str(cause)}, status=422)
    return api.create_response(request, {"detail": str(error)}, status=error.status_code)
