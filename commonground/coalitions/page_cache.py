"""Whole pages kept per reader and data version, for the pages every member opens most.

The coalition home, the action plan, the network map and scores, the health dashboard,
the indicator explorer and the county map are the heaviest pages and the most read. Their
derived values are already kept across requests (``coalitions.freshness``); what is left
is rendering the template. ``@kept_per_version`` keeps the rendered page itself, keyed by
everything it can depend on:

* the coalition's data version and the global one (every write changes them, in its own
  transaction: ``coalitions.data_version``), and today's date;
* the reader: their account, session and CSRF cookie (the page's forms carry a token
  made from that cookie's secret), the language, and what the coalition switcher shows
  of their other coalitions (names, addresses, roles), read on every request;
* the full path with its query, and whether htmx asked for a fragment.

It is never used when the request is not a GET, when a message is waiting to be shown
(it would be shown once, by the page that rendered it), on a reader's first visit (no
CSRF cookie yet: the response sets one), or for a response that is not a 200 HTML page or
that sets a cookie. The Content Security Policy nonce is fresh on every
response: the kept page holds a placeholder where the nonce was, and each response gets
its own nonce in both the page and the header.

The decorator goes inside ``@coalition_view``, so access is checked on every request.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csp import get_nonce
from django.utils import timezone
from django.utils.translation import get_language

from commonground.coalitions import selectors
from commonground.coalitions.freshness import current_version
from commonground.lib.request_memo import is_active

# A token no page can contain by chance, made anew in each process (kept pages are too).
_NONCE_PLACEHOLDER = f"cg-nonce-{secrets.token_hex(16)}"

View = Callable[..., HttpResponseBase]


def _waiting_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0  # counting does not mark them read


def _key(request: HttpRequest, apps: tuple[str, ...] | None) -> str | None:
    coalition = getattr(request, "coalition", None)
    if (
        request.method != "GET"
        or coalition is None
        or not is_active()
        or not request.user.is_authenticated
        or _waiting_messages(request)
        # No CSRF cookie yet: this response sets one, so the page could never be reused.
        or not request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    ):
        return None
    version = current_version(coalition, apps)
    if version is None:
        return None
    # The page's coalition switcher lists the reader's other coalitions, whose versions
    # the key does not hold: it holds what the switcher shows of them instead.
    switcher = [
        (m.coalition_id, m.coalition.slug, m.coalition.name, m.role)
        for m in selectors.list_memberships_for_user(user=request.user)
    ]
    parts = (
        version,
        repr(switcher),
        f"{timezone.localdate():%Y%m%d}",
        str(request.user.pk),
        request.session.session_key or "",
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        get_language() or "",
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
    )
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"page:{coalition.pk}:{digest}"


def kept_per_version(*apps: str) -> Callable[[View], View]:
    """Serve the page kept for this reader and data version, or render and keep it.

    With no ``apps`` the page is kept per version of all the coalition's data; naming apps
    keeps it per version of theirs (and of ``coalitions``) only: name them only when the
    page shows nothing from any other app.
    """
    depends = tuple(apps) or None

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            key = _key(request, depends)
            if key is None:
                return view(request, *args, **kwargs)
            return _kept(request, key) or _keep(request, key, view(request, *args, **kwargs))

        return wrapper

    return decorate


def _kept(request: HttpRequest, key: str) -> HttpResponse | None:
    kept = caches["pages"].get(key)
    if kept is None:
        return None
    content_type, body = kept
    if _NONCE_PLACEHOLDER in body:
        fresh = get_nonce(request)
        body = body.replace(_NONCE_PLACEHOLDER, "" if fresh is None else str(fresh))
    return HttpResponse(body, content_type=content_type)


def _keep(request: HttpRequest, key: str, response: HttpResponseBase) -> HttpResponseBase:
    if (
        isinstance(response, HttpResponse)
        and response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not _waiting_messages(request)
        # The page's tokens are made from the secret Django read from the cookie; when the
        # cookie was malformed it made a new one, which the key does not hold.
        and request.META.get("CSRF_COOKIE") == request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    ):
        body = response.content.decode(response.charset)
        nonce = get_nonce(request)
        if nonce:
            body = body.replace(str(nonce), _NONCE_PLACEHOLDER)
        caches["pages"].set(key, (response["Content-Type"], body))
    return response
