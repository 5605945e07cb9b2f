"""French wordings of pydantic's common error types, for the framework's type errors.

pydantic words its errors in English only; the loader (load.py) gives both languages for
these types (the English is pydantic's own message) and says "détail en anglais" for others.
Keys are pydantic's error types; the templates use the error's `ctx` (gt, ge, max_length...).
"""

from __future__ import annotations

FRENCH: dict[str, str] = {
    "int_type": "un nombre entier est attendu",
    "int_parsing": "un nombre entier est attendu",
    "int_from_float": "un nombre entier est attendu (sans partie décimale)",
    "float_type": "un nombre est attendu",
    "float_parsing": "un nombre est attendu",
    "bool_type": "un booléen (true ou false) est attendu",
    "bool_parsing": "un booléen (true ou false) est attendu",
    "string_type": "un texte est attendu",
    "list_type": "une liste est attendue",
    "dict_type": "un ensemble de clés (dictionnaire) est attendu",
    "model_type": "un ensemble de clés est attendu",
    "model_attributes_type": "un ensemble de clés est attendu",
    "date_type": "une date est attendue",
    "date_parsing": "une date valide (AAAA-MM-JJ) est attendue",
    "date_from_datetime_parsing": "une date valide (AAAA-MM-JJ) est attendue",
    "greater_than": "la valeur doit être supérieure à {gt}",
    "greater_than_equal": "la valeur doit être supérieure ou égale à {ge}",
    "less_than": "la valeur doit être inférieure à {lt}",
    "less_than_equal": "la valeur doit être inférieure ou égale à {le}",
    "string_too_short": "le texte doit compter au moins {min_length} caractère(s)",
    "string_too_long": "le texte doit compter au plus {max_length} caractère(s)",
    "too_short": "il faut au moins {min_length} élément(s)",
    "too_long": "il faut au plus {max_length} élément(s)",
    "string_pattern_mismatch": "le texte doit suivre le motif {pattern}",
    "finite_number": "un nombre fini est attendu",
    "url_parsing": "une adresse (URL) valide est attendue",
}


def french(error_type: str, ctx: dict[str, object]) -> str | None:
    """The French wording of a pydantic error, or None when it has none here."""
    template = FRENCH.get(error_type)
    if template is None:
        return None
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):  # a context without the expected field: say it plainly
        return template.split(" {")[0]
