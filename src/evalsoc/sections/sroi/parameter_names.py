"""The SROI parameters' names in both languages, for warnings and reasons."""

from __future__ import annotations

from evalsoc.sections.sroi.model import RATE

PARAMETER_NAMES: dict[str, dict[str, str]] = {
    "quantity": {"fr": "quantité", "en": "quantity"},
    "proxy": {"fr": "valeur du proxy", "en": "proxy value"},
    "deadweight": {"fr": "effet d'aubaine", "en": "deadweight"},
    "displacement": {"fr": "déplacement", "en": "displacement"},
    "attribution": {"fr": "attribution", "en": "attribution"},
    "drop_off": {"fr": "érosion annuelle", "en": "drop-off"},
    "duration": {"fr": "durée", "en": "duration"},
    RATE: {"fr": "taux d'actualisation", "en": "discount rate"},
}
