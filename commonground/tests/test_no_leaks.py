"""Coalition A's lists, searches, dashboards and downloads never show coalition B's rows
(reliability check 2), even when B holds exactly A's names.

Two tests over the demo, crawled as River Region's backbone admin with every link she can
follow (``commonground.tests.crawl``), plus every download those pages offer:

* the other demo coalitions' own words (names, titles, e-mail addresses that appear in
  none of River Region's rows) are on none of her pages and in none of her files;
* a twin of River Region, imported from its own archive (every name the same), changes
  nothing she sees: a query that forgot its coalition would count, list or sum the twin's
  rows too.
"""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import models
from django.test import Client
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from commonground.accounts.models import User
from commonground.coalitions.archive import export_coalition, import_coalition, tenant_models
from commonground.coalitions.models import Coalition, Membership
from commonground.demo.seed import DEMO_SLUG, seed_demo
from commonground.tests.crawl import DOWNLOADS, HREF, crawl

ADMIN = "alicia@riverregion.example"
STARTS = [f"/c/{DEMO_SLUG}/", "/coalitions/", "/guide/", "/accounts/tokens/"]
INVISIBLE = re.compile(r"<(script|style|template)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")
#: Text fields whose values name a row to a person.
NAMING_FIELDS = {"name", "title", "display_name", "email", "contact_email", "label"}


def visible_text(html: str) -> str:
    return " ".join(unescape(TAG.sub(" ", INVISIBLE.sub(" ", html))).split())


def download_text(client: Client, path: str) -> str:
    response = client.get(path)
    if response.status_code != 200:
        return ""
    body = b"".join(response) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(body), read_only=True)
        return " ".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if kind.startswith("text/html"):
        return visible_text(body.decode())
    if kind.startswith(("text/", "application/json", "image/svg")) or "graphml" in kind:
        return body.decode("utf-8", errors="replace")
    return ""  # PDF, PNG, ZIP: their words come from the same selectors as the pages


def everything_seen(client: Client) -> dict[str, str]:
    """Each page's visible text and each offered download's text, by path."""
    cache.clear()  # a cached page would hide what the queries return now
    seen: dict[str, str] = {}
    downloads: set[str] = set()
    for page in crawl(client, STARTS):
        seen[page.path] = visible_text(page.html)
        for match in HREF.finditer(page.html):
            href = unescape(match.group("href")).split("#")[0]
            bare = href.split("?")[0]
            if href.startswith(f"/c/{DEMO_SLUG}/") and (
                DOWNLOADS.search(bare) or "/export" in bare or "format=" in href
            ):
                downloads.add(href)
    for path in sorted(downloads):
        seen[path] = download_text(client, path)
    return seen


def naming_values(coalition: Coalition) -> set[str]:
    """The coalition's own naming words: name-like text of every tenant row it owns."""
    found: set[str] = set()
    with scopes_disabled():
        for model in tenant_models():
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, (models.CharField, models.EmailField)) and f.name in NAMING_FIELDS
            ]
            for row in (
                model.objects.filter(coalition=coalition).values_list(*fields) if fields else []
            ):
                found.update(str(value).strip() for value in row if value)
    return found


@pytest.fixture
def admin_client(db: None) -> Client:
    seed_demo()
    client = Client()
    client.force_login(User.objects.get(email=ADMIN))
    return client


def test_no_page_or_download_of_a_shows_words_only_b_has(admin_client: Client) -> None:
    with scopes_disabled():
        a = Coalition.objects.get(slug=DEMO_SLUG)
        # B: the coalitions she has no seat in (she is also a viewer of a second one).
        hers = Membership.objects.filter(user__email=ADMIN).values("coalition")
        others = list(Coalition.objects.exclude(pk__in=hers))
    ours = naming_values(a)
    ours_text = " ".join(ours)
    with scopes_disabled():
        mine = Coalition.objects.filter(pk__in=hers).exclude(pk=a.pk)
        shared_text = " ".join(value for other in mine for value in naming_values(other))
    theirs = {
        value
        for other in others
        for value in naming_values(other)
        if len(value) >= 10 and value not in ours_text and value not in shared_text
    }
    assert len(others) >= 2 and len(theirs) > 10, (len(others), len(theirs))
    seen = everything_seen(admin_client)
    assert len(seen) > 80
    leaks = [
        f"{path}: {value!r}" for path, text in seen.items() for value in theirs if value in text
    ]
    assert leaks == [], "\n".join(leaks[:40])


def test_a_twin_with_the_same_names_changes_nothing_a_sees(admin_client: Client) -> None:
    with scopes_disabled():
        a = Coalition.objects.get(slug=DEMO_SLUG)
    before = everything_seen(admin_client)
    twin = import_coalition(export_coalition(a), slug="river-region-twin", name=a.name).coalition
    with scope(coalition=twin):
        # The twin's members are A's people; she is not one of them.
        Membership.objects.filter(coalition=twin, user__email=ADMIN).delete()
        assert Membership.objects.filter(coalition=twin).count() > 3
    after = everything_seen(admin_client)
    assert len(before) > 80
    assert sorted(after) == sorted(before)
    changed = [path for path in before if after[path] != before[path]]
    details = []
    for path in changed[:10]:
        old, new = before[path].split(), after[path].split()
        first = next((i for i, (x, y) in enumerate(zip(old, new, strict=False)) if x != y), 0)
        details.append(
            f"{path}: {' '.join(old[first : first + 12])!r} -> {' '.join(new[first : first + 12])!r}"
        )
    assert changed == [], "\n".join(details)
