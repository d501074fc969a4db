"""Session lifetime: 30 idle minutes (SESSION_COOKIE_AGE) and 12 hours from sign-in."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "cg_signed_in_at"
REFRESHED_AT = "cg_refreshed_at"
# The idle clock restarts at most this often: saving the session on every request cost
# a write transaction per page view. A session so ends between 29 and 30 idle minutes
# after its last request, never later.
REFRESH_EVERY_SECONDS = 60


class SessionLifetimeMiddleware:
    """End a session after 30 idle minutes and 12 hours after sign-in, however active it
    has been (ASVS 3.3.2, 3.3.4)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = time.time()
            started = session.get(SIGNED_IN_AT)
            if started is None:
                session[SIGNED_IN_AT] = now
            elif now - float(started) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return self.get_response(request)
            if now - float(session.get(REFRESHED_AT, 0)) >= REFRESH_EVERY_SECONDS:
                # Changing the session saves it, with a new expiry (database and cookie).
                session[REFRESHED_AT] = now
        return self.get_response(request)
