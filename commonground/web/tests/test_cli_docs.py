"""``docs/cli.md`` documents every key of the commands' JSON; these tests keep it true.

The doc has one table per kind of JSON object, under a heading ``JSON object `PATH```
(``network``, ``network.actors[]``, ``equity.results[].groups{}``): one row per key, with
its type and whether it can be null. Each JSON-printing command runs here as a person runs
it (a subprocess on real files), and every object of its output must have exactly the
documented keys, each of the documented type, and every documented table must be met.
The examples on the page are checked against the tables and against the real output.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from commonground.lib.paths import REPO_ROOT, shared_data_dir

DOC = REPO_ROOT / "docs" / "cli.md"
COMMANDS_GLOB = "commonground/*/management/commands/*.py"

HEADING = re.compile(r"^#{2,6} JSON object `(?P<path>[^`]+)`\s*$")
ROW = re.compile(r"^\|\s*`(?P<key>[^`]+)`\s*\|(?P<type>[^|]+)\|(?P<null>[^|]+)\|")
TYPE = re.compile(r"^(?:array of |map of string to )*(?:string|integer|number|boolean|object)$")
EXAMPLE = re.compile(r"<!-- example: (?P<root>\w+) -->\s*```json\n(?P<body>.*?)\n```", re.S)
EXAMPLE_INPUT = re.compile(
    r"<!-- example-input: (?P<name>[\w.]+) -->\s*```csv\n(?P<body>.*?\n)```", re.S
)
COMMAND_HEADING = re.compile(r"^## `commonground (?P<name>[\w-]+)", re.M)

ARRAY, MAP = "array of ", "map of string to "
#: The JSON roots this test produces by running ``analyze``; the other JSON commands
#: (which need a database) check their output against this page in their own tests.
ANALYZE_ROOTS = ("network", "equity", "governance", "funding", "survey", "loops")
OTHER_ROOTS = ("backup_drill", "export_coalition", "import_coalition")


@dataclass(frozen=True, slots=True)
class Field:
    type: str
    nullable: bool


#: Object path (``network.actors[]``) → key → documented field.
Contract = dict[str, dict[str, Field]]


def parse_contract(text: str) -> Contract:
    """Return the JSON tables of ``text``; a malformed row fails the test."""
    contract: Contract = {}
    current: str | None = None
    for line in text.splitlines():
        if line.startswith("#"):
            match = HEADING.match(line)
            current = match["path"] if match else None
            if current is not None:
                assert current not in contract, f"two tables for {current}"
                contract[current] = {}
            continue
        row = ROW.match(line) if current is not None else None
        if current is None or row is None:
            continue
        key, type_, null = row["key"], row["type"].strip(), row["null"].strip()
        assert TYPE.match(type_), f"{current}.{key}: unknown type {type_!r}"
        assert null in {"yes", "no"}, f"{current}.{key}: Null must be yes or no, not {null!r}"
        assert key not in contract[current], f"{current}.{key} is documented twice"
        contract[current][key] = Field(type_, null == "yes")
    return contract


def conforms(value: Any, type_: str) -> bool:
    if type_.startswith(ARRAY):
        return isinstance(value, list) and all(conforms(v, type_[len(ARRAY) :]) for v in value)
    if type_.startswith(MAP):
        rest = type_[len(MAP) :]
        return isinstance(value, dict) and all(conforms(v, rest) for v in value.values())
    if type_ == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_ == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, {"string": str, "boolean": bool, "object": dict}[type_])


def objects_within(value: Any, path: str, type_: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield the objects inside ``value`` (of documented type ``type_``) with their paths."""
    if type_ == "object":
        yield path, value
    elif type_.startswith(ARRAY):
        for item in value:
            yield from objects_within(item, f"{path}[]", type_[len(ARRAY) :])
    elif type_.startswith(MAP):
        for item in value.values():
            yield from objects_within(item, f"{path}{{}}", type_[len(MAP) :])


def check(document: Any, root: str, contract: Contract) -> tuple[list[str], set[str]]:
    """Return how ``document`` departs from the contract, and the object paths it has."""
    problems: list[str] = []
    seen: set[str] = set()

    def visit(obj: Any, path: str) -> None:
        seen.add(path)
        fields = contract.get(path)
        if fields is None:
            problems.append(f"{path}: no table documents this object")
            return
        if not isinstance(obj, dict):
            problems.append(f"{path}: an object was expected, not {obj!r}")
            return
        if extra := sorted(set(obj) - set(fields)):
            problems.append(f"{path}: keys in the output but not in docs/cli.md: {extra}")
        if missing := sorted(set(fields) - set(obj)):
            problems.append(f"{path}: keys in docs/cli.md but not in the output: {missing}")
        for key, value in obj.items():
            field = fields.get(key)
            if field is None:
                continue
            if value is None:
                if not field.nullable:
                    problems.append(f"{path}.{key} is null, but documented as never null")
            elif not conforms(value, field.type):
                problems.append(f"{path}.{key} = {value!r} is not {field.type}")
            else:
                for child_path, child in objects_within(value, f"{path}.{key}", field.type):
                    visit(child, child_path)

    visit(document, root)
    return list(dict.fromkeys(problems)), seen  # one line per kind of departure


def _shape(type_: str) -> Any:
    """A one-element value of ``type_``, to find the paths of the objects it holds."""
    if type_.startswith(ARRAY):
        return [_shape(type_[len(ARRAY) :])]
    if type_.startswith(MAP):
        return {"key": _shape(type_[len(MAP) :])}
    return {}


def documented_paths(contract: Contract, root: str) -> set[str]:
    return {p for p in contract if p == root or p.startswith((f"{root}.", f"{root}[", f"{root}{{"))}


# --- running the commands ------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-m", "commonground.manage", "analyze", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def run_json(*args: str) -> Any:
    result = run(*args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def contract(doc_text: str) -> Contract:
    return parse_contract(doc_text)


@pytest.fixture(scope="module")
def outputs(doc_text: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Any]]:
    """Real outputs that between them meet every documented object (first: the examples')."""
    networks = shared_data_dir() / "networks"
    edges, nodes = str(networks / "dhhs_edges.csv"), str(networks / "dhhs_nodes.csv")
    inputs = {m["name"]: m["body"] for m in EXAMPLE_INPUT.finditer(doc_text)}
    folder = tmp_path_factory.mktemp("cli_docs")
    for name, body in inputs.items():
        (folder / name).write_text(body, encoding="utf-8")

    def example(name: str) -> str:
        return str(folder / name)

    gaps = example("gaps.csv")
    return {
        "network": [
            run_json("network", edges, "--nodes", nodes, "--sector", "agency", "--undirected"),
            run_json("network", edges, "--nodes", nodes, "--weight", "collab"),
        ],
        "equity": [
            run_json("equity", gaps, "--benchmark-top", "1"),
            run_json("equity", gaps, "--lower-is-better", "--reference", "white"),
        ],
        "governance": [run_json("governance", example("seats.csv"))],
        "funding": [
            run_json(
                "funding",
                example("funding_sources.csv"),
                "--grants",
                example("funding_grants.csv"),
                "--budget",
                "480000",
                "--as-of",
                "2026-01",
            ),
            run_json("funding", example("funding_sources.csv")),
        ],
        "survey": [
            run_json(
                "survey",
                example("responses.csv"),
                "--scales",
                example("scales.csv"),
                "--group",
                "role",
            )
        ],
        "loops": [run_json("loops", example("links.csv"))],
    }


# --- the tests -----------------------------------------------------------------------------


def test_the_doc_has_a_table_for_each_json_object(contract: Contract) -> None:
    assert {path.split(".")[0] for path in contract} == {*ANALYZE_ROOTS, *OTHER_ROOTS}
    assert all(contract.values()), "a JSON object table without rows"
    for path, fields in contract.items():
        for key, field in fields.items():
            nested = [p for p, _ in objects_within(_shape(field.type), f"{path}.{key}", field.type)]
            assert all(p in contract for p in nested), f"{path}.{key}: no table for {nested}"


@pytest.mark.parametrize("root", ANALYZE_ROOTS)
def test_json_output_has_exactly_the_documented_keys_and_types(
    root: str, contract: Contract, outputs: dict[str, list[Any]]
) -> None:
    seen: set[str] = set()
    for document in outputs[root]:
        problems, paths = check(document, root, contract)
        assert problems == [], "\n".join(problems)
        seen |= paths
    assert seen == documented_paths(contract, root), "documented objects the runs never met"


def _same_prefix(example: Any, real: Any, where: str = "$") -> None:
    """``example`` is ``real`` with arrays of objects possibly cut short."""
    if isinstance(example, dict):
        assert isinstance(real, dict) and list(example) == list(real), where
        for key in example:
            _same_prefix(example[key], real[key], f"{where}.{key}")
    elif isinstance(example, list):
        assert isinstance(real, list), where
        if not any(isinstance(item, dict) for item in example):
            assert len(example) == len(real), where
        assert 0 < len(example) <= len(real) or example == real == [], where
        for i, item in enumerate(example):
            _same_prefix(item, real[i], f"{where}[{i}]")
    elif isinstance(example, float) and not isinstance(real, bool):
        # Eigenvector centrality varies in its last digits from run to run.
        assert real == pytest.approx(example, rel=1e-9, abs=1e-12), where
    else:
        assert example == real and type(example) is type(real), where


def test_examples_are_real_output_and_follow_the_tables(
    doc_text: str, contract: Contract, outputs: dict[str, list[Any]]
) -> None:
    examples = {m["root"]: json.loads(m["body"]) for m in EXAMPLE.finditer(doc_text)}
    assert set(examples) == set(ANALYZE_ROOTS)
    for root, example in examples.items():
        problems, _ = check(example, root, contract)
        assert problems == [], "\n".join(problems)
        _same_prefix(example, outputs[root][0])
    assert examples["equity"] == outputs["equity"][0], "the equity example is shown in full"


def test_the_check_fails_when_the_output_or_the_doc_drifts(
    doc_text: str, contract: Contract, outputs: dict[str, list[Any]]
) -> None:
    real = outputs["equity"][0]
    added = copy.deepcopy(real)
    added["results"][0]["groups"]["black"]["rate_per_100k"] = 1.0
    assert check(added, "equity", contract)[0] == [
        "equity.results[].groups{}: keys in the output but not in docs/cli.md: ['rate_per_100k']"
    ]
    renamed = copy.deepcopy(real)
    renamed["benchmarks"][0]["goal"] = renamed["benchmarks"][0].pop("value")
    assert len(check(renamed, "equity", contract)[0]) == 2

    without_row = re.sub(r"^\| `ratio` .*\n", "", doc_text, flags=re.M)
    problems, _ = check(real, "equity", parse_contract(without_row))
    assert any("'ratio'" in p for p in problems)

    never_null = doc_text.replace("| `value` | number | yes |", "| `value` | number | no |")
    problems, _ = check(real, "equity", parse_contract(never_null))
    assert "equity.results[].groups{}.value is null, but documented as never null" in problems

    without_table = re.sub(r"#### JSON object `network.brokers\[\]`", "#### Brokers", doc_text)
    problems, _ = check(outputs["network"][0], "network", parse_contract(without_table))
    assert "network.brokers[]: no table documents this object" in problems


def test_every_command_the_product_adds_is_documented(doc_text: str) -> None:
    commands = {path.stem for path in REPO_ROOT.glob(COMMANDS_GLOB) if path.stem != "__init__"}
    documented = {m["name"] for m in COMMAND_HEADING.finditer(doc_text)}
    assert commands - documented == set()
    assert "db_worker" in documented
