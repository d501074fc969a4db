"""The JSON API: one NinjaAPI, with a router per app, documented at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from commonground.api.access import AUTH
from commonground.coalitions.api import router as coalitions_router
from commonground.guide.api import router as framework_router

api = NinjaAPI(
    title="CommonGround API",
    version="1",
    description=(
        "Coalitions, members and the collaborative infrastructure framework. "
        "Authenticate with a session cookie or an `Authorization: Bearer` token."
    ),
    auth=AUTH,
    urls_namespace="api",
)
api.add_router("/coalitions", coalitions_router)
api.add_router("/framework", framework_router)
