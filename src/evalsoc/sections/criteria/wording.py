"""A finding (one piece of evidence read against a criterion) and the FR/EN wording helpers.

Shared by every reader of evidence and by the verdict rules, so kept apart from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evalsoc.framework.base import label_text
from evalsoc.sections.qualitative.config import LEVEL_LABELS, VERDICT_LEVELS

RANK = {level: i for i, level in enumerate(VERDICT_LEVELS)}


PERCENT_KINDS = ("proportion", "share")


RATIO_TOL = 1e-9


@dataclass
class Finding:
    """What one indicator or piece of evidence says about a criterion."""

    id: str
    source: str  # indicator | effect | capability | sroi | unknown
    kind: str | None
    level: str | None = None  # the level it gives, if any
    cap: str | None = None  # the highest level it allows, if any
    reading: str | None = None  # effects/capabilities: favourable, inconclusive, unfavourable
    mode: str | None = None  # how the reading weighs: cite, cap or level
    text: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "kind": self.kind,
            "level": self.level,
            "cap": self.cap,
            "reading": self.reading,
            "used": self.level is not None or self.cap is not None,
            "rationale": self.text,
        }


def _t(fr: str, en: str) -> dict[str, str]:
    return {"fr": fr, "en": en}


def _lvl(level: str | None, lang: str) -> str:
    return LEVEL_LABELS.get(level or "", {}).get(lang, level or "—").lower()


def _num(value: Any, lang: str, kind: str | None = None) -> str:
    from evalsoc.text.format import fmt_number, fmt_percent

    if value is None:
        return "—"
    if kind in PERCENT_KINDS:
        return fmt_percent(value, lang, 1)
    magnitude = abs(float(value))
    digits = 0 if magnitude >= 100 else 2 if magnitude >= 1 or magnitude == 0 else 3
    return fmt_number(value, lang, digits)


def _name(label: Any, item_id: str, lang: str) -> str:
    if isinstance(label, dict):
        return label.get(lang) or label.get("fr") or label.get("en") or item_id
    return label_text(label, lang, item_id) if label is not None else item_id
