"""`evalsoc compare` and `evalsoc history` from the command line: outputs, reruns byte for byte,
and bad input → a clear message and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys

from compare_fixtures import proportion, results, write_run


class Done:
    def __init__(self, returncode: int, stdout: str, stderr: str):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def evalsoc(*args: str) -> Done:
    """The CLI in-process (click's runner: same code path, exit codes and messages, without a
    new interpreter per call)."""
    from click.testing import CliRunner

    from evalsoc.cli.main import cli

    result = CliRunner().invoke(cli, list(args), prog_name="evalsoc")
    return Done(result.exit_code, result.stdout, result.stderr)


def test_the_real_command_line_exits_2_on_bad_input(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "evalsoc", "compare", str(tmp_path / "missing")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "no such file or folder" in done.stderr


def test_several_runs_write_json_and_html_and_rerun_byte_identical(three_sites, tmp_path):
    out1, out2 = tmp_path / "o1", tmp_path / "o2"
    first = evalsoc("compare", *map(str, three_sites), "--out", str(out1), "-q")
    assert first.returncode == 0, first.stderr
    second = evalsoc("compare", *map(str, reversed(three_sites)), "--out", str(out2), "-q")
    assert second.returncode == 0, second.stderr
    assert (out1 / "compare.json").read_bytes() == (out2 / "compare.json").read_bytes()
    result = json.loads((out1 / "compare.json").read_text(encoding="utf-8"))
    assert [r["label"] for r in result["runs"]] == ["site-a 2025", "site-b 2025", "site-c 2025"]
    assert [p["effect"] for p in result["pooled_effects"]] == ["eff"]
    consolidated = result["indicators"][0]["consolidated"][0]
    assert (consolidated["count"], consolidated["n"]) == (120 + 90 + 200, 300 + 300 + 320)
    html = (out1 / "compare.html").read_text(encoding="utf-8")
    assert "<svg" in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "Glossaire" in html  # French: the runs' language


def test_readings_agree_and_disagree_as_designed(three_sites, tmp_path):
    done = evalsoc("compare", *map(str, three_sites), "--out", str(tmp_path / "o"), "-q")
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "o" / "compare.json").read_text(encoding="utf-8"))
    agreement = {r["run"]: r["criteria"][0]["agreement"] for r in result["readings"]}
    # a: satisfaisant + favourable; b: fragile + no established effect; c: remarquable + favourable
    assert agreement == {"site-a 2025": "agree", "site-b 2025": "agree", "site-c 2025": "agree"}
    second = {r["run"]: r["criteria"][1]["agreement"] for r in result["readings"]}
    assert set(second.values()) == {"only_utility"}


def test_one_folder_gives_the_two_readings(tmp_path):
    doc = results(
        "solo",
        2025,
        {"c1_taux": proportion(40, 100)},
        {"c1": "satisfaisant"},
        {
            "eff": {
                "estimate": -0.2,
                "se": 0.05,
                "ci_low": -0.3,
                "ci_high": -0.1,
                "estimable": True,
                "better": "higher",
            }
        },
        {"eff": "unfavourable"},
    )
    folder = write_run(tmp_path / "solo", doc)
    done = evalsoc("compare", str(folder), "--out", str(tmp_path / "o"), "--lang", "en", "-q")
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "o" / "compare.json").read_text(encoding="utf-8"))
    row = result["readings"][0]["criteria"][0]
    assert (row["utility"]["strength"], row["impact"]["direction"], row["agreement"]) == (
        "positive",
        "unfavourable",
        "disagree",
    )
    assert result["readings"][0]["summary"]["share_utility_judges"] == 1.0
    assert "Glossary" in (tmp_path / "o" / "compare.html").read_text(encoding="utf-8")


def test_nothing_in_common_is_exit_2_with_a_hint(tmp_path):
    a = write_run(
        tmp_path / "a", results("a", 2025, {"x_rate": proportion(1, 20)}, {"x": "fragile"})
    )
    b = write_run(
        tmp_path / "b", results("b", 2025, {"y_rate": proportion(1, 20)}, {"y": "fragile"})
    )
    done = evalsoc("compare", str(a), str(b), "--out", str(tmp_path / "o"))
    assert done.returncode == 2
    assert "no indicator, effect or criterion id in common" in done.stderr
    assert "--mapping" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "o").exists()


def test_mismatched_ids_are_matched_by_a_mapping_file(tmp_path):
    a = write_run(
        tmp_path / "a", results("a", 2025, {"x_rate": proportion(30, 100)}, {"x": "fragile"})
    )
    b = write_run(
        tmp_path / "b", results("b", 2025, {"y_rate": proportion(50, 100)}, {"y": "fragile"})
    )
    mapping = tmp_path / "map.yaml"
    mapping.write_text("rename:\n  b: {y_rate: x_rate, y: x}\n", encoding="utf-8")
    done = evalsoc(
        "compare", str(a), str(b), "--mapping", str(mapping), "--out", str(tmp_path / "o")
    )
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "o" / "compare.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in result["indicators"]] == ["x_rate"]
    assert result["indicators"][0]["consolidated"][0]["value"] == 0.4  # (30 + 50) / 200


def test_mapping_naming_an_unknown_run_or_id_is_exit_2(tmp_path):
    a = write_run(
        tmp_path / "a", results("a", 2025, {"x_rate": proportion(30, 100)}, {"x": "fragile"})
    )
    b = write_run(
        tmp_path / "b", results("b", 2025, {"x_rate": proportion(50, 100)}, {"x": "fragile"})
    )
    mapping = tmp_path / "map.yaml"
    mapping.write_text("rename:\n  zz: {y: x}\n", encoding="utf-8")
    done = evalsoc(
        "compare", str(a), str(b), "--mapping", str(mapping), "--out", str(tmp_path / "o")
    )
    assert done.returncode == 2 and "zz is not a run" in done.stderr
    mapping.write_text("rename:\n  b: {nope: x_rate}\n", encoding="utf-8")
    done = evalsoc(
        "compare", str(a), str(b), "--mapping", str(mapping), "--out", str(tmp_path / "o")
    )
    assert done.returncode == 2 and "nope is not an indicator" in done.stderr


def test_one_run_only_for_a_cross_run_comparison_is_exit_2(tmp_path):
    a = write_run(
        tmp_path / "a", results("a", 2025, {"x_rate": proportion(30, 100)}, {"x": "fragile"})
    )
    mapping = tmp_path / "map.yaml"
    mapping.write_text("rename: {}\n", encoding="utf-8")
    done = evalsoc("compare", str(a), "--mapping", str(mapping), "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "only one run given" in done.stderr
    done = evalsoc("compare", str(a), str(a), "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "given twice" in done.stderr


def test_folder_without_results_and_foreign_output_file_are_exit_2(tmp_path, three_sites):
    empty = tmp_path / "empty"
    empty.mkdir()
    done = evalsoc("compare", str(empty), str(three_sites[0]), "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "no results.json" in done.stderr
    out = tmp_path / "mine"
    out.mkdir()
    (out / "compare.json").write_text('{"my": "own file"}', encoding="utf-8")
    done = evalsoc("compare", *map(str, three_sites), "--out", str(out))
    assert done.returncode == 2 and "not written by evalsoc compare" in done.stderr
    assert (out / "compare.json").read_text(encoding="utf-8") == '{"my": "own file"}'


def test_schema_of_compare_json_validates_an_output(three_sites, tmp_path):
    import jsonschema

    done = evalsoc("schema", "--compare")
    assert done.returncode == 0
    schema = json.loads(done.stdout)
    evalsoc("compare", *map(str, three_sites), "--out", str(tmp_path / "o"), "-q")
    jsonschema.validate(json.loads((tmp_path / "o" / "compare.json").read_text("utf-8")), schema)


def test_history_without_store_is_exit_2(tmp_path):
    fw = tmp_path / "f.yaml"
    fw.write_text("evalsoc: 1\nid: f\n", encoding="utf-8")
    done = evalsoc("history", str(fw))
    assert done.returncode == 2 and "no history store" in done.stderr


def test_user_strings_are_escaped_once(tmp_path):
    doc = results("x", 2025, {"c1_taux": proportion(40, 100)}, {"c1": "fragile"})
    doc["criteria"]["c1"]["label"] = {"fr": "<script>alert(1)</script> & co", "en": "<b>bold</b>"}
    folder = write_run(tmp_path / "x", doc)
    done = evalsoc("compare", str(folder), "--out", str(tmp_path / "o"), "-q")
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "o" / "compare.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "<h3>x 2025</h3>" in html and "&lt;h3&gt;" not in html and "&amp;#39;" not in html
