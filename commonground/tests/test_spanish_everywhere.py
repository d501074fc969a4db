"""Every page every demo persona can reach, read in Spanish: no catalog string left in English.

The English side of the message catalog is the list of sentences the product itself writes;
a page that shows one of them to a Spanish reader forgot to translate it. The pages are
found by following links (``commonground.tests.crawl``), so a new page is covered as soon
as something links to it.
"""

from __future__ import annotations

import gettext
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

import commonground
from commonground.accounts.models import User
from commonground.demo.seed import seed_demo
from commonground.tests.crawl import crawl

CATALOG = Path(commonground.__file__).parent / "locale" / "es" / "LC_MESSAGES" / "django.mo"
PERSONAS = [
    "alicia@riverregion.example",
    "priya@capitalcitymed.example",
    "denise@residents.example",
]
STARTS = ["/c/river-region/", "/coalitions/", "/guide/", "/accounts/tokens/"]
INVISIBLE = re.compile(r"<(script|style|template)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")
#: A snake_case code such as ``support_community_led_activities`` in visible text.
RAW_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def english_sentences() -> list[str]:
    """Catalog msgids (or their longest fixed part) that clearly read as English prose."""
    with CATALOG.open("rb") as handle:
        catalog: dict[object, str] = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    sentences = set()
    for key, spanish in catalog.items():
        if not isinstance(key, str) or not key or key == spanish:
            continue
        english = key.split("\x04")[-1]  # drop a msgctxt
        longest = max(PLACEHOLDER.split(english), key=len).strip(" .,:;()")
        if len(longest) >= 14 and " " in longest and longest not in spanish:
            sentences.add(longest)
    return sorted(sentences)


def bilingual_names() -> list[str]:
    """English names the product carries as bilingual data (framework, indicator catalog).

    They are checked even where a copy sits in the database: an indicator stored with its
    English name must still be shown by its Spanish one.
    """
    import dataclasses
    import importlib

    from commonground.framework.types import Text

    found: set[str] = set()
    seen: set[int] = set()

    def walk(value: object) -> None:
        if id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, Text):
            if value.en != value.es and len(value.en) >= 14 and " " in value.en:
                found.add(value.en)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple | set | frozenset):
            for item in value:
                walk(item)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for field in dataclasses.fields(value):
                walk(getattr(value, field.name))

    for module in ("commonground.framework.content", "commonground.measurement.domain.catalog"):
        for name, value in vars(importlib.import_module(module)).items():
            if name.isupper():
                walk(value)
    return sorted(found)


def stored_text() -> str:
    """Every text the database holds: names and notes that people typed are not the
    product's own sentences, even when they match one ("Partner network survey")."""
    from django.apps import apps
    from django.db import models
    from django_scopes import scopes_disabled

    chunks: list[str] = []
    with scopes_disabled():
        for model in apps.get_models():
            if not model.__module__.startswith("commonground.") or model.__name__ == "AuditEvent":
                continue  # audit summaries are stored in English and rendered anew
            fields = [
                f.attname
                for f in model._meta.concrete_fields
                if isinstance(f, (models.CharField, models.TextField)) and not f.choices
            ]
            if fields:
                for row in model._base_manager.values_list(*fields):
                    chunks.extend(str(value) for value in row if value)
    return "\n".join(chunks)


def quoted_in(name: str, typed: str) -> list[str]:
    """Stored texts that hold ``name`` among other words (not just a unit in brackets)."""
    found = []
    for line in typed.split("\n"):
        if name in line:
            rest = re.sub(r"\([^)]*\)", "", line.replace(name, ""))
            if len(re.findall(r"[A-Za-z]", rest)) >= 3:
                found.append(line)
    return found


def visible_text(html: str) -> str:
    return " ".join(unescape(TAG.sub(" ", INVISIBLE.sub(" ", html))).split())


@pytest.mark.django_db(transaction=False)
def test_every_page_reads_in_spanish_with_no_english_left_and_no_raw_codes() -> None:
    seed_demo()
    typed = stored_text()
    sentences = [s for s in english_sentences() if s not in typed]
    # A stored copy of a bilingual name (an indicator's "Adults with asthma (%)") must still be
    # shown in Spanish; a name quoted inside longer typed words (an action item's title "Put in
    # place: A governance structure with community seats") is the person's text, so a page
    # that shows that typed text is not blamed for the name inside it.
    names = bilingual_names()
    quoting = {name: quoted_in(name, typed) for name in names}
    assert len(sentences) > 300
    assert "Adults with high blood pressure" in names  # the indicator catalog is checked
    problems: list[str] = []
    crawled = 0
    for email in PERSONAS:
        client = Client()
        client.force_login(User.objects.get(email=email))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
        for page in crawl(client, STARTS):
            crawled += 1
            assert page.status < 500, f"{page.path} as {email}: {page.status}"
            text = visible_text(page.html)
            english = [s for s in sentences if s in text] + [
                n for n in names if n in text and not any(q in text for q in quoting[n])
            ]
            if english:
                problems.append(f"{page.path} ({email}): {english[:5]}")
            if "/activity/" in page.path and (codes := sorted(set(RAW_CODE.findall(text)))):
                problems.append(f"{page.path}: raw codes {codes[:8]}")
    assert crawled > 60
    assert problems == [], "\n".join(problems)
