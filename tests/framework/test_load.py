from fractions import Fraction

import pytest
from tests.conftest import MINI_FRAMEWORK, write

from evalsoc.errors import FrameworkError
from evalsoc.framework.base import label_text, parse_fraction
from evalsoc.framework.load import load_framework


def test_loads_typed_model(mini):
    fw = load_framework(mini)
    assert fw.id == "mini"
    (_, _, ind), (_, _, ind2) = fw.all_indicators()
    assert (ind.kind, ind.args, ind.by, ind.target) == ("proportion", "employed", ["site"], 0.5)
    assert (ind2.kind, ind2.args) == ("mean", "income")
    assert fw.data["people"].columns["income"].nullable is True
    assert label_text(fw.title, "en") == "Mini"


def _error(tmp_path, text: str) -> str:
    write(tmp_path / "people.csv", "id\n1\n")
    path = write(tmp_path / "framework.yaml", text)
    with pytest.raises(FrameworkError) as info:
        load_framework(path)
    return str(info.value)


def test_malformed_yaml_shows_line_and_excerpt(tmp_path):
    message = _error(tmp_path, "evalsoc: 1\nid: x\ntitle: [unclosed\nlanguage: fr\n")
    assert "framework.yaml:" in message
    assert "YAML syntax error" in message
    assert "|" in message  # the excerpt of the file


def test_unknown_key_did_you_mean_with_path_and_line(tmp_path):
    text = MINI_FRAMEWORK.replace("            target: 0.5", "            targte: 0.5")
    message = _error(tmp_path, text)
    assert "dimensions[0].criteria[0].indicators[0].targte" in message
    assert "did you mean 'target'" in message
    line = text.lstrip("\n").splitlines().index("            targte: 0.5") + 1
    assert f"framework.yaml:{line}:" in message  # line of the misspelt key


def test_wrong_type_names_key_path(tmp_path):
    text = MINI_FRAMEWORK.replace("target: 0.5", "target: beaucoup")
    message = _error(tmp_path, text)
    assert "dimensions[0].criteria[0].indicators[0].target" in message
    assert "beaucoup" in message


def test_unknown_top_level_key(tmp_path):
    message = _error(tmp_path, MINI_FRAMEWORK.replace("language: fr", "langage: fr"))
    assert "unknown key 'langage'" in message and "did you mean 'language'" in message


def test_duplicate_yaml_key_is_refused(tmp_path):
    message = _error(tmp_path, MINI_FRAMEWORK.replace("language: fr", "language: fr\nlanguage: en"))
    assert "appears twice" in message


def test_unknown_data_source_suggests(tmp_path):
    text = MINI_FRAMEWORK.replace(
        "            mean: income", "            mean: income\n            data: peple"
    )
    message = _error(tmp_path, text)
    assert "unknown data source 'peple'" in message and "did you mean 'people'" in message


def test_bad_where_expression_reported_at_load(tmp_path):
    text = MINI_FRAMEWORK.replace(
        "            mean: income", '            mean: income\n            where: "age >"'
    )
    message = _error(tmp_path, text)
    assert "indicators[1].where" in message


def test_unknown_evidence_reference(tmp_path):
    text = MINI_FRAMEWORK.replace(
        "      - id: acces\n", "      - id: acces\n        evidence: [effet_emploi]\n"
    )
    assert "unknown evidence 'effet_emploi'" in _error(tmp_path, text)


def test_indicator_without_kind(tmp_path):
    text = MINI_FRAMEWORK.replace("            mean: income", "            moyenne: income")
    message = _error(tmp_path, text)
    assert "names its kind" in message


def test_category_needs_values(tmp_path):
    message = _error(
        tmp_path,
        MINI_FRAMEWORK.replace("{type: category, values: [nord, sud]}", "{type: category}"),
    )
    assert "needs its `values`" in message


def test_wrong_format_version(tmp_path):
    assert "reads format 1" in _error(tmp_path, MINI_FRAMEWORK.replace("evalsoc: 1", "evalsoc: 2"))


def test_missing_framework_file(tmp_path):
    with pytest.raises(FrameworkError, match="not found"):
        load_framework(tmp_path / "nope.yaml")


def test_empty_framework_file(tmp_path):
    assert "empty" in _error(tmp_path, "")


def test_unsafe_yaml_tags_are_refused(tmp_path):
    message = _error(tmp_path, "evalsoc: 1\nid: !!python/object/apply:os.system ['echo hacked']\n")
    assert "YAML" in message


def test_duplicate_ids(tmp_path):
    text = MINI_FRAMEWORK.replace("- id: revenu", "- id: taux")
    assert "already used" in _error(tmp_path, text)


def test_fractions_are_exact():
    assert parse_fraction("1/18") == Fraction(1, 18)
    assert parse_fraction(0.1) == Fraction(1, 10)
    assert parse_fraction("0,25") == Fraction(1, 4)
    with pytest.raises(ValueError):
        parse_fraction("un tiers")


def test_unknown_sroi_reference_caught_at_load(tmp_path):
    text = MINI_FRAMEWORK + (
        "sroi:\n"
        "  inputs:\n"
        "    - {label: Subvention, amount: 1000}\n"
        "  outcomes:\n"
        "    - id: emploi\n"
        "      quantity: {indicator: tau}\n"
        "      proxy: {value: 100, source: test, evidence: amber}\n"
        "      duration: 1\n"
    )
    message = _error(tmp_path, text)
    assert "sroi.outcomes[0].quantity.indicator" in message
    assert "did you mean 'taux'" in message
