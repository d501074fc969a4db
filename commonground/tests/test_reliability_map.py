"""docs/reliability.md maps each of the 23 checks of RELIABILITY.md to the tests that prove
it. These tests keep that map from drifting: every check has exactly one row, with a known
status on both databases and at least one proof, and every cited test or CI step exists.
"""

from __future__ import annotations

import ast
import re

import pytest

from commonground.lib.paths import REPO_ROOT

DOC = REPO_ROOT / "docs" / "reliability.md"
CHECKS = list(range(1, 24))
STATUSES = {"met", "partial", "not yet"}
#: A cited pytest test: `path/to/test_file.py::test_name`.
TEST_REF = re.compile(r"`([\w./-]+\.py)::(\w+)`")
#: A cited CI step: CI step: `scripts/test` runs `literal text of the step`.
CI_STEP = re.compile(r"CI step: `([\w./-]+)` runs `([^`]+)`")
ROW = re.compile(r"^\|\s*(\d+)\s*\|")
COLUMNS = ("#", "Check", "SQLite", "PostgreSQL", "Proof", "Missing")


def table_rows(text: str) -> list[list[str]]:
    """The cells of each numbered row of the table, stripped."""
    return [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in text.splitlines()
        if ROW.match(line)
    ]


def defined_tests(source: str) -> set[str]:
    """Names of test functions pytest can collect: at module level or in a class, also
    when defined under an ``if``/``try``/``with`` (e.g. PostgreSQL-only tests), but not
    functions nested inside other functions."""
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found.add(node.name)
            elif isinstance(node, ast.ClassDef):
                visit(node.body)
            elif isinstance(node, ast.If | ast.Try | ast.With):
                visit(node.body)
                visit(getattr(node, "orelse", []))
                visit(getattr(node, "finalbody", []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)

    visit(ast.parse(source).body)
    return found


def test_every_check_has_exactly_one_row() -> None:
    numbers = [int(cells[0]) for cells in table_rows(DOC.read_text(encoding="utf-8"))]
    assert sorted(numbers) == CHECKS, f"rows found for checks {numbers}"


def test_the_table_has_the_documented_columns() -> None:
    header = next(
        line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("| #")
    )
    assert tuple(cell.strip() for cell in header.strip().strip("|").split("|")) == COLUMNS


@pytest.mark.parametrize("number", CHECKS)
def test_each_row_has_a_status_per_database_and_a_proof(number: int) -> None:
    row = next(r for r in table_rows(DOC.read_text(encoding="utf-8")) if int(r[0]) == number)
    assert len(row) == len(COLUMNS), f"check {number}: {len(row)} cells (a stray '|'?)"
    _, check, sqlite, postgresql, proof, missing = row
    assert check, f"check {number} is not restated"
    assert sqlite in STATUSES and postgresql in STATUSES, (number, sqlite, postgresql)
    assert TEST_REF.search(proof) or CI_STEP.search(proof), f"check {number} cites no proof"
    if {sqlite, postgresql} != {"met"}:
        assert missing and not missing.startswith("None"), f"check {number}: say what is missing"


def test_every_cited_test_exists() -> None:
    refs = TEST_REF.findall(DOC.read_text(encoding="utf-8"))
    assert len(refs) >= len(CHECKS)
    problems = []
    sources: dict[str, set[str]] = {}
    for path, name in refs:
        file = REPO_ROOT / path
        if not file.is_file():
            problems.append(f"{path}: no such file")
            continue
        if path not in sources:
            sources[path] = defined_tests(file.read_text(encoding="utf-8"))
        if not name.startswith("test_") or name not in sources[path]:
            problems.append(f"{path}::{name}: no such test")
    assert problems == []


def test_every_cited_ci_step_is_in_its_script() -> None:
    problems = []
    for path, step in CI_STEP.findall(DOC.read_text(encoding="utf-8")):
        script = REPO_ROOT / path
        if not script.is_file() or step not in script.read_text(encoding="utf-8"):
            problems.append(f"{path} does not run `{step}`")
    assert problems == []


def test_the_checker_sees_tests_where_pytest_does() -> None:
    source = (
        "import sys\n"
        "def test_top(): pass\n"
        "class TestGroup:\n"
        "    def test_in_class(self): pass\n"
        "if sys.platform:\n"
        "    def test_under_if(): pass\n"
        "def helper():\n"
        "    def test_nested(): pass\n"
    )
    assert defined_tests(source) == {"test_top", "test_in_class", "test_under_if", "helper"}
    assert table_rows("| 7 | a | met | met | b | c |\n|---|\n| x | y |") == [
        ["7", "a", "met", "met", "b", "c"]
    ]
