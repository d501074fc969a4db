"""The framework's content as JSON, in the language asked for (``?lang=es``)."""

import dataclasses
from enum import StrEnum
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router

from commonground import framework
from commonground.api.access import api_public
from commonground.framework.types import Text

router = Router(tags=["framework"])

KINDS = {
    "pillars": framework.PILLARS,
    "stages": framework.STAGES,
    "roles": framework.ROLES,
    "decision-points": framework.DECISION_POINTS,
    "domains": framework.DOMAINS,
    "chapters": framework.CHAPTERS,
    "tactics": framework.TACTICS,
    "features": framework.FEATURES,
}


def _plain(value: Any, language: str) -> Any:
    if isinstance(value, Text):
        return value.get(language)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name), language) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item, language) for item in value]
    return value


@router.get("/", auth=None, summary="The whole framework")
@api_public
def get_framework(request: HttpRequest, lang: Literal["en", "es"] = "en") -> dict[str, Any]:
    return {kind: _plain(items, lang) for kind, items in KINDS.items()}


Part = StrEnum("Part", {kind.replace("-", "_"): kind for kind in KINDS})  # type: ignore[misc]


@router.get("/{kind}", auth=None, summary="One part of the framework")
@api_public
def get_framework_part(
    request: HttpRequest, kind: Part, lang: Literal["en", "es"] = "en"
) -> list[Any]:
    result: list[Any] = _plain(KINDS[kind.value], lang)
    return result
