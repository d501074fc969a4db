"""Every page a person can reach, found the way a person finds them: by following links.

``crawl(client, starts)`` walks same-site links breadth-first with a signed-in Django test
client and returns each HTML page's path and body. Downloads (CSV, XLSX, GraphML, PDF…)
and the API are not followed; a query string is kept only the first few times a path is
seen, so paginated and filtered lists are sampled without walking every combination.
The phone-width browser test and the Spanish test use it, so a new page is covered as soon
as something links to it.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass
from html import unescape
from urllib.parse import urldefrag, urljoin, urlsplit

from django.test import Client

HREF = re.compile(r"""<a\b[^>]*?\bhref=(["'])(?P<href>[^"']+)\1""", re.IGNORECASE)
#: Paths never followed: leaving, the API, Django's admin, static files.
SKIPPED_PREFIXES = ("/api/", "/admin/", "/static/", "/accounts/sign-out/", "/i18n/")
#: File suffixes of downloads.
DOWNLOADS = re.compile(r"\.(csv|xlsx|graphml|gexf|json|pdf|zip|png|svg)$", re.IGNORECASE)
QUERY_SAMPLES = 3


#: Response headers kept with each page (the security headers every page must carry).
KEPT_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


@dataclass(frozen=True)
class Page:
    path: str
    status: int
    html: str
    headers: tuple[tuple[str, str], ...] = ()


def links(html: str, base: str) -> Iterable[str]:
    for match in HREF.finditer(html):
        url = urldefrag(urljoin(base, unescape(match.group("href"))))[0]
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if (
            path.startswith("/")
            and not path.startswith(SKIPPED_PREFIXES)
            and not DOWNLOADS.search(parts.path)
            and "/export" not in parts.path
        ):
            yield path


def crawl(client: Client, starts: Iterable[str], *, limit: int = 400) -> list[Page]:
    """The HTML pages reachable from ``starts``, at most ``limit`` of them."""
    queue = deque(starts)
    seen = set(queue)
    with_query: Counter[str] = Counter()
    pages: list[Page] = []
    while queue and len(pages) < limit:
        path = queue.popleft()
        response = client.get(path)
        content_type = response.get("Content-Type", "")
        if not content_type.startswith("text/html"):
            continue
        html = response.content.decode()
        kept = tuple((name, response[name]) for name in KEPT_HEADERS if name in response)
        pages.append(Page(path, response.status_code, html, kept))
        for found in links(html, path):
            bare = found.split("?", 1)[0]
            if found in seen:
                continue
            if "?" in found:
                if with_query[bare] >= QUERY_SAMPLES:
                    continue
                with_query[bare] += 1
            seen.add(found)
            queue.append(found)
    return pages
