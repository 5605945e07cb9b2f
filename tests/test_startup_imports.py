"""Start-up (issue 16): `evalsoc --help` and `evalsoc validate` load no scipy, statsmodels or
matplotlib; those are imported inside the functions that compute intervals, effects and charts.
`validate` does not load hypothesis either (pandera imports it for strategies evalsoc never uses),
nor the config models of sections the framework does not declare (framework/section_models.py),
nor the indicators' numeric code; and pydantic does not scan for plugins (cli/plugins.py)."""

from __future__ import annotations

import os
import subprocess
import sys

HEAVY = ("scipy", "statsmodels", "matplotlib")
# Nor what only other commands, engines or output formats need (pyspark: pandera would import
# pyspark.pandas, seconds of start-up; data/pandera_import.py).
NOT_FOR_VALIDATE = (
    *HEAVY,
    "pyspark",
    "hypothesis",
    "duckdb",
    "jinja2",
    "babel",
    "weasyprint",
    "openpyxl",
    "docx",
)

# Runs the CLI as `python -m evalsoc ARGS` would, then prints the top-level packages loaded.
PROBE = """
import runpy, sys
sys.argv = ["evalsoc", *sys.argv[1:]]
try:
    runpy.run_module("evalsoc", run_name="__main__")
except SystemExit as exit:
    code = exit.code
else:
    code = 0
loader = sys.modules.get("pydantic.plugin._loader")
scanned = loader is not None and loader._plugins is not None
print("MODULES", code, scanned, " ".join(sorted(sys.modules)))
import gc
print("COLLECTOR", gc.isenabled(), gc.get_freeze_count())
"""

# Config modules of the sections the tiny framework below does not declare.
UNDECLARED_CONFIGS = {
    "evalsoc.sections.effects.config",
    "evalsoc.sections.capabilities.config",
    "evalsoc.sections.sroi.config",
    "evalsoc.sections.volunteering.config",
    "evalsoc.sections.resources.config",
    "evalsoc.sections.costs.config",
    "evalsoc.sections.criteria.elicitation_config",
    "evalsoc.framework.narrative",
}
# The indicators' computation, intervals and survey estimators: not needed to check a framework.
NUMERIC_CODE = {
    "evalsoc.sections.indicators.compute",
    "evalsoc.sections.indicators.survey",
    "evalsoc.stats.intervals",
    "evalsoc.stats.survey",
}


def probe(*args: str, cwd: str | None = None) -> tuple[int, bool, set[str]]:
    """(exit code, whether pydantic scanned for plugins, every module loaded)."""
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )
    line = [x for x in proc.stdout.splitlines() if x.startswith("MODULES ")][-1]
    _, code, scanned, *modules = line.split()
    return int(code), scanned == "True", set(modules)


def collector(*args: str, cwd: str | None = None) -> tuple[bool, int]:
    """(whether the garbage collector is on, how many objects are frozen) when the command ends."""
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )
    line = [x for x in proc.stdout.splitlines() if x.startswith("COLLECTOR ")][-1]
    _, enabled, frozen = line.split()
    return enabled == "True", int(frozen)


def loaded(*args: str, cwd: str | None = None) -> tuple[int, set[str]]:
    """(exit code, top-level packages loaded)."""
    code, _, modules = probe(*args, cwd=cwd)
    return code, {m.split(".")[0] for m in modules}


def test_help_loads_no_numeric_library():
    code, modules = loaded("--help")
    assert code == 0
    assert not modules & {*HEAVY, "pandas", "numpy", "pandera", "pyarrow", "pydantic", "yaml"}


def tiny_framework(tmp_path, extra: str = "") -> None:
    (tmp_path / "tiny.csv").write_text("id;x;site\n1;2,5;a\n2;3;b\n3;5;a\n", encoding="utf-8")
    (tmp_path / "tiny.yaml").write_text(
        "evalsoc: 1\nid: tiny\ntitle: tiny\n"
        "data:\n  d:\n    file: tiny.csv\n    key: [id]\n    columns:\n"
        "      id: {type: integer}\n      x: {type: number}\n"
        "      site: {type: category, values: [a, b]}\n"
        "dimensions:\n  - id: d\n    criteria:\n      - id: c\n        indicators:\n"
        "          - {id: m, mean: x, data: d, by: [site]}\n"
        '          - {id: p, proportion: "x > 2", data: d}\n'
        "          - {id: med, median: x, data: d}\n" + extra,
        encoding="utf-8",
    )


def test_validate_loads_no_scipy_statsmodels_matplotlib(tmp_path):
    tiny_framework(tmp_path)
    code, modules = loaded("validate", "tiny.yaml", cwd=str(tmp_path))
    assert code == 0
    assert "pandas" in modules  # the data were read: the probe ran the real path
    # pandera's data-synthesis strategies (hypothesis, 0.3 s) are not needed to validate.
    assert not modules & set(NOT_FOR_VALIDATE), modules & set(NOT_FOR_VALIDATE)


def test_pandera_is_imported_only_for_a_check_that_may_fail(tmp_path):
    """data/validate.py: the tiny file passes every check by the prescreen (data/prescreen.py),
    so pandera is not imported; a value below a declared `min` needs pandera, which finds it."""
    tiny_framework(tmp_path)
    code, modules = loaded("validate", "tiny.yaml", cwd=str(tmp_path))
    assert code == 0
    assert "pandas" in modules and "pandera" not in modules
    (tmp_path / "tiny.yaml").write_text(
        (tmp_path / "tiny.yaml")
        .read_text(encoding="utf-8")
        .replace("x: {type: number}", "x: {type: number, min: 3}"),
        encoding="utf-8",
    )
    code, modules = loaded("validate", "tiny.yaml", cwd=str(tmp_path))
    assert "pandera" in modules
    proc = subprocess.run(
        [sys.executable, "-m", "evalsoc", "validate", "tiny.yaml"],
        capture_output=True,
        text=True,
        cwd=str(tmp_path),
        timeout=300,
    )
    assert proc.returncode == code
    assert "x: min 3" in proc.stdout + proc.stderr, proc.stdout + proc.stderr


def test_validate_builds_only_the_declared_sections(tmp_path):
    tiny_framework(tmp_path)
    code, scanned, modules = probe("validate", "tiny.yaml", cwd=str(tmp_path))
    assert code == 0
    assert "evalsoc.data.validate" in modules  # the data were checked: the real path ran
    assert not modules & UNDECLARED_CONFIGS, modules & UNDECLARED_CONFIGS
    assert not modules & NUMERIC_CODE, modules & NUMERIC_CODE
    assert not scanned  # pydantic's entry-point scan for plugins was skipped


def test_a_declared_section_is_built(tmp_path):
    """The other side: a framework that declares a narrative loads its config (and only it)."""
    tiny_framework(tmp_path, "narrative:\n  context: Un centre social.\n")
    code, _, modules = probe("validate", "tiny.yaml", cwd=str(tmp_path))
    assert code == 0
    assert "evalsoc.framework.narrative" in modules
    assert not modules & (UNDECLARED_CONFIGS - {"evalsoc.framework.narrative"})


def test_a_user_setting_of_the_plugin_variables_is_kept(monkeypatch):
    from evalsoc.cli.plugins import skip_plugin_scans

    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "")  # the user wants pydantic's plugins
    monkeypatch.delenv("TYPEGUARD_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    skip_plugin_scans()
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == ""
    assert os.environ["TYPEGUARD_DISABLE_PLUGIN_AUTOLOAD"] == "1"


def test_validate_freezes_the_start_up_objects(tmp_path):
    """evalsoc/startup.py: the libraries' objects are frozen and the collector is on again."""
    tiny_framework(tmp_path)
    enabled, frozen = collector("validate", "tiny.yaml", cwd=str(tmp_path))
    assert enabled
    assert frozen > 50_000  # pandas, pyarrow, pydantic: about 130,000 objects


def test_a_framework_error_freezes_nothing(tmp_path):
    """Stopped before the data: the collector is back on, nothing frozen."""
    (tmp_path / "bad.yaml").write_text("evalsoc: 1\nid: [\n", encoding="utf-8")
    code, _, _ = probe("validate", "bad.yaml", cwd=str(tmp_path))
    assert code == 2
    assert collector("validate", "bad.yaml", cwd=str(tmp_path)) == (True, 0)
