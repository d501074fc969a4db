"""The JSON API: one NinjaAPI, with a router per app, documented at /api/docs."""

from __future__ import annotations

from functools import partial

from ninja import NinjaAPI
from ninja.errors import HttpError

from commonground.api.access import AUTH
from commonground.api.parser import TextParser, http_error
from commonground.assessments.api import router as assessments_router
from commonground.coalitions.api import router as coalitions_router
from commonground.ecosystem.api import router as ecosystem_router
from commonground.funding.api import router as funding_router
from commonground.governance.api import router as governance_router
from commonground.guide.api import router as framework_router
from commonground.measurement.api import router as measurement_router
from commonground.reports.api import router as reports_router
from commonground.systems.api import router as systems_router
from commonground.voice.api import router as voice_router

api = NinjaAPI(
    title="CommonGround API",
    version="1",
    description=(
        "Coalitions, members and the collaborative infrastructure framework. "
        "Authenticate with a session cookie or an `Authorization: Bearer` token."
    ),
    auth=AUTH,
    urls_namespace="api",
    parser=TextParser(),
)
api.add_exception_handler(HttpError, partial(http_error, api=api))
api.add_router("/coalitions", coalitions_router)
api.add_router("/framework", framework_router)
# Capability routers mount under /coalitions too: their paths start with /{coalition_slug}/.
api.add_router("/coalitions", ecosystem_router)
api.add_router("/coalitions", assessments_router)
api.add_router("/coalitions", measurement_router)
api.add_router("/coalitions", governance_router)
api.add_router("/coalitions", funding_router)
api.add_router("/coalitions", voice_router)
api.add_router("/coalitions", systems_router)
api.add_router("/coalitions", reports_router)
