"""The config validators' refusals through `python -m evalsoc validate`: a catalogue code, the
French wording under `--lang fr`, the English one (unchanged from before they were coded) under
`--lang en`, at the key that holds the bad value. One refusal per config module converted
(capabilities, effects, resources, SROI, indicators' references); the wordings are the
catalogue's (src/evalsoc/error_catalogue.py, docs/errors.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import MINI_FRAMEWORK, write
from tests.test_errors_cli import evalsoc

# section appended to the mini framework → (code, position, French, English)
CASES: dict[str, tuple[str, tuple[str, str, str, str]]] = {
    "capabilities": (
        "capabilities:\n  - id: cap\n    data: people\n    dimensions:\n"
        '      - {id: d1, deprived: "employed == 0", items: [employed]}\n'
        "    k: [1/3, 1/3]\n",
        (
            "capability_k_twice",
            "capabilities[0].k",
            "k donne deux fois le même seuil (1/3 et 1/3)",
            "k lists the same cutoff twice (1/3 and 1/3)",
        ),
    ),
    "effects": (
        "effects:\n  - {id: e, data: people, design: difference, outcome: income}\n",
        (
            "effect_key_needed",
            "effects[0]",
            "l'effet 'e' (plan difference) a besoin de `treatment` : la colonne ou la condition "
            "qui marque le groupe du programme",
            "effect 'e' (design difference) needs `treatment`: the column or condition that "
            "marks the programme group",
        ),
    ),
    "resources": (
        "resources:\n  lines:\n    - {id: v, nature: market, kind: sales, actual: -5}\n",
        (
            "resources_line_amount_negative",
            "resources.lines[0]",
            "ligne 'v' : un montant `actual` négatif n'est pas admis (déclarez un remboursement "
            "ou une perte comme un montant plus petit, pas comme un montant négatif)",
            "line 'v': a negative `actual` amount is not allowed (declare a refund or a loss as "
            "a smaller amount, not a negative one)",
        ),
    ),
    "sroi": (
        "sroi:\n  inputs: [{label: i, amount: 1000}]\n  outcomes:\n"
        "    - {id: o, label: o, proxy: {value: 100, source: x}, quantity: 10, duration: 1}\n"
        "  discount_rate: 1.5\n",
        (
            "sroi_discount_rate_not_share",
            "sroi.discount_rate",
            "discount_rate doit être entre 0 et 1, reçu 1.5",
            "discount_rate must be between 0 and 1, got 1.5",
        ),
    ),
    "references": (
        "",  # a reference with half an interval, on the mini framework's indicator `revenu`
        (
            "reference_interval_half",
            "dimensions[0].criteria[0].indicators[1].references[0]",
            "l'intervalle d'une référence a besoin à la fois de `low` et de `high`",
            "a reference's interval needs both `low` and `high`",
        ),
    ),
}
REFERENCE = (
    "            mean: income\n"
    "            references:\n"
    "              - {value: 900, low: 800, source: INSEE, year: 2021, territory: Nord}\n"
)


@pytest.mark.parametrize("section", sorted(CASES))
def test_a_validator_refusal_is_coded_in_both_languages(mini: Path, section: str) -> None:
    added, (code, key, french, english) = CASES[section]
    base = MINI_FRAMEWORK
    if section == "references":
        base = base.replace("            mean: income\n", REFERENCE)
    write(mini, base + added)
    for lang, wording in (("fr", french), ("en", english)):
        proc = evalsoc("validate", str(mini), "--lang", lang)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        problems = proc.stderr.splitlines()[1:]
        assert len(problems) == 1, proc.stderr  # the refusal alone: the rest is valid
        prefix, message = problems[0].split(f": {key}: ")
        assert prefix.startswith(f"  [{code}] {mini}:")
        assert message == wording
        assert "détail en anglais" not in proc.stderr
