"""The crashes, hangs and silent errors of issue 15 (bad input), each as a regression test."""

from __future__ import annotations

import json

import pytest
from cli_cases import EXIT_DATA, EXIT_OK, EXIT_USAGE, MEAN_X, invoke

DATE_X = """
d: {type: date}
x: {type: number}
"""


def _results(project) -> dict:
    return json.loads((project.folder / "out" / "results.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("command", ["run", "validate"])
@pytest.mark.parametrize(
    "stamps",
    [
        ("2025-03-29T10:00:00+01:00", "2025-03-31T10:00:00+02:00"),  # daylight-saving change
        ("2025-03-29T10:00:00Z", "2025-03-31T10:00:00+01:00"),
    ],
)
def test_timestamps_with_two_utc_offsets_are_read_in_utc(project, stamps, command):
    p = project(columns=DATE_X, data=f"d,x\n{stamps[0]},1\n{stamps[1]},2\n")
    getattr(p, command)().expect(EXIT_OK)


def test_offsets_are_converted_to_utc():
    import pandas as pd

    from evalsoc.data.convert import to_date

    dates, bad = to_date(
        pd.Series(["2025-03-29T10:00:00+01:00", "2025-03-31T10:00:00+02:00", "2025-03-29T10:00Z"]),
        None,
    )
    assert list(dates.astype(str)) == [
        "2025-03-29 09:00:00",
        "2025-03-31 08:00:00",
        "2025-03-29 10:00:00",
    ]
    assert not bad.any()


def test_declared_format_with_offsets_is_read_in_utc(project):
    p = project(
        columns="d: {type: date, format: '%d/%m/%Y %H:%M %z'}\nx: {type: number}",
        data="d,x\n29/03/2025 10:00 +0100,1\n31/03/2025 10:00 +0200,2\n",
    )
    p.validate().expect(EXIT_OK, "2 rows read, 2 used, 0 quarantined")


def test_a_data_column_named_row_is_kept_in_the_quarantine(project):
    p = project(data="_row,x,_check\n1,2,a\n3,pas un nombre,b\n", share=1)
    p.run().expect(EXIT_OK, "quarantined: 1")
    quarantine = (p.folder / "out" / "invalid" / "people.csv").read_text(encoding="utf-8")
    header, row = quarantine.splitlines()
    assert header == "_row,_column,_check,_value,_row (data),x,_check (data)"
    assert row.startswith("2,x,type: number,pas un nombre,3,pas un nombre,b")


def test_nul_byte_in_the_framework(tmp_path):
    framework = tmp_path / "framework.yaml"
    framework.write_bytes(b"evalsoc: 1\nid: cas\x00\ntitle: Cas\n")
    invoke("validate", framework).expect(
        EXIT_USAGE, r"framework\.yaml:2: the file holds the control character '\\x00'"
    )


def test_lone_surrogate_escape_in_the_framework(tmp_path):
    framework = tmp_path / "framework.yaml"
    framework.write_text('evalsoc: 1\nid: cas\ntitle: "\\ud800"\n', encoding="utf-8")
    invoke("validate", framework).expect(EXIT_USAGE, r"framework\.yaml:3:\d+: ")


@pytest.mark.parametrize("depth", [61, 400, 999, 5000])
def test_deep_flow_nesting(tmp_path, depth):
    framework = tmp_path / "framework.yaml"
    framework.write_text(
        f"evalsoc: 1\nid: cas\ntitle: Cas\nx: {'[' * depth}{']' * depth}\n", encoding="utf-8"
    )
    invoke("validate", framework).expect(EXIT_USAGE, r"framework\.yaml:4:\d+: .*nest")


def test_deep_block_nesting(tmp_path):
    lines = "".join(" " * i + "- \n" for i in range(300))
    framework = tmp_path / "framework.yaml"
    framework.write_text(f"evalsoc: 1\nid: cas\ntitle: Cas\nx:\n{lines}", encoding="utf-8")
    invoke("validate", framework).expect(EXIT_USAGE, r"framework\.yaml:\d+:\d+: x\[0\]")


@pytest.mark.parametrize("fmt", ["%Q%Y", "%", "%Y%Y", "%H:%M", "%G"])
def test_bad_strftime_format(project, fmt):
    p = project(columns=f"d: {{type: date, format: '{fmt}'}}\nx: {{type: number}}")
    p.validate().expect(EXIT_USAGE, r"framework\.yaml:\d+:\d+: data\.people\.columns\.d\.format")


def test_not_repeated_975_times(project):
    where = "not " * 975 + "x"
    p = project(indicators=MEAN_X + f"\n            where: '{where}'")
    p.run().expect(EXIT_USAGE, r"indicators\[0\]\.where: the expression is nested too deeply")


def test_not_repeated_100_times_is_evaluated(project):
    p = project(indicators=MEAN_X + "\n            where: '" + "not " * 100 + "x > 1'")
    p.run().expect(EXIT_OK)
    assert _results(p)["indicators"]["m"]["value"] == 2.5  # even count of not: x > 1 → 2, 3


def test_bootstrap_of_100_million_draws(project):
    p = project(indicators=MEAN_X + "\n            bootstrap: 100000000")
    p.validate().expect(
        EXIT_USAGE, r"framework\.yaml:\d+:\d+: .*indicators\[0\]\.bootstrap: .*100000"
    )


def test_evalsoc_true_is_not_format_1(project):
    p = project(extra="")
    text = p.framework.read_text(encoding="utf-8").replace("evalsoc: 1", "evalsoc: true")
    p.framework.write_text(text, encoding="utf-8")
    p.validate().expect(EXIT_USAGE, r"framework\.yaml:1:\d+: evalsoc: .*write `evalsoc: 1`")


def test_id_with_a_space(project):
    p = project()
    text = p.framework.read_text(encoding="utf-8").replace("id: cas", "id: 'mon cas'")
    p.framework.write_text(text, encoding="utf-8")
    p.validate().expect(EXIT_USAGE, r"framework\.yaml:2:\d+: id: an id is made of .*no space")


@pytest.mark.parametrize("word", ["now", "today", "tomorrow", "yesterday"])
def test_now_and_today_are_not_dates_in_the_data(project, word):
    p = project(columns=DATE_X, data=f"d,x\n2025-01-01,1\n{word},2\n", share=1)
    p.validate().expect(EXIT_OK, rf"d: type: date .* — 1 row, e\.g\. {word}")


@pytest.mark.parametrize("word", ["now", "today"])
def test_now_and_today_are_not_dates_in_the_framework(project, word):
    p = project(extra=f"period: {{start: {word}}}\n")
    p.validate().expect(EXIT_USAGE, r"framework\.yaml:\d+:\d+: period\.start")


def test_max_nan_is_refused(project):
    p = project(columns="x: {type: number, max: .nan}")
    p.validate().expect(
        EXIT_USAGE, r"framework\.yaml:\d+:\d+: data\.people\.columns\.x\.max: .*finite"
    )


@pytest.mark.parametrize("value", [".inf", "-.inf", ".NaN"])
def test_infinite_bounds_are_refused(project, value):
    p = project(columns=f"x: {{type: number, min: {value}}}")
    p.validate().expect(EXIT_USAGE, r"data\.people\.columns\.x\.min: .*finite")


def test_integers_above_2_53_show_as_written(project):
    p = project(
        columns="x: {type: integer}",
        data="x\n100000000000000000000\n9007199254740993\n2\n",
        share=1,
    )
    p.run().expect(EXIT_OK, "quarantined: 1")
    quarantine = (p.folder / "out" / "invalid" / "people.csv").read_text(encoding="utf-8")
    assert "100000000000000000000" in quarantine and "1e+20" not in quarantine


def test_2_53_plus_1_is_kept_exact(project):
    p = project(
        columns="x: {type: integer}",
        data="x\n9007199254740993\n9007199254740993\n",
        indicators="          - id: m\n            sum: x",
    )
    p.run().expect(EXIT_OK, "quarantined: 0")
    import pandas as pd

    from evalsoc.data.convert import to_integer

    values, bad = to_integer(pd.Series(["9007199254740993", "-9223372036854775807"]))
    assert list(values) == [2**53 + 1, -(2**63) + 1] and not bad.any()


def test_a_mean_beyond_float64_sums_is_computed(project):
    p = project(data="x\n1e308\n1e308\n1.5e308\n")
    p.run().expect(EXIT_OK)
    result = _results(p)["indicators"]["m"]
    assert result["value"] == pytest.approx(3.5 / 3 * 1e308, rel=1e-12)  # by hand
    assert result["status"] != "not_estimable"
    report = (p.folder / "out" / "report.html").read_text(encoding="utf-8")
    assert "E308" in report  # 1,17E308, not 309 digits


def test_boolean_column_compared_with_the_data_spelling(project):
    p = project(
        columns="x: {type: number}\ne: {type: boolean}",
        data="x,e\n1,oui\n2,non\n4,oui\n",
        indicators=MEAN_X + "\n            where: \"e == 'oui'\"",
    )
    p.run().expect(EXIT_OK)
    assert _results(p)["indicators"]["m"]["value"] == 2.5  # rows 1 and 3


def test_boolean_column_compared_with_an_unknown_word(project):
    p = project(
        columns="x: {type: number}\ne: {type: boolean}",
        data="x,e\n1,oui\n2,non\n",
        indicators=MEAN_X + "\n            where: \"e == 'peut-être'\"",
    )
    p.run().expect(
        EXIT_USAGE, r"framework\.yaml:\d+:\d+: .*where: column 'e' is boolean: compare it with"
    )


@pytest.mark.parametrize("condition", ["code > 9", "code <= '9'", "9 < code"])
def test_order_on_a_text_column_is_refused(project, condition):
    p = project(
        columns="x: {type: number}\ncode: {type: string}",
        data="x,code\n1,10\n2,8\n",
        indicators=MEAN_X + f'\n            where: "{condition}"',
    )
    p.validate().expect(
        EXIT_USAGE, r"framework\.yaml:\d+:\d+: .*where: column 'code' holds text.*type: number"
    )


def test_sroi_proxy_of_1e308(tmp_path):
    from cli_cases import ROOT_DATA

    framework = ROOT_DATA / "sroi" / "framework.yaml"
    text = framework.read_text(encoding="utf-8").replace("value: 3000", "value: 1.0e308")
    (tmp_path / "participants.csv").write_bytes(
        (ROOT_DATA / "sroi" / "participants.csv").read_bytes()
    )
    (tmp_path / "framework.yaml").write_text(text, encoding="utf-8")
    invoke("validate", tmp_path / "framework.yaml").expect(
        EXIT_USAGE, r"framework\.yaml:\d+:\d+: sroi\.outcomes\[0\]\.proxy\.value: .*1e\+308"
    )


def test_policy_refusal_names_file_column_and_row(project):
    p = project(data="x\n1\ndeux\n3\n")
    p.validate().expect(EXIT_DATA, r"people\.csv\).*x: type: number \(1, first at row 2\)")
