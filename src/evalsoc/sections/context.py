"""What every analysis section receives when it runs: validated frames, settings, earlier results.

A section is computed by a function ``compute(specs, ctx) -> dict`` that reads its data through
``ctx.frame(source, where)``, appends warnings with ``ctx.warn(...)`` (given as
``{"fr": ..., "en": ...}``, so that the report lists them in its language), and returns a
JSON-ready dict (ids → results). Sections run in a fixed order (indicators, capabilities,
effects, volunteering, sroi, criteria) and later ones read earlier ones from ``ctx.results``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from evalsoc.errors import FrameworkError, did_you_mean
from evalsoc.privacy.policy import PrivacyPolicy


@dataclass
class RunContext:
    frames: dict[str, Any]  # source name → validated DataFrame (quarantined rows already removed)
    framework: Any  # evalsoc.framework.model.Framework
    lang: str = "fr"
    seed: int = 20250101
    min_cell: int = 10  # the policy's threshold: 1 in an edition that shows small counts
    policy: PrivacyPolicy | None = None  # built from min_cell when not given
    withheld: list[dict[str, Any]] = field(default_factory=list)  # figures the audit hid
    results: dict[str, Any] = field(default_factory=dict)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    derived: dict[str, Any] = field(default_factory=dict)  # e.g. capability scores per row
    engine: Any = None  # an evalsoc.engines.base.Engine over `frames`; pandas when not given
    _expressions: dict[str, Any] = field(default_factory=dict, repr=False)
    _positions: dict[tuple[Any, ...], tuple[Any, Any]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.policy is None:
            self.policy = PrivacyPolicy(min_cell=self.min_cell)
        if self.engine is None:
            from evalsoc.engines.registry import create_engine

            self.engine = create_engine("pandas", self.frames)

    def record_withheld(self) -> None:
        """Publish what the disclosure audit hid (without its numbers): results.json's
        `privacy` section and one warning per figure, in both languages."""
        policy = self.policy or PrivacyPolicy(min_cell=self.min_cell)
        self.results["privacy"] = {
            "min_cell": policy.min_cell,
            "edition": policy.edition,
            "suppression": policy.suppresses,
            "withheld": list(self.withheld),
        }
        for item in self.withheld:
            where = ", ".join(f"{k} = {v}" for k, v in (item.get("group") or {}).items())
            what = {"fr": f"l'indicateur {item['id']}", "en": f"indicator {item['id']}"}
            if where:
                what = {k: f"{v} ({where})" for k, v in what.items()}
            if item.get("category") is not None:
                what = {
                    "fr": f"{what['fr']}, modalité {item['category']}",
                    "en": f"{what['en']}, category {item['category']}",
                }
            self.warn(
                "privacy",
                item["id"],
                {
                    "fr": f"Chiffre masqué pour {what['fr']} : {item['reason']['fr']}",
                    "en": f"Figure withheld for {what['en']}: {item['reason']['en']}",
                },
            )

    def positions(self, source: str, where: str | None) -> Any:
        """Positions in `source` of the rows `where` selects (all rows without `where`), read
        only, made once per length or per mask of the engine (30 indicators: 30 copies of
        `arange(10^6)` took 40 ms, and the audit hashed each `where`'s positions again)."""
        import numpy as np

        if not where:
            key: tuple[Any, ...] = ("all", self.engine.length(self._source(source)))
            mask = None
        else:
            key = (source, where)
            mask = self._mask(source, where, "where")
        found = self._positions.get(key)
        if found is None or found[0] is not mask:
            made = np.arange(key[1]) if mask is None else np.flatnonzero(mask)
            made.setflags(write=False)
            found = self._positions[key] = (mask, made)
        return found[1]

    def warn(self, section: str, item_id: str | None, message: str | Mapping[str, str]) -> None:
        """Record a warning shown in results.json and the report.

        `message` is a plain string or ``{"fr": ..., "en": ...}``. The entry's ``message`` is
        in the run's language (`lang`; the other language when only that one is given), and
        ``messages`` holds both languages when both are given.
        """
        entry: dict[str, Any] = {"section": section, "id": item_id}
        if isinstance(message, Mapping):
            texts = {k: str(message[k]) for k in ("fr", "en") if message.get(k)}
            if not texts:
                raise ValueError(f"warning without a French or English message: {message!r}")
            entry["message"] = texts.get(self.lang) or texts.get("en") or texts["fr"]
            if len(texts) == 2:
                entry["messages"] = texts
        else:
            entry["message"] = message
        self.warnings.append(entry)

    def _source(self, source: str) -> str:
        """`source` itself, once checked to be a known source."""
        if source not in self.frames:
            raise FrameworkError(
                "source_unknown", source=repr(source), hint=did_you_mean(source, list(self.frames))
            )
        return source

    def expression(self, where: str | None, where_key: str = "where") -> Any:
        """The parsed `where` (None without one); a parse error is a FrameworkError."""
        if not where:
            return None
        if where not in self._expressions:
            from evalsoc.framework.expressions import ExpressionError, parse_expression

            try:
                self._expressions[where] = parse_expression(where)
            except ExpressionError as exc:
                raise FrameworkError("where_invalid", at=where_key, detail=exc.words()) from None
        return self._expressions[where]

    def _mask(self, source: str, where: str, where_key: str) -> Any:
        """The rows `where` selects, as a boolean array, evaluated once per source (engine)."""
        from evalsoc.framework.expressions import ExpressionError

        expression = self.expression(where, where_key)
        try:
            return self.engine.mask(self._source(source), expression)
        except ExpressionError as exc:
            raise FrameworkError("where_invalid", at=where_key, detail=exc.words()) from None

    def columns(self, source: str) -> list[str]:
        """The columns of `source` (a known source), without collecting any row."""
        return list(self.engine.columns(self._source(source)))

    def rows(
        self, source: str, where: str | None, columns: list[str], *, where_key: str = "where"
    ) -> Any:
        """Only `columns` of the rows selected by `where`: cheaper than `frame` for wide data."""
        self._source(source)
        if where:
            self._mask(source, where, where_key)  # errors worded with `where_key`
        return self.engine.rows(source, columns, self.expression(where, where_key))

    def frame(self, source: str, where: str | None = None, *, where_key: str = "where") -> Any:
        """The validated rows of `source`, filtered by a `where` expression if given."""
        self._source(source)
        if where:
            self._mask(source, where, where_key)
        return self.engine.rows(source, None, self.expression(where, where_key))
