"""Time the equity computation on a national-scale table against pandas and DuckDB.

Generates (fixed seed) every US county (3,143) × 30 indicators × 10 periods × 7 groups
(``total`` and six race/ethnicity groups), about 6.6 million rows, writes it as
Parquet and CSV, then runs implementations of the same work:

* ours: ``commonground.measurement.domain.equity.equity_frame`` (polars, categorical keys);
* a vectorized pandas groupby (no Python loop over groups) on categorical keys (``pandas``),
  and the same code on the plain string keys an untuned read gives (``pandas-str``);
* DuckDB SQL.

The work: reliability flags (counts 1-10 suppressed, fewer than 20 events, CI wider
than RSE 30%), the best reliable group per indicator × place × period (direction per
indicator), every group's difference and ratio to it, the index of disparity, and the
population-weighted between-group variance and Theil index. The place-level results
of the three are checked equal, and group-level differences/ratios by checksum.

Each implementation runs in its own subprocess so that its peak memory
(``ru_maxrss``, which sees polars' and DuckDB's native allocations) is its own;
``--in-process`` runs all three in this process instead (one shared peak).

    .venv/bin/python benchmarks/equity.py            # full table (~6.6 M rows)
    .venv/bin/python benchmarks/equity.py --quick    # small table, seconds
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from commonground.measurement.domain.equity import (
    RSE_30_RELATIVE_CI_WIDTH,
    equity_frame,
)

SEED = 20250101
GROUPS = ["total", "white", "black", "hispanic", "asian", "aian", "nhopi"]
KEYS = ["indicator_id", "place", "period"]
PLACE_COLUMNS = [
    *KEYS,
    "reference_group",
    "reference_value",
    "index_of_disparity",
    "between_group_variance",
    "theil_index",
]


def lower_is_better_map(n_indicators: int) -> dict[str, bool]:
    """Every other indicator is lower-is-better."""
    return {f"ind{i:02d}": i % 2 == 1 for i in range(n_indicators)}


def generate(n_places: int, n_indicators: int, n_periods: int, seed: int = SEED) -> pl.DataFrame:
    """Return a tidy table with categorical keys; about 10% of group values are missing."""
    rng = np.random.default_rng(seed)
    n_groups = len(GROUPS) - 1
    shape = (n_indicators, n_places, n_periods, n_groups)
    base = rng.uniform(20, 200, size=(n_indicators, 1, 1, 1))
    group_effect = rng.uniform(0.6, 1.6, size=(n_indicators, 1, 1, n_groups))
    place_effect = rng.lognormal(0, 0.2, size=(1, n_places, 1, 1))
    trend = 1 + 0.01 * np.arange(n_periods).reshape(1, 1, n_periods, 1)
    rate = base * group_effect * place_effect * trend * rng.lognormal(0, 0.05, size=shape)
    population = np.round(rng.lognormal(8.0, 1.6, size=(1, n_places, 1, n_groups)) * np.ones(shape))
    numerator = np.round(rate / 1000 * population)
    value = numerator / population * 1000
    missing = rng.random(shape) < 0.10
    value[missing] = np.nan
    numerator[missing] = np.nan
    # The total: all people and events of the place.
    pop_total = population.sum(axis=3, keepdims=True)
    num_total = np.nansum(numerator, axis=3, keepdims=True)
    value_total = num_total / pop_total * 1000
    values = np.concatenate([value_total, value], axis=3)
    numerators = np.concatenate([num_total, numerator], axis=3)
    populations = np.concatenate([pop_total, population], axis=3)
    se = values / np.sqrt(np.maximum(numerators, 1))
    n = values.size
    idx = np.indices(values.shape).reshape(4, n)
    indicator_names = [f"ind{i:02d}" for i in range(n_indicators)]
    place_names = [f"{1000 + i:05d}" for i in range(n_places)]
    period_names = [str(2015 + i) for i in range(n_periods)]

    def cat(names: list[str], codes: np.ndarray) -> pl.Series:
        return pl.Series(np.array(names)[codes]).cast(pl.Categorical)

    flat = values.reshape(n)
    return pl.DataFrame(
        {
            "indicator_id": cat(indicator_names, idx[0]),
            "place": cat(place_names, idx[1]),
            "period": cat(period_names, idx[2]),
            "group": cat(GROUPS, idx[3]),
            "value": flat,
            "numerator": numerators.reshape(n),
            "population": populations.reshape(n),
            "ci_low": flat - 1.96 * se.reshape(n),
            "ci_high": flat + 1.96 * se.reshape(n),
        },
        nan_to_null=True,
    ).with_columns(pl.col("numerator").fill_nan(None))


# --- the three implementations ----------------------------------------------------------


def run_polars(data: Any, lower: dict[str, bool]) -> tuple[pl.DataFrame, dict[str, float]]:
    result = equity_frame(data, lower_is_better=lower)
    places = result.places.select(PLACE_COLUMNS)
    checks = result.groups.select(
        pl.col("difference").sum().alias("difference_sum"),
        pl.col("ratio").sum().alias("ratio_sum"),
        pl.col("difference").count().alias("difference_count"),
        (~pl.col("reliable")).sum().alias("unreliable_count"),
    ).row(0, named=True)
    return places, checks


def run_pandas(df: Any, lower: dict[str, bool]) -> tuple[pl.DataFrame, dict[str, float]]:
    import pandas as pd

    value = df["value"].to_numpy(dtype="float64", na_value=np.nan)
    num = df["numerator"].to_numpy(dtype="float64", na_value=np.nan)
    pop = df["population"].to_numpy(dtype="float64", na_value=np.nan)
    width = df["ci_high"].to_numpy(dtype="float64", na_value=np.nan) - df["ci_low"].to_numpy(
        dtype="float64", na_value=np.nan
    )
    suppressed = (num >= 1) & (num <= 10)
    few = num < 20
    with np.errstate(divide="ignore", invalid="ignore"):
        wide = (value != 0) & (width / np.abs(value) > RSE_30_RELATIVE_CI_WIDTH)
    flags = suppressed * 1 + few * 2 + wide * 4
    value = np.where(suppressed, np.nan, value)
    higher = ~df["indicator_id"].map(lower).astype(bool).to_numpy()
    is_total = (df["group"] == "total").to_numpy()
    eligible = (flags == 0) & ~is_total & ~np.isnan(value)
    v = np.where(eligible, value, np.nan)
    p = np.where(eligible, pop, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        work = pd.DataFrame(
            {
                "indicator_id": df["indicator_id"],
                "place": df["place"],
                "period": df["period"],
                "group": df["group"],
                "value": value,
                "score": np.where(higher, v, -v),
                "v": v,
                "p": p,
                "pv": p * v,
                "pvv": p * v * v,
                "pvlnv": np.where(v > 0, p * v * np.log(v), 0.0),
                "no_pop": eligible & np.isnan(pop),
                "eligible": eligible,
                "total_value": np.where(is_total, value, np.nan),
            }
        )
    grouped = work.groupby(KEYS, observed=True, sort=False)
    best = grouped["score"].transform("max").to_numpy()
    reference_value = np.where(higher, best, -best)
    with np.errstate(divide="ignore", invalid="ignore"):
        difference = value - reference_value
        ratio = np.where(reference_value != 0, value / reference_value, np.nan)
    # Ties: the first of the best rows is the reference.
    candidates = work.index[eligible & (work["score"].to_numpy() == best)]
    first = work.loc[candidates, KEYS].drop_duplicates(KEYS).index
    is_ref = np.zeros(len(work), dtype=bool)
    is_ref[first] = True
    work["is_ref"] = is_ref
    with np.errstate(divide="ignore", invalid="ignore"):
        work["gap"] = np.where(
            eligible & ~is_ref, np.abs(v - reference_value) / reference_value, np.nan
        )
    work["reference_value"] = reference_value
    places = grouped.agg(
        reference_value=("reference_value", "first"),
        n=("eligible", "sum"),
        gap=("gap", "mean"),
        p=("p", "sum"),
        pv=("pv", "sum"),
        pvv=("pvv", "sum"),
        pvlnv=("pvlnv", "sum"),
        no_pop=("no_pop", "sum"),
        total_value=("total_value", "first"),
    ).reset_index()
    refs = work.loc[is_ref, [*KEYS, "group"]].drop_duplicates(KEYS)
    places = places.merge(refs.rename(columns={"group": "reference_group"}), on=KEYS, how="left")
    mean = places["pv"] / places["p"]
    with_pop = (places["n"] > 0) & (places["no_pop"] == 0) & (places["p"] > 0)
    places["index_of_disparity"] = np.where(places["n"] > 1, places["gap"] * 100, np.nan)
    places["between_group_variance"] = np.where(
        with_pop, (places["pvv"] / places["p"] - mean * mean).clip(lower=0), np.nan
    )
    places["theil_index"] = np.where(
        with_pop, places["pvlnv"] / places["pv"] - np.log(mean), np.nan
    )
    out = pl.from_pandas(places[PLACE_COLUMNS])
    checks = {
        "difference_sum": float(np.nansum(difference)),
        "ratio_sum": float(np.nansum(ratio)),
        "difference_count": int(np.count_nonzero(~np.isnan(difference))),
        "unreliable_count": int(np.count_nonzero(flags != 0)),
    }
    return out, checks


DUCKDB_STEPS = [
    """
CREATE OR REPLACE TEMP TABLE scored AS
WITH base AS (
    SELECT *,
        (CASE WHEN numerator BETWEEN 1 AND 10 THEN 1 ELSE 0 END)
        + (CASE WHEN numerator < 20 THEN 2 ELSE 0 END)
        + (CASE WHEN value <> 0 AND (ci_high - ci_low) / abs(value) > {rse} THEN 4 ELSE 0 END)
            AS flags
    FROM obs
), shown AS (
    SELECT indicator_id, place, period, "group", population, flags, higher,
        CASE WHEN flags & 1 = 1 THEN NULL ELSE value END AS value,
        flags = 0 AND "group" <> 'total' AND value IS NOT NULL AS eligible
    FROM base JOIN directions USING (indicator_id)
)
SELECT *, CASE WHEN eligible THEN (CASE WHEN higher THEN value ELSE -value END) END AS score
FROM shown
""",
    """
CREATE OR REPLACE TEMP TABLE refv AS
SELECT indicator_id, place, period,
    CASE WHEN bool_or(higher) THEN max(score) ELSE -max(score) END AS reference_value,
    arg_max("group", score) FILTER (WHERE eligible) AS reference_group,
    count(*) FILTER (WHERE eligible) AS n,
    sum(population) FILTER (WHERE eligible) AS p,
    sum(population * value) FILTER (WHERE eligible) AS pv,
    sum(population * value * value) FILTER (WHERE eligible) AS pvv,
    sum(CASE WHEN value > 0 THEN population * value * ln(value) ELSE 0 END)
        FILTER (WHERE eligible) AS pvlnv,
    count(*) FILTER (WHERE eligible AND population IS NULL) AS no_pop,
    first(value) FILTER (WHERE "group" = 'total') AS total_value
FROM scored
GROUP BY ALL
""",
    """
CREATE OR REPLACE TEMP TABLE groups_out AS
SELECT s.*, r.reference_value, r.reference_group,
    s.value - r.reference_value AS difference,
    CASE WHEN r.reference_value <> 0 THEN s.value / r.reference_value END AS ratio
FROM scored s JOIN refv r USING (indicator_id, place, period)
""",
]

DUCKDB_PLACES = """
SELECT r.indicator_id, r.place, r.period, r.reference_group, r.reference_value,
    CASE WHEN r.n > 1 THEN g.gap * 100 END AS index_of_disparity,
    CASE WHEN r.n > 0 AND r.no_pop = 0 AND r.p > 0
        THEN greatest(r.pvv / r.p - (r.pv / r.p) * (r.pv / r.p), 0) END
        AS between_group_variance,
    CASE WHEN r.n > 0 AND r.no_pop = 0 AND r.p > 0
        THEN r.pvlnv / r.pv - ln(r.pv / r.p) END AS theil_index
FROM refv r LEFT JOIN (
    SELECT indicator_id, place, period,
        avg(abs(value - reference_value) / reference_value) AS gap
    FROM groups_out
    WHERE eligible AND "group" <> reference_group
    GROUP BY ALL
) g USING (indicator_id, place, period)
"""


def run_duckdb(con: Any, lower: dict[str, bool]) -> tuple[pl.DataFrame, dict[str, float]]:
    for step in DUCKDB_STEPS:
        con.execute(step.format(rse=RSE_30_RELATIVE_CI_WIDTH))
    places = pl.from_arrow(con.sql(DUCKDB_PLACES).fetch_arrow_table())
    checks = con.execute(
        "SELECT sum(difference) AS difference_sum, sum(ratio) AS ratio_sum, "
        "count(difference) AS difference_count, count(*) FILTER (WHERE flags <> 0) "
        "AS unreliable_count FROM groups_out"
    ).fetchone()
    assert checks is not None
    names = ["difference_sum", "ratio_sum", "difference_count", "unreliable_count"]
    return places, dict(zip(names, checks, strict=True))


# --- loading ------------------------------------------------------------------------------


def load(impl: str, path: Path, lower: dict[str, bool]) -> Any:
    if impl == "polars":
        if path.suffix == ".parquet":
            return pl.read_parquet(path)
        return pl.read_csv(
            path,
            schema_overrides={k: pl.Categorical for k in [*KEYS, "group"]},
        )
    if impl == "pandas":
        import pandas as pd

        if path.suffix == ".parquet":
            return pd.read_parquet(path)
        return pd.read_csv(path, dtype={k: "category" for k in [*KEYS, "group"]}, engine="pyarrow")
    if impl == "pandas-str":
        # The same pandas code on the string keys a plain read gives (no categorical tuning).
        import pandas as pd

        keys = [*KEYS, "group"]
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
            return frame.astype({k: "object" for k in keys}).astype({k: "str" for k in keys})
        return pd.read_csv(path, dtype={k: "str" for k in keys})
    import duckdb

    con = duckdb.connect()
    reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
    options = (
        "" if path.suffix == ".parquet" else ", types={'period': 'VARCHAR', 'place': 'VARCHAR'}"
    )
    # The path is the benchmark's own temporary file, not user input.
    con.execute(f"CREATE TABLE obs AS SELECT * FROM {reader}('{path}'{options})")  # noqa: S608
    con.execute("CREATE TABLE directions (indicator_id VARCHAR, higher BOOLEAN)")
    con.executemany("INSERT INTO directions VALUES (?, ?)", [(k, not v) for k, v in lower.items()])
    return con


RUNNERS: dict[str, Callable[[Any, dict[str, bool]], tuple[pl.DataFrame, dict[str, float]]]] = {
    "polars": run_polars,
    "pandas": run_pandas,
    "pandas-str": run_pandas,
    "duckdb": run_duckdb,
}


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(impl: str, data_dir: Path, mode: str, repeat: int, n_indicators: int) -> dict[str, Any]:
    lower = lower_is_better_map(n_indicators)
    if mode == "csv":
        start = time.perf_counter()
        load(impl, data_dir / "table.csv", lower)
        return {"load_csv": time.perf_counter() - start, "maxrss_mb": maxrss_mb()}
    start = time.perf_counter()
    data = load(impl, data_dir / "table.parquet", lower)
    loaded = time.perf_counter() - start
    rss_loaded = maxrss_mb()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        places, checks = RUNNERS[impl](data, lower)
        times.append(time.perf_counter() - start)
    places.with_columns(
        pl.col(c).cast(pl.String) for c in [*KEYS, "reference_group"]
    ).write_parquet(data_dir / f"places_{impl}.parquet")
    return {
        "load_parquet": loaded,
        "compute": min(times),
        "compute_all": times,
        "maxrss_loaded_mb": rss_loaded,
        "maxrss_mb": maxrss_mb(),
        "checks": checks,
    }


def compare(data_dir: Path, impls: list[str], results: dict[str, dict[str, Any]]) -> list[str]:
    """Return the differences between the implementations' results (empty when equal)."""
    problems = []
    frames = {i: pl.read_parquet(data_dir / f"places_{i}.parquet").sort(KEYS) for i in impls}
    first = impls[0]
    for other in impls[1:]:
        a, b = frames[first], frames[other]
        if a.height != b.height:
            problems.append(f"{first} has {a.height} place rows, {other} {b.height}")
            continue
        for column in PLACE_COLUMNS[3:]:
            x, y = a[column], b[column]
            if x.dtype == pl.String:
                if not (x.fill_null("") == y.fill_null("")).all():
                    problems.append(f"{column} differs between {first} and {other}")
            else:
                xn, yn = x.to_numpy().astype(float), y.to_numpy().astype(float)
                if not np.allclose(xn, yn, rtol=1e-9, atol=1e-9, equal_nan=True):
                    problems.append(f"{column} differs between {first} and {other}")
        ca, cb = results[first]["checks"], results[other]["checks"]
        for key in ca:
            if not np.isclose(float(ca[key]), float(cb[key]), rtol=1e-9):
                problems.append(f"group {key} differs: {first} {ca[key]} vs {other} {cb[key]}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="small table (300 places, 5 indicators)"
    )
    parser.add_argument("--repeat", type=int, default=None, help="compute runs per implementation")
    parser.add_argument("--in-process", action="store_true", help="run all implementations here")
    parser.add_argument("--impl", action="append", choices=list(RUNNERS), help="limit to these")
    parser.add_argument("--worker", choices=list(RUNNERS), help=argparse.SUPPRESS)
    parser.add_argument(
        "--mode", choices=["parquet", "csv"], default="parquet", help=argparse.SUPPRESS
    )
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--indicators", type=int, default=30, help=argparse.SUPPRESS)
    args = parser.parse_args()
    places, indicators, periods = (300, 5, 4) if args.quick else (3143, 30, 10)
    repeat = args.repeat or (3 if args.quick else 2)
    if args.worker:
        print(json.dumps(worker(args.worker, args.data, args.mode, repeat, args.indicators)))
        return
    impls = args.impl or list(RUNNERS)
    with tempfile.TemporaryDirectory(prefix="cg-equity-bench-") as tmp:
        data_dir = Path(tmp)
        start = time.perf_counter()
        table = generate(places, indicators, periods)
        print(
            f"table: {table.height:,} rows ({places} places × {indicators} indicators × "
            f"{periods} periods × {len(GROUPS)} groups), generated in "
            f"{time.perf_counter() - start:.1f} s (seed {SEED})"
        )
        table.write_parquet(data_dir / "table.parquet")
        table.write_csv(data_dir / "table.csv")
        del table
        results: dict[str, dict[str, Any]] = {}
        for impl in impls:
            if args.in_process:
                results[impl] = worker(impl, data_dir, "parquet", repeat, indicators)
                results[impl] |= {
                    "load_csv": worker(impl, data_dir, "csv", 1, indicators)["load_csv"]
                }
                continue
            command = [sys.executable, __file__, "--worker", impl, "--data", str(data_dir)]
            command += ["--repeat", str(repeat), "--indicators", str(indicators)]
            out = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
            results[impl] = json.loads(out.stdout)
            csv_command = [*command, "--mode", "csv"]
            out = subprocess.run(csv_command, capture_output=True, text=True, check=True)  # noqa: S603
            csv_result = json.loads(out.stdout)
            results[impl]["load_csv"] = csv_result["load_csv"]
            results[impl]["maxrss_csv_mb"] = csv_result["maxrss_mb"]
        problems = compare(data_dir, impls, results)
    ours = results.get("polars", {}).get("compute")
    label = {
        "polars": "polars (ours)",
        "pandas": "pandas, categ.",
        "pandas-str": "pandas, strings",
        "duckdb": "DuckDB SQL",
    }
    print(f"\n{'implementation':<16}{'compute s':>10}{'vs ours':>9}{'parquet s':>11}{'csv s':>8}"
          f"{'peak MB':>9}{'csv peak MB':>12}")  # fmt: skip
    for impl in impls:
        r = results[impl]
        ratio = f"{r['compute'] / ours:.1f}×" if ours else "-"
        csv_peak = f"{r['maxrss_csv_mb']:.0f}" if "maxrss_csv_mb" in r else "-"
        print(
            f"{label[impl]:<16}{r['compute']:>10.2f}{ratio:>9}{r['load_parquet']:>11.2f}"
            f"{r['load_csv']:>8.2f}{r['maxrss_mb']:>9.0f}{csv_peak:>12}"
        )
    if args.in_process:
        print(f"(in one process: peak memory is shared, {maxrss_mb():.0f} MB in all)")
    print("runs:", {impl: [round(t, 2) for t in results[impl]["compute_all"]] for impl in impls})
    if problems:
        print("RESULTS DIFFER:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print(f"results equal across {', '.join(impls)}")


if __name__ == "__main__":
    main()
