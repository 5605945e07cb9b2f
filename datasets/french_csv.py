"""Write a table as Excel (French locale) saves it; shared by generate.py and generate_extra.py.

Its own module so that generate_extra.py need not import generate.py, which imports it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def write_french_csv(frame: pd.DataFrame, path: Path) -> None:
    """As Excel (French locale) saves 'CSV (séparateur : point-virgule)'."""

    def french(value: object) -> object:
        if isinstance(value, float):
            return repr(value).replace(".", ",")
        return value

    frame = frame.apply(lambda col: col.map(french))
    frame.to_csv(path, sep=";", index=False, encoding="cp1252", lineterminator="\r\n")
