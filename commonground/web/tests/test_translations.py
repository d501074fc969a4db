"""The Spanish catalog ships compiled with the package, and the compiled file is current.

``pip install .`` copies ``locale/**`` into the wheel but compiles nothing, so the
``.mo`` file is kept in the repository. These tests fail when someone edits the ``.po``
file and forgets ``commonground compilemessages``, and when a message is left untranslated.
"""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

import commonground

LOCALE = Path(commonground.__file__).parent / "locale" / "es" / "LC_MESSAGES"


def _catalog(mo: Path) -> dict[object, str]:
    with mo.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    return dict(translations._catalog)  # type: ignore[attr-defined]


def test_the_shipped_spanish_catalog_is_compiled_from_the_current_po_file(
    tmp_path: Path,
) -> None:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (Debian's gettext) is needed to check the catalog"
    fresh = tmp_path / "django.mo"
    subprocess.run(
        [msgfmt, "--check-format", "-o", str(fresh), str(LOCALE / "django.po")], check=True
    )
    shipped = LOCALE / "django.mo"
    assert shipped.is_file(), "commonground/locale/es/LC_MESSAGES/django.mo is missing"
    assert _catalog(shipped) == _catalog(fresh), (
        "django.mo is older than django.po: run 'commonground compilemessages' and commit it"
    )


def test_every_message_has_a_spanish_translation() -> None:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (Debian's gettext) is needed to check the catalog"
    result = subprocess.run(
        [msgfmt, "--statistics", "-o", "/dev/null", str(LOCALE / "django.po")],
        capture_output=True,
        text=True,
        check=True,
        env={"LC_ALL": "C"},
    )
    assert "translated message" in result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("english", "spanish"), [("Members", "Miembros"), ("Sign in", "Iniciar sesión")]
)
def test_the_catalog_is_loaded_by_django(english: str, spanish: str) -> None:
    from django.utils import translation

    with translation.override("es"):
        assert translation.gettext(english) == spanish
