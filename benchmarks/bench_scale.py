"""Benchmark of issue 16 (scale): evalsoc against its floors and peers on one large file.

A seeded 20-column participants file (persons × 2 waves; CSV `;` and Parquet) at 10^5 and
10^6 rows (10^7 with `--huge`). Each contender runs in a fresh child process; its time is
measured inside the child after its imports (imports are the start-up figure, measured apart),
its peak memory is the child's RSS high-water mark (`ru_maxrss` from `os.wait4`, imports
included, so that every contender carries its interpreter alike):

- floor: pandas load only (`read_csv(engine="pyarrow")` / `read_parquet` of the same file);
- evalsoc: validation + 30 indicators (`run_framework(..., write=False)`), and the same
  plus one capability set and one difference in differences (the "full" row);
- the same validation and indicators hand-written in pandas (the library the floor names: the
  lower bound of its path, without evalsoc's hash, audit and intervals; `check_pandas_by_hand.py`
  checks its figures against evalsoc's results.json);
- peer: the same work hand-written in polars (checks, the 30 indicators' grouped sufficient
  statistics and medians, the capability headcounts, the 2×2 DiD with its robust SE);
- peer: one DuckDB SQL statement doing the same checks and aggregates (grouping sets).

`--engine NAME` is passed to evalsoc as the framework's `engine:` key (pandas, the default,
writes none); an engine evalsoc does not know stops the benchmark before anything runs.
The start-up figure compares `evalsoc validate` on a tiny framework with
`python -c "import pandas, pyarrow"` (alternated runs, median wall time, paired ratio).

    python benchmarks/bench_scale.py                       # 10^5 and 10^6, CSV and Parquet
    python benchmarks/bench_scale.py --sizes 100000 --repeat 1
    python benchmarks/bench_scale.py --huge                # adds 10^7 rows
    python benchmarks/bench_scale.py --engine duckdb

Writes benchmarks/results_scale.md (gathered into results.md by run_all.py).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SEED = 20261129

NUMERIC = [f"x{i}" for i in range(8)]
LIKERT = [f"q{i}" for i in range(4)]
BOOLS = ["employed", "housed", "trained"]
CATS = {
    "site": [f"s{i}" for i in range(20)],
    "group": ["programme", "comparaison"],
    "sexe": ["F", "H"],
}
EFFECT = 0.05  # true DiD effect on `employed` planted by make_data
BAD_SHARE = 0.001  # rows given one invalid value (quarantined by every contender)


# ---------------------------------------------------------------- data and framework


def make_data(n: int, csv: Path, parquet: Path) -> None:
    """n rows = n/2 persons × 2 waves, 20 columns, a few invalid values; seeded."""
    frame = make_frame(n, np.random.default_rng([SEED, n]))
    frame.to_csv(csv, index=False, sep=";")
    frame.to_parquet(parquet, index=False)


def make_data_in_chunks(n: int, csv: Path | None, parquet: Path, chunk: int = 5_000_000) -> None:
    """The same process as `make_data`, written chunk by chunk with pyarrow's writers (memory
    stays one chunk's, for 10^8 rows); chunk k is seeded by (SEED, n, k), ids run on."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    parquet_writer = csv_writer = None
    try:
        for k, start in enumerate(range(0, n, chunk)):
            rows = min(chunk, n - start)
            frame = make_frame(rows, np.random.default_rng([SEED, n, k]), first_id=start)
            table = pa.Table.from_pandas(frame, preserve_index=False)
            if parquet_writer is None:
                parquet_writer = pq.ParquetWriter(parquet, table.schema)
                if csv is not None:
                    options = pacsv.WriteOptions(delimiter=";")
                    csv_writer = pacsv.CSVWriter(csv, table.schema, write_options=options)
            parquet_writer.write_table(table)
            if csv_writer is not None:
                csv_writer.write_table(table)
    finally:
        for writer in (parquet_writer, csv_writer):
            if writer is not None:
                writer.close()


def make_frame(n: int, rng: np.random.Generator, first_id: int = 0):
    """n rows (n/2 persons × 2 waves) drawn from `rng`; ids from `first_id`."""
    import pandas as pd

    persons = n // 2
    wave = np.tile([0, 1], persons)
    programme = np.repeat(rng.random(persons) < 0.5, 2)
    frame = pd.DataFrame({"id": np.arange(first_id, first_id + n)})
    for c in NUMERIC:
        frame[c] = rng.normal(100, 15, n).round(2)
    for c in LIKERT:
        frame[c] = rng.integers(1, 6, n)
    p = 0.3 + 0.05 * wave + 0.02 * programme + EFFECT * (programme & (wave == 1))
    frame["employed"] = np.where(rng.random(n) < p, "oui", "non")
    for c in BOOLS[1:]:
        frame[c] = np.where(rng.random(n) < 0.4, "oui", "non")
    frame["site"] = np.repeat(rng.choice(CATS["site"], persons), 2)
    frame["group"] = np.where(programme, "programme", "comparaison")
    frame["sexe"] = np.repeat(rng.choice(CATS["sexe"], persons), 2)
    frame["wave"] = wave
    bad = np.flatnonzero(rng.random(n) < BAD_SHARE)
    kinds = rng.integers(0, 3, bad.size)
    frame.loc[bad[kinds == 0], "x0"] = -1.0  # below min 0
    frame.loc[bad[kinds == 1], "q0"] = 7  # outside the 1..5 scale
    frame.loc[bad[kinds == 2], "site"] = "s99"  # not a declared value
    assert frame.shape[1] == 20
    return frame


def framework_yaml(data_file: Path, engine: str, full: bool) -> str:
    cols = {
        "id": "{type: integer, unique: true}",
        "wave": "{type: integer, values: [0, 1]}",
    }
    cols |= {c: "{type: number, min: 0, max: 1000}" for c in NUMERIC}
    cols |= {c: "{type: likert, levels: 5}" for c in LIKERT}
    cols |= {c: "{type: boolean}" for c in BOOLS}
    cols |= {c: "{type: category, values: [" + ", ".join(v) + "]}" for c, v in CATS.items()}
    columns = "\n".join(f"      {k}: {v}" for k, v in cols.items())
    ind = []
    for i, c in enumerate(NUMERIC):
        ind.append(f"{{id: mean_{c}, mean: {c}, by: [site]}}")
        if i < 4:
            ind.append(f"{{id: median_{c}, median: {c}, by: [group]}}")
    for c in BOOLS:
        ind.append(f"{{id: prop_{c}, proportion: {c}, by: [site, group]}}")
        ind.append(f'{{id: prop_{c}_w1, proportion: {c}, where: "wave == 1"}}')
    for c in LIKERT:
        ind.append(f"{{id: share_{c}, share: {c}, values: [4, 5], by: [sexe]}}")
    for i in range(4):
        ind.append(f"{{id: rate_{i}, rate: [x{i}, x{i + 4}], by: [site]}}")
    ind.append("{id: count_prog, count: \"group == 'programme'\", by: [site]}")
    ind.append("{id: sum_x0, sum: x0, by: [group]}")
    ind.append(
        "{id: mean_q0_w1, mean: q0, where: \"wave == 1 and group == 'programme'\", by: [sexe]}"
    )
    ind.append("{id: median_q1, median: q1, by: [site]}")
    assert len(ind) == 30, len(ind)
    text = (
        "evalsoc: 1\nid: bench-scale\ntitle: bench scale\nprivacy: {min_cell: 10}\n"
        + (f"engine: {engine}\n" if engine != "pandas" else "")
        + f"data:\n  d:\n    file: {data_file}\n    key: [id]\n    columns:\n"
        + textwrap.indent(columns, "  ")
        + "\ndimensions:\n  - id: d1\n    criteria:\n      - id: c1\n        indicators:\n"
        + "".join(f"          - {line}\n" for line in ind)
    )
    if full:
        text += textwrap.dedent("""\
            capabilities:
              - id: cap
                data: d
                dimensions:
                  - {id: confiance, items: [q0, q1], cutoff: 3, weight: 1/3}
                  - {id: reseau, items: [q2], cutoff: 3, weight: 1/3}
                  - {id: autonomie, items: [q3], cutoff: 3, weight: 1/3}
                k: [1/3]
                by: [sexe]
            effects:
              - id: did_emploi
                design: did
                data: d
                outcome: employed
                treatment: "group == 'programme'"
                post: "wave == 1"
                se: robust
            """)
    return text


# ---------------------------------------------------------------- contenders (child code)

FLOOR = """
import pandas as pd
if PARQUET:
    frame = pd.read_parquet(FILE)
else:
    frame = pd.read_csv(FILE, sep=";", engine="pyarrow")
"""

# The data's size is measured after the timer stops: it is not reading (round 8).
FLOOR_SIZE = "SIZE = int(frame.memory_usage(deep=True).sum())"

FLOOR_IMPORTS = "import pandas, pyarrow, pyarrow.parquet"

EVALSOC = """
from evalsoc.pipeline import run_framework
results = run_framework(FRAMEWORK, write=False)
SIZE = 0
"""

EVALSOC_IMPORTS = """
# pandera first through evalsoc's own import (data/pandera_import.py), as a run imports it: an
# `import pandera.pandas` before it made the first validation import hypothesis (≈ 0.6 s CPU)
# inside the timed span, which `evalsoc run` never does (round 5).
from evalsoc.data.pandera_import import pandera_pandas; pandera_pandas()  # + pandera's checks
import pandas, pyarrow, pyarrow.parquet, numpy, scipy.stats, statsmodels.api, pandera.pandas
import evalsoc.pipeline, evalsoc.framework.load, evalsoc.data.intake, evalsoc.data.validate
import evalsoc.sections.registry, evalsoc.sections.indicators.compute, evalsoc.results
import evalsoc.sections.capabilities.compute, evalsoc.sections.effects.compute
import evalsoc.framework.model  # the framework's pydantic models are built at import
"""

POLARS_IMPORTS = "import polars as pl, numpy as np"

POLARS = """
NUMERIC = [f"x{i}" for i in range(8)]; LIKERT = [f"q{i}" for i in range(4)]
BOOLS = ["employed", "housed", "trained"]
CATS = {"site": [f"s{i}" for i in range(20)], "group": ["programme", "comparaison"], "sexe": ["F", "H"]}
df = pl.read_parquet(FILE) if PARQUET else pl.read_csv(FILE, separator=";")
checks = [pl.col(c).is_between(0, 1000) for c in NUMERIC]
checks += [pl.col(c).is_in([1, 2, 3, 4, 5]) for c in LIKERT]
checks += [pl.col(c).str.to_lowercase().is_in(["oui", "non"]) for c in BOOLS]
checks += [pl.col(c).is_in(v) for c, v in CATS.items()]
checks += [pl.col("wave").is_in([0, 1]), pl.col("id").is_duplicated().not_()]
ok = pl.all_horizontal([c.fill_null(False) for c in checks])
clean = df.filter(ok).with_columns([(pl.col(c).str.to_lowercase() == "oui") for c in BOOLS])
QUARANTINED = df.height - clean.height
def stats(frame, by, col):
    e = pl.col(col).cast(pl.Float64)
    aggs = [e.count().alias("n"), e.sum().alias("s"), (e * e).sum().alias("ss")]
    return (frame.group_by(by).agg(aggs) if by else frame.select(aggs))
out = {}
for i, c in enumerate(NUMERIC):
    out["mean_" + c] = (stats(clean, None, c), stats(clean, ["site"], c))
    if i < 4:
        out["median_" + c] = (clean[c].median(), clean.group_by("group").agg(pl.col(c).median()))
for c in BOOLS:
    out["prop_" + c] = (stats(clean, None, c), stats(clean, ["site", "group"], c))
    out["prop_w1_" + c] = stats(clean.filter(pl.col("wave") == 1), None, c)
for c in LIKERT:
    hit = clean.with_columns(pl.col(c).is_in([4, 5]).alias("hit"))
    out["share_" + c] = (stats(hit, None, "hit"), stats(hit, ["sexe"], "hit"),
                         clean.group_by(c).agg(pl.len()))
for i in range(4):
    y, x = pl.col(f"x{i}"), pl.col(f"x{i + 4}")
    aggs = [pl.len().alias("n"), y.sum(), x.sum(), (y * y).sum().alias("yy"),
            (x * x).sum().alias("xx"), (x * y).sum().alias("xy")]
    out[f"rate_{i}"] = (clean.select(aggs), clean.group_by("site").agg(aggs))
out["count_prog"] = clean.group_by("site").agg((pl.col("group") == "programme").sum())
out["sum_x0"] = stats(clean, ["group"], "x0")
sub = clean.filter((pl.col("wave") == 1) & (pl.col("group") == "programme"))
out["mean_q0_w1"] = (stats(sub, None, "q0"), stats(sub, ["sexe"], "q0"))
out["median_q1"] = (clean["q1"].median(), clean.group_by("site").agg(pl.col("q1").median()))
if FULL:
    deprived = clean.select(
        ((pl.col("q0") + pl.col("q1")) / 2 < 3).alias("d1"), (pl.col("q2") < 3).alias("d2"),
        (pl.col("q3") < 3).alias("d3"), pl.col("sexe"))
    scored = deprived.with_columns(
        ((pl.col("d1").cast(pl.Int64) + pl.col("d2") + pl.col("d3"))).alias("score"))
    scored = scored.with_columns((pl.col("score") >= 1).alias("poor"))
    cap_aggs = [pl.len().alias("n"), pl.col("poor").sum().alias("q"),
                (pl.col("poor") * pl.col("score")).sum().alias("m0")]
    cap_aggs += [(pl.col("poor") & pl.col(d)).sum().alias("c_" + d) for d in ("d1", "d2", "d3")]
    out["capability"] = (scored.select(cap_aggs), scored.group_by("sexe").agg(cap_aggs))
    cells = clean.group_by(["group", "wave"]).agg(
        pl.len().alias("n"), pl.col("employed").cast(pl.Float64).mean().alias("m"),
        pl.col("employed").cast(pl.Float64).var().alias("v"))
    c = {(r["group"], r["wave"]): r for r in cells.iter_rows(named=True)}
    did = (c[("programme", 1)]["m"] - c[("programme", 0)]["m"]) - (c[("comparaison", 1)]["m"] - c[("comparaison", 0)]["m"])
    se = sum(r["v"] * (r["n"] - 1) / r["n"] / r["n"] for r in c.values()) ** 0.5
    out["did"] = (did, se)
SIZE = 0
"""

PANDAS_IMPORTS = "import pandas as pd, numpy as np, pyarrow, pyarrow.parquet"

# The same validation and 30 indicators written by hand in pandas (round 10): the lower bound
# of what the library the floor names can do, without evalsoc's obligations. Kept: every
# declared check (ranges, Likert levels, booleans in evalsoc's spellings, categories, waves,
# unique id), a quarantine of the failing rows in memory (one line per failing cell: row,
# column, check, value and the row's cells, as invalid/*.csv), the booleans converted, and per
# indicator the overall value and n and each group's value and n (shares: each answer's count
# by group, as evalsoc publishes); cells of fewer than `min_cell` people blanked. Not done:
# provenance hash, the disclosure audit (differencing between cells), confidence intervals,
# per-row reconciliation reports, labels in two languages, results.json.
PANDAS = """
NUMERIC = [f"x{i}" for i in range(8)]; LIKERT = [f"q{i}" for i in range(4)]
BOOLS = ["employed", "housed", "trained"]
CATS = {"site": [f"s{i}" for i in range(20)], "group": ["programme", "comparaison"], "sexe": ["F", "H"]}
TRUE = ["oui", "vrai", "yes", "true", "1"]; FALSE = ["non", "faux", "no", "false", "0"]
MIN_CELL = 10
# step: read
df = pd.read_parquet(FILE) if PARQUET else pd.read_csv(FILE, sep=";", engine="pyarrow")
# step: checks and conversions
fails = {}
for c in NUMERIC:
    x = df[c].to_numpy()
    fails[c] = ("min 0 / max 1000", (x < 0) | (x > 1000))
for c in LIKERT:
    x = df[c].to_numpy()
    fails[c] = ("likert 1..5", (x < 1) | (x > 5))
fails["wave"] = ("values 0, 1", ~df["wave"].isin([0, 1]).to_numpy())
fails["id"] = ("unique", df["id"].duplicated(keep=False).to_numpy())
converted = {}
for c in [*BOOLS, *CATS]:  # text checked and converted once per distinct spelling
    cat = df[c].astype("category")
    codes = cat.cat.codes.to_numpy()  # -1: missing (allowed)
    if c in BOOLS:
        words = cat.cat.categories.str.strip().str.lower()
        yes, no = words.isin(TRUE), words.isin(FALSE)
        fails[c] = ("boolean", np.append(~(yes | no), False)[codes])
        converted[c] = np.append(yes, False)[codes]
    else:
        fails[c] = ("values", np.append(~cat.cat.categories.isin(CATS[c]), False)[codes])
        converted[c] = cat
# step: quarantine and clean rows
bad = np.zeros(len(df), dtype=bool)
parts = []
for c, (check, failed) in fails.items():
    rows = np.flatnonzero(failed)
    if rows.size:
        part = df.iloc[rows]
        parts.append(part.assign(_row=rows + 1, _column=c, _check=check, _value=part[c].astype(str)))
        bad |= failed
QUARANTINE = pd.concat(parts) if parts else df.iloc[:0]
QUARANTINED = int(bad.sum())
clean = df.assign(**converted)[~bad]
# step: indicators: means, medians, proportions
def blank(frame):  # a cell of fewer than MIN_CELL people is not shown
    return frame.mask(frame["n"] < MIN_CELL) if "n" in frame else frame
def mean_n(frame, cols, by):
    if by is None:
        return pd.DataFrame({"value": frame[cols].mean(), "n": frame[cols].count()})
    g = frame.groupby(by, observed=True)[cols]
    return g.mean().stack().rename("value").to_frame().join(g.count().stack().rename("n"))
out = {}
out["mean"] = (mean_n(clean, NUMERIC, None), blank(mean_n(clean, NUMERIC, "site")))
out["median"] = (clean[NUMERIC[:4]].median(), clean.groupby("group", observed=True)[NUMERIC[:4]].median(),
                 clean.groupby("group", observed=True).size())
out["prop"] = (mean_n(clean, BOOLS, None), blank(mean_n(clean, BOOLS, ["site", "group"])))
out["prop_w1"] = mean_n(clean[clean["wave"].to_numpy() == 1], BOOLS, None)
# step: indicators: shares, rates, counts, sums
hits = clean[LIKERT].isin([4, 5]).assign(sexe=clean["sexe"])
answers = {c: clean.groupby(["sexe", c], observed=True).size() for c in LIKERT}
out["share"] = (mean_n(hits, LIKERT, None), blank(mean_n(hits, LIKERT, "sexe")), answers)
sums = clean.groupby("site", observed=True)[NUMERIC].sum()  # n: the means' counts
rates = {i: sums[f"x{i}"] / sums[f"x{i + 4}"] for i in range(4)}
overall = {i: clean[f"x{i}"].sum() / clean[f"x{i + 4}"].sum() for i in range(4)}
out["rate"] = (overall, rates, sums)
programme = (clean["group"] == "programme").to_numpy()
out["count_prog"] = (int(programme.sum()), clean.assign(p=programme).groupby("site", observed=True)["p"].sum())
out["sum_x0"] = (clean["x0"].sum(), clean.groupby("group", observed=True)["x0"].agg(["sum", "count"]))
sub = clean[(clean["wave"].to_numpy() == 1) & programme]
out["mean_q0_w1"] = (mean_n(sub, ["q0"], None), blank(mean_n(sub, ["q0"], "sexe")))
out["median_q1"] = (clean["q1"].median(), clean.groupby("site", observed=True)["q1"].median())
SIZE = 0
"""

DUCKDB_IMPORTS = "import duckdb"

DUCKDB = """
NUMERIC = [f"x{i}" for i in range(8)]; LIKERT = [f"q{i}" for i in range(4)]
BOOLS = ["employed", "housed", "trained"]
CATS = {"site": [f"s{i}" for i in range(20)], "group": ["programme", "comparaison"], "sexe": ["F", "H"]}
def quoted(values):
    return ", ".join("'" + v + "'" for v in values)
source = (f"read_parquet('{FILE}')" if PARQUET else
          f"read_csv('{FILE}', delim=';', header=true)")
checks = [f"{c} BETWEEN 0 AND 1000" for c in NUMERIC]
checks += [f"{c} IN (1, 2, 3, 4, 5)" for c in LIKERT]
checks += [f"lower({c}) IN ('oui', 'non')" for c in BOOLS]
checks += [f'"{c}" IN ({quoted(v)})' for c, v in CATS.items()]
checks += ["wave IN (0, 1)", "count(*) OVER (PARTITION BY id) = 1"]
ok = " AND ".join(f"coalesce({c}, false)" for c in checks[:-1])
aggs = []
for c in NUMERIC:
    aggs += [f"count({c}) AS n_{c}", f"sum({c}) AS s_{c}", f"sum({c}*{c}) AS ss_{c}"]
for c in NUMERIC[:4] + ["q1"]:
    aggs.append(f"quantile_cont({c}, 0.5) AS med_{c}")
for c in BOOLS:
    aggs += [f"sum({c}::int) AS k_{c}", f"sum({c}::int) FILTER (WHERE wave = 1) AS kw1_{c}",
             f"count(*) FILTER (WHERE wave = 1) AS nw1_{c}"]
for c in LIKERT:
    aggs += [f"sum(({c} IN (4, 5))::int) AS hit_{c}"] + [f"sum(({c} = {v})::int) AS v{v}_{c}" for v in range(1, 6)]
for i in range(4):
    y, x = f"x{i}", f"x{i + 4}"
    aggs += [f"sum({y}*{x}) AS xy_{i}"]
aggs += ["sum((\\"group\\" = 'programme')::int) AS prog",
         "count(q0) FILTER (WHERE wave = 1 AND \\"group\\" = 'programme') AS n_q0w1",
         "sum(q0) FILTER (WHERE wave = 1 AND \\"group\\" = 'programme') AS s_q0w1",
         "sum(q0*q0) FILTER (WHERE wave = 1 AND \\"group\\" = 'programme') AS ss_q0w1",
         "count(*) AS n"]
if FULL:
    score = "(((q0 + q1) / 2 < 3)::int + (q2 < 3)::int + (q3 < 3)::int)"
    aggs += [f"sum(({score} >= 1)::int) AS cap_q", f"sum(({score} >= 1)::int * {score}) AS cap_m0"]
    aggs += [f"sum(({score} >= 1 AND {d})::int) AS cap_c{j}" for j, d in
             enumerate(["(q0 + q1) / 2 < 3", "q2 < 3", "q3 < 3"])]
    aggs += ["avg(employed::int) AS emp_m", "var_samp(employed::int) AS emp_v"]
sets = '(), (site), ("group"), (site, "group"), (sexe)' + (', ("group", wave)' if FULL else '')
sql = f'''
WITH raw AS (SELECT *, {checks[-1]} AS unique_id, {ok} AS ok FROM {source}),
clean AS (
  SELECT * REPLACE ({", ".join(f"lower({c}) = 'oui' AS {c}" for c in BOOLS)})
  FROM raw WHERE ok AND unique_id
)
SELECT site, "group", sexe, {"wave" if FULL else "NULL AS wave"}, {", ".join(aggs)}
FROM clean GROUP BY GROUPING SETS ({sets})
'''
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
result = con.execute(sql).fetchall()
SIZE = 0
"""

RUNNER = """
import json, resource, time, sys
FILE = {file!r}; FRAMEWORK = {fw!r}; PARQUET = {parquet!r}; FULL = {full!r}
{imports}
SIZE = 0
usage = resource.getrusage(resource.RUSAGE_SELF)
start, cpu = time.perf_counter(), time.process_time()
{code}
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
after = resource.getrusage(resource.RUSAGE_SELF)
{untimed}
print("BENCH_RESULT", json.dumps({{"seconds": seconds, "cpu": cpu, "size_mb": SIZE / 2**20,
                  "user": after.ru_utime - usage.ru_utime, "sys": after.ru_stime - usage.ru_stime}}))
"""


def measure(
    imports: str, code: str, data_file: Path, fw: Path | None, full: bool, untimed: str = ""
) -> dict:
    """Run one contender in a fresh child; its timed seconds (wall, CPU = user + system, both
    also apart) and its RSS high-water mark. `untimed` runs after the timer stops."""
    script = RUNNER.format(
        file=str(data_file),
        fw=str(fw) if fw else None,
        parquet=data_file.suffix == ".parquet",
        full=full,
        imports=textwrap.dedent(imports),
        code=textwrap.dedent(code),
        untimed=untimed,
    )
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen([sys.executable, "-c", script], stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode:
            raise RuntimeError(err.read().decode(errors="replace")[-3000:])
        lines = out.read().decode(errors="replace").splitlines()
        result = json.loads([x for x in lines if x.startswith("BENCH_RESULT ")][-1][13:])
    result["peak_mb"] = usage.ru_maxrss / 1024  # Linux: kilobytes
    return result


# ---------------------------------------------------------------- start-up


def startup(repeat: int, engine: str) -> dict:
    """`evalsoc validate` on a tiny framework against importing pandas and pyarrow."""
    folder = Path(tempfile.mkdtemp(prefix="bench-scale-startup-"))
    csv = folder / "tiny.csv"
    csv.write_text("id;x\n1;2\n2;3\n3;5\n", encoding="utf-8")
    fw = folder / "tiny.yaml"
    fw.write_text(
        "evalsoc: 1\nid: tiny\ntitle: tiny\n"
        + (f"engine: {engine}\n" if engine != "pandas" else "")
        + f"data:\n  d:\n    file: {csv}\n    columns:\n      id: {{type: integer}}\n"
        "      x: {type: number}\n"
        "dimensions:\n  - id: d\n    criteria:\n      - id: c\n        indicators:\n"
        "          - {id: m, mean: x, data: d}\n",
        encoding="utf-8",
    )
    a = [sys.executable, "-m", "evalsoc", "validate", str(fw)]
    b = [sys.executable, "-c", "import pandas, pyarrow"]
    c = [sys.executable, "-m", "evalsoc", "--help"]
    times: dict[str, list[float]] = {"validate": [], "imports": [], "help": []}
    ratios = []
    for i in range(repeat + 1):  # the first round warms the file cache, not counted
        round_times = {}
        for name, cmd in (("validate", a), ("imports", b), ("help", c)):
            start = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True)
            round_times[name] = time.perf_counter() - start
            if proc.returncode:
                raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.decode()[-2000:]}")
        if i:
            for name, t in round_times.items():
                times[name].append(t)
            ratios.append(round_times["validate"] / round_times["imports"])
    return {name: statistics.median(v) for name, v in times.items()} | {
        "ratio": statistics.median(ratios)
    }


# ---------------------------------------------------------------- main


def growth_exponent(rows: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(time) on log(rows): 1 is linear."""
    if len(rows) < 2:
        return float("nan")
    return float(np.polyfit(np.log(rows), np.log(seconds), 1)[0])


def check_engine(engine: str) -> None:
    try:
        from evalsoc.engines.registry import ENGINES
    except ImportError as exc:  # evalsoc not importable: say so, not a traceback
        sys.exit(f"bench_scale: cannot import evalsoc ({exc}); set PYTHONPATH=src")
    if engine not in ENGINES:
        sys.exit(f"bench_scale: unknown engine {engine!r}; evalsoc knows: {', '.join(ENGINES)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--huge", action="store_true", help="add 10^7 rows")
    parser.add_argument("--formats", nargs="+", default=["csv", "parquet"])
    parser.add_argument("--repeat", type=int, default=3, help="best of N interleaved runs")
    parser.add_argument("--engine", default="pandas", help="evalsoc engine (framework `engine:`)")
    parser.add_argument("--startup-repeat", type=int, default=7)
    parser.add_argument("--no-startup", action="store_true")
    parser.add_argument("--out", type=Path, default=HERE / "results_scale.md")
    args = parser.parse_args()
    check_engine(args.engine)
    sizes = args.sizes + ([10_000_000] if args.huge else [])
    DATA.mkdir(exist_ok=True)
    load = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    rows: list[dict] = []
    for n in sizes:
        csv, parquet = DATA / f"scale_{n}.csv", DATA / f"scale_{n}.parquet"
        if not (csv.exists() and parquet.exists()):
            make_data(n, csv, parquet)
        for fmt in args.formats:
            data_file = csv if fmt == "csv" else parquet
            fws = {}
            for full in (False, True):
                fw = DATA / f"scale_{n}_{fmt}_{'full' if full else 'ind'}_{args.engine}.yaml"
                fw.write_text(framework_yaml(data_file, args.engine, full), encoding="utf-8")
                fws[full] = fw
            contenders = {
                "floor": (FLOOR_IMPORTS, FLOOR, None, False),
                "evalsoc": (EVALSOC_IMPORTS, EVALSOC, fws[False], False),
                "polars": (POLARS_IMPORTS, POLARS, None, False),
                "pandas": (PANDAS_IMPORTS, PANDAS, None, False),
                "duckdb": (DUCKDB_IMPORTS, DUCKDB, None, False),
                "evalsoc_full": (EVALSOC_IMPORTS, EVALSOC, fws[True], True),
                "polars_full": (POLARS_IMPORTS, POLARS, None, True),
                "duckdb_full": (DUCKDB_IMPORTS, DUCKDB, None, True),
            }
            runs: dict[str, list[dict]] = {name: [] for name in contenders}
            for _ in range(args.repeat):  # interleaved: machine noise hits all alike
                for name, (imports, code, fw, full) in contenders.items():
                    untimed = FLOOR_SIZE if name == "floor" else ""
                    runs[name].append(measure(imports, code, data_file, fw, full, untimed))
            best = {k: min(v, key=lambda r: r["seconds"]) for k, v in runs.items()}
            row = {"rows": n, "format": fmt, "data_mb": best["floor"]["size_mb"]}
            for name, r in best.items():
                row[f"{name}_s"] = r["seconds"]
                row[f"{name}_cpu"] = r["cpu"]
                row[f"{name}_peak_mb"] = max(x["peak_mb"] for x in runs[name])
            rows.append(row)
            print(json.dumps(row), flush=True)
    start_up = None if args.no_startup else startup(args.startup_repeat, args.engine)
    write_markdown(args, rows, start_up, load, started)


def write_markdown(args, rows: list[dict], start_up: dict | None, load, started: str) -> None:
    def ratio(r: dict, a: str, b: str) -> str:
        return f"{r[a + '_s'] / r[b + '_s']:.2f}"

    md = [
        "## Scale (issue 16): pandas path against load-only, polars and DuckDB SQL",
        "",
        f"`python benchmarks/bench_scale.py {' '.join(sys.argv[1:])}`".replace(" `", "`"),
        f"(engine `{args.engine}`), {started}, {platform.machine()}, {os.cpu_count()} cores shared; "
        f"load average at the start {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}. Best of "
        f"{args.repeat} interleaved runs, each contender in a fresh process, imports not timed; "
        "CPU time = the child's process time over the same span (all its threads: polars and DuckDB "
        "use both cores, pandas mostly one). Peak = the child's RSS high-water mark (`ru_maxrss`, interpreter and imports included). "
        "20 columns, 0.1 % of rows with one invalid value. **ind** = validation + 30 indicators; "
        "**full** = the same + one capability set (3 dimensions, by sex) + one DiD (robust SE).",
        "",
        "| rows | file | data (MB) | floor: load (s) | evalsoc ind (s) | polars ind (s) "
        "| DuckDB SQL ind (s) | evalsoc / floor | same, CPU time | evalsoc / polars | evalsoc / DuckDB "
        "| evalsoc full (s) | polars full (s) | DuckDB full (s) | full / ind "
        "| peak MB: floor · evalsoc ind · evalsoc full · polars · DuckDB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        md.append(
            f"| {r['rows']:,} | {r['format']} | {r['data_mb']:.0f} | {r['floor_s']:.2f} "
            f"| {r['evalsoc_s']:.2f} | {r['polars_s']:.2f} | {r['duckdb_s']:.2f} "
            f"| {ratio(r, 'evalsoc', 'floor')} | {r['evalsoc_cpu'] / r['floor_cpu']:.2f} "
            f"| {ratio(r, 'evalsoc', 'polars')} "
            f"| {ratio(r, 'evalsoc', 'duckdb')} | {r['evalsoc_full_s']:.2f} "
            f"| {r['polars_full_s']:.2f} | {r['duckdb_full_s']:.2f} "
            f"| {ratio(r, 'evalsoc_full', 'evalsoc')} "
            f"| {r['floor_peak_mb']:.0f} · {r['evalsoc_peak_mb']:.0f} · "
            f"{r['evalsoc_full_peak_mb']:.0f} · {r['polars_peak_mb']:.0f} · "
            f"{r['duckdb_peak_mb']:.0f} |"
        )
    md += [
        "",
        'Each contender / the floor, "ind" (validation + 30 indicators), wall and CPU time '
        "(best run's): evalsoc, the same work hand-written in pandas (`PANDAS`: every check, the "
        "quarantine in memory, the 30 indicators' values and n by group; no hash, audit or "
        "intervals), polars, one DuckDB SQL statement:",
        "",
        "| rows | file | floor s · CPU s | evalsoc | pandas by hand | polars | DuckDB SQL |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        cells = [
            f"{r[k + '_s'] / r['floor_s']:.2f}× wall, {r[k + '_cpu'] / r['floor_cpu']:.2f}× CPU "
            f"({r[k + '_s']:.2f} s, {r[k + '_cpu']:.2f} CPU-s)"
            for k in ("evalsoc", "pandas", "polars", "duckdb")
        ]
        md.append(
            f"| {r['rows']:,} | {r['format']} | {r['floor_s']:.2f} · {r['floor_cpu']:.2f} | "
            + " | ".join(cells)
            + " |"
        )
    md += ["", "Growth exponent of time with rows (slope of log time on log rows; 1 = linear):", ""]
    md.append("| file | floor | evalsoc ind | evalsoc full | polars ind | DuckDB ind |")
    md.append("|---|---:|---:|---:|---:|---:|")
    for fmt in args.formats:
        sub = [r for r in rows if r["format"] == fmt]
        ns = [r["rows"] for r in sub]
        cells = [
            growth_exponent(ns, [r[f"{k}_s"] for r in sub])
            for k in ("floor", "evalsoc", "evalsoc_full", "polars", "duckdb")
        ]
        md.append(
            f"| {fmt} | " + " | ".join("—" if math.isnan(x) else f"{x:.2f}" for x in cells) + " |"
        )
    if start_up:
        md += [
            "",
            f"Start-up (median of {args.startup_repeat} alternated runs, whole processes): "
            f"`evalsoc validate` on a 3-row framework {start_up['validate']:.2f} s, "
            f'`python -c "import pandas, pyarrow"` {start_up["imports"]:.2f} s, ratio '
            f"**{start_up['ratio']:.2f}×** (target ≤ 1.5×); `evalsoc --help` "
            f"{start_up['help']:.2f} s.",
        ]
    md += [
        "",
        "Targets (pandas at 10^6 rows): evalsoc ind ≤ 1.8× the floor and ≤ 1.5× polars.",
        "",
    ]
    args.out.write_text("\n".join(md), encoding="utf-8")
    print("\n".join(md))


if __name__ == "__main__":
    main()
