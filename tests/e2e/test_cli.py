"""The CLI end to end: exit codes, messages without tracebacks, outputs, reproducibility."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.conftest import MINI_DATA, MINI_FRAMEWORK, write


def evalsoc(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "evalsoc", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def assert_clean_failure(proc: subprocess.CompletedProcess, code: int, *fragments: str) -> None:
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    for fragment in fragments:
        assert fragment in proc.stderr


def test_help_is_fast():
    start = time.perf_counter()
    proc = evalsoc("--help")
    assert proc.returncode == 0 and "run" in proc.stdout
    assert time.perf_counter() - start < 3.0  # the interpreter start included; no heavy imports
    modules = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from evalsoc.cli.main import cli; print(' '.join(sys.modules))",
        ],
        capture_output=True,
        text=True,
    ).stdout.split()
    for heavy in ("pandas", "numpy", "scipy", "statsmodels", "pandera", "matplotlib"):
        assert heavy not in modules


def test_run_writes_outputs_and_reconciles(mini, tmp_path):
    out = tmp_path / "out"
    proc = evalsoc("run", str(mini), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "report:" in proc.stdout
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    for key in (
        "framework",
        "data",
        "indicators",
        "criteria",
        "effects",
        "capabilities",
        "sroi",
        "warnings",
        "provenance",
    ):
        assert key in results
    people = results["data"]["people"]
    assert people["rows_read"] == 5 == people["rows_used"] + people["rows_quarantined"]
    assert results["indicators"]["taux"]["value"] == pytest.approx(3 / 5)
    assert results["indicators"]["revenu"]["value"] == pytest.approx(
        (1200.5 + 800 + 1500.25 + 950) / 4
    )
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "<svg" in report and "Mini" in report
    assert results["provenance"]["inputs"]["people"]["sha256"]


def test_same_inputs_same_bytes(mini, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert evalsoc("run", str(mini), "--out", str(a)).returncode == 0
    assert evalsoc("run", str(mini), "--out", str(b)).returncode == 0
    assert (a / "results.json").read_bytes() == (b / "results.json").read_bytes()
    assert (a / "report.html").read_bytes() == (b / "report.html").read_bytes()


def test_default_output_folder(mini, tmp_path):
    proc = evalsoc("run", str(mini), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "evalsoc-output" / "mini" / "results.json").exists()


def test_english_report(mini, tmp_path):
    assert evalsoc("run", str(mini), "--out", str(tmp_path / "en"), "--lang", "en").returncode == 0
    html = (tmp_path / "en" / "report.html").read_text(encoding="utf-8")
    assert 'lang="en"' in html and "Data sources and validation" in html


def test_validate_prints_summary(mini):
    proc = evalsoc("validate", str(mini))
    assert proc.returncode == 0, proc.stderr
    assert "people: 5 rows read, 5 used, 0 quarantined" in proc.stdout
    assert "delimiter ';'" in proc.stdout and "decimal ','" in proc.stdout


def test_framework_error_exit_2(tmp_path):
    write(tmp_path / "people.csv", MINI_DATA)
    bad = write(tmp_path / "framework.yaml", MINI_FRAMEWORK.replace("target: 0.5", "targte: 0.5"))
    assert_clean_failure(
        evalsoc("run", str(bad)), 2, "[key_unknown_near]", "vouliez-vous dire 'target'"
    )


def test_unknown_column_in_where_exit_2(tmp_path):
    write(tmp_path / "people.csv", MINI_DATA)
    text = MINI_FRAMEWORK.replace(
        "            mean: income",
        "            mean: income\n            where: \"sitte == 'nord'\"",
    )
    bad = write(tmp_path / "framework.yaml", text)
    assert_clean_failure(
        evalsoc("run", str(bad), "--out", str(tmp_path / "o")),
        2,
        "colonne 'sitte' inconnue",  # the mini framework is French: the `where` error too
        "vouliez-vous dire 'site'",
        "indicators[1]",
    )


def test_unknown_indicator_column_exit_2(tmp_path):
    write(tmp_path / "people.csv", MINI_DATA)
    bad = write(tmp_path / "framework.yaml", MINI_FRAMEWORK.replace("mean: income", "mean: incme"))
    assert_clean_failure(
        evalsoc("run", str(bad), "--out", str(tmp_path / "o")),
        2,
        "colonne inconnue 'incme'",
        "vouliez-vous dire 'income'",
    )


def test_missing_data_file_exit_2(tmp_path):
    bad = write(tmp_path / "framework.yaml", MINI_FRAMEWORK)
    assert_clean_failure(
        evalsoc("run", str(bad), "--out", str(tmp_path / "o")), 2, "fichier de données introuvable"
    )
    assert not (tmp_path / "o").exists()


def test_malformed_yaml_exit_2(tmp_path):
    bad = write(tmp_path / "framework.yaml", "evalsoc: 1\nid: [oops\n")
    assert_clean_failure(evalsoc("validate", str(bad)), 2, "YAML syntax error", "framework.yaml:")


def test_too_many_invalid_rows_exit_1_keeps_previous_outputs(mini, tmp_path):
    out = tmp_path / "out"
    assert evalsoc("run", str(mini), "--out", str(out)).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (mini.parent / "people.csv").write_text(
        MINI_DATA.replace("a2;nord;non;800;31", "a2;ouest;non;800;310"), encoding="utf-8"
    )
    proc = evalsoc("run", str(mini), "--out", str(out))
    assert_clean_failure(proc, 1, "max_invalid_share", "1 lignes sur 5", "out.stopped")
    # The previous outputs are untouched; the refused rows are beside them.
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert (tmp_path / "out.stopped" / "invalid" / "people.csv").exists()
    assert oct((out).stat().st_mode & 0o777) != oct(0o700)


def test_quarantine_within_policy_exit_0(mini, tmp_path):
    text = MINI_FRAMEWORK.replace(
        "privacy: {min_cell: 1}", "privacy: {min_cell: 1}\npolicy: {max_invalid_share: 0.5}"
    )
    write(mini, text)
    (mini.parent / "people.csv").write_text(
        MINI_DATA.replace("a2;nord;non;800;31", "a2;nord;non;800;310"), encoding="utf-8"
    )
    out = tmp_path / "out"
    proc = evalsoc("run", str(mini), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["data"]["people"]["rows_quarantined"] == 1
    assert results["data"]["people"]["failures"] == {"age: max 80": 1}
    quarantined = (out / "invalid" / "people.csv").read_text(encoding="utf-8")
    assert "a2" in quarantined and "max 80" in quarantined and "310" in quarantined


def test_stop_policy(mini, tmp_path):
    write(
        mini,
        MINI_FRAMEWORK.replace(
            "    file: people.csv", "    file: people.csv\n    on_invalid: stop"
        ),
    )
    (mini.parent / "people.csv").write_text(
        MINI_DATA.replace("a2;nord;non;800;31", "a2;nord;non;800;310"), encoding="utf-8"
    )
    assert_clean_failure(
        evalsoc("run", str(mini), "--out", str(tmp_path / "o")), 1, "on_invalid: stop"
    )


def test_header_only_file_runs_with_not_estimable(tmp_path):
    write(tmp_path / "people.csv", "id;site;employed;income;age\n")
    fw = write(tmp_path / "framework.yaml", MINI_FRAMEWORK)
    proc = evalsoc("run", str(fw), "--out", str(tmp_path / "o"))
    assert proc.returncode == 0, proc.stderr
    results = json.loads((tmp_path / "o" / "results.json").read_text(encoding="utf-8"))
    assert results["indicators"]["taux"]["status"] == "not_estimable"


def test_empty_data_file_exit_2(tmp_path):
    write(tmp_path / "people.csv", "")
    fw = write(tmp_path / "framework.yaml", MINI_FRAMEWORK)
    assert_clean_failure(evalsoc("run", str(fw), "--out", str(tmp_path / "o")), 2, "empty")


@pytest.mark.slow  # a full run of the centre-social template (~35 s on a loaded machine)
def test_init_scaffold_runs_at_once(tmp_path):
    target = tmp_path / "projet"
    proc = evalsoc("init", str(target))
    assert proc.returncode == 0, proc.stderr
    run = evalsoc("run", str(target / "framework.yaml"), "--out", str(tmp_path / "o"))
    assert run.returncode == 0, run.stderr
    again = evalsoc("init", str(target))
    assert_clean_failure(again, 2, "would overwrite")
    assert_clean_failure(
        evalsoc("init", str(tmp_path / "x"), "--template", "centre-socal"),
        2,
        "did you mean 'centre-social'",
    )


def test_schema_is_json_schema_with_descriptions():
    proc = evalsoc("schema")
    assert proc.returncode == 0
    schema = json.loads(proc.stdout)
    assert schema["title"] == "evalsoc framework"
    assert "dimensions" in schema["properties"] and "kind" not in json.dumps(
        schema["$defs"]["IndicatorSpec"]["required"]
    )


def test_validate_finds_every_column_problem(tmp_path):
    write(tmp_path / "people.csv", MINI_DATA)
    text = MINI_FRAMEWORK.replace("by: [site]", "by: [siet]").replace(
        "            mean: income", '            mean: site\n            where: "groupe == 1"'
    )
    bad = write(tmp_path / "framework.yaml", text)
    proc = evalsoc("validate", str(bad))
    assert_clean_failure(
        proc,
        2,
        "3 problème(s)",
        "colonne inconnue 'siet'",
        "vouliez-vous dire 'site'",
        "colonne 'groupe' inconnue",  # the `where` language's error, worded in French too
        "n'est pas numérique",
    )
    assert "framework.yaml:" in proc.stderr
    run = evalsoc("run", str(bad), "--out", str(tmp_path / "o"))
    assert_clean_failure(run, 2, "3 problème(s)")
