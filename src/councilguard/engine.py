"""The Checker: message -> detectors bound by the pack -> findings -> verdict.

Binding happens once, when the Checker is built: every rule's detectors are looked up and their
parameters validated, so a malformed pack fails at load time with its file and line, never midway
through a batch. ``check`` is then a loop over bound detectors with shared per-message analyses.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from councilguard.detectors import registry
from councilguard.detectors.base import Context, Hit
from councilguard.errors import MessageError
from councilguard.model import Evidence, Finding, Fix, Message, Report
from councilguard.policy import Pack, Rule

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 2_000_000  # about 2 MB of text: well past any real e-mail body, still checkable


@dataclass(frozen=True)
class _Binding:
    rule: Rule
    spec: registry.DetectorSpec
    params: BaseModel
    min_confidence: float
    key: tuple[str, str]  # detector and its parameters: rules sharing both share one run per message


class Checker:
    """Checks messages against one policy pack. Build once, call :meth:`check` many times."""

    def __init__(self, pack: Pack):
        self.pack = pack
        self._bindings = list(self._bind(pack))

    @classmethod
    def from_pack(cls, name_or_path: str | Path | None = None) -> "Checker":
        """A Checker for a bundled pack by name (default ``croxley-green``) or a pack folder."""
        return cls(Pack.resolve(name_or_path))

    @staticmethod
    def _bind(pack: Pack):
        for i, rule in enumerate(pack.rules):
            for j, use in enumerate(rule.detect):
                loc = ("rules", i, "detect", j)
                try:
                    spec = registry.get(use.detector)
                except KeyError as exc:
                    raise pack.error((*loc, "detector"), str(exc.args[0])) from None
                try:
                    params = spec.params.model_validate(use.params)
                except ValidationError as exc:
                    err = exc.errors()[0]
                    where = (*loc, "params", *err["loc"])
                    fields = ", ".join(spec.params.model_fields) or "none"
                    raise pack.error(where, f"{err['msg']} (got {err.get('input')!r}); "
                                            f"{use.detector} takes: {fields}") from None
                yield _Binding(rule, spec, params, use.min_confidence, (spec.id, params.model_dump_json()))

    def warm_up(self) -> None:
        """Load lazy models now (e.g. before a benchmark or when a server starts).

        The message holds every kind of personal data the recognisers look for, so that each one has
        compiled its patterns (and the e-mail one read its suffix list) before the first real check.
        """
        self.check(Message(kind="post", text=(
            "Warm-up: Dave Smith has a conviction; Cllr Test at 1 High Street WD3 3HR, call 07700 900000 or "
            "e-mail a@example.org. NI number AB 12 34 56 C, NHS number 943 476 5919, bank sort code 12-34-56, "
            "account 12345678, born 1 May 1950.")))

    # --- checking -------------------------------------------------------------------------
    def check(self, message: Message | dict[str, Any] | str, *, base_dir: Path | None = None,
              explain: bool = False) -> Report:
        """Check one message and return its report. Raises MessageError for invalid input."""
        msg = coerce_message(message)
        ctx = Context(msg, self.pack, base_dir=base_dir)
        trace: list[str] = []
        results: dict[tuple[str, str], list[Hit]] = {}
        per_rule: dict[str, list[Hit]] = {}
        received = msg.is_received
        if not msg.text.strip() and not msg.subject and not msg.attachments:
            ctx.note("the message is empty: nothing to check")
        for b in self._bindings:
            if received and not b.spec.on_received:
                continue
            key = b.key
            if key not in results:
                try:
                    results[key] = list(b.spec.fn(ctx, b.params))
                except Exception as exc:  # a broken detector must not lose the rest of the check
                    log.exception("detector %s failed", b.spec.id)
                    ctx.note(f"detector {b.spec.id} failed ({type(exc).__name__}: {exc}); "
                             f"rule {b.rule.id} was not checked")
                    results[key] = []
            kept = [h for h in results[key] if h.score >= b.min_confidence]
            if explain:
                trace.append(f"{b.rule.id} <- {b.spec.id}: {len(results[key])} hit(s), {len(kept)} kept "
                             f"at min_confidence {b.min_confidence}")
            if kept:
                per_rule.setdefault(b.rule.id, []).extend(kept)
        findings = [self._finding(rule_id, hits, msg) for rule_id, hits in per_rule.items()]
        findings.sort(key=lambda f: (-f.severity.rank, f.evidence[0].start if f.evidence else -1, f.rule))
        return Report(id=msg.id, findings=tuple(findings), notes=tuple(ctx.notes), trace=tuple(trace))

    def _finding(self, rule_id: str, hits: list[Hit], msg: Message) -> Finding:
        rule = self.pack.rule(rule_id)
        evidence: set[Evidence] = set()
        whys: list[str] = []
        fixes: list[Fix] = []
        for h in sorted(hits, key=lambda h: -h.score):
            source = msg.text if h.field == "text" else (getattr(msg, h.field, None) or "")
            for start, end in h.spans:
                evidence.add(Evidence(start, end, source[start:end], h.field))
            if h.why and h.why not in whys:
                whys.append(h.why)
            fixes.extend(f for f in h.fixes if f not in fixes)
        explanation = rule.explanation.strip()
        if whys:
            explanation = f"{explanation} {' '.join(whys[:3])}"
        return Finding(
            rule=rule.id,
            severity=rule.severity,
            clause=rule.clause,
            evidence=tuple(sorted(evidence, key=lambda e: (e.field != "text", e.start, e.end))),
            explanation=explanation,
            remedy=rule.remedy.strip(),
            confidence=max(h.score for h in hits),
            detector=",".join(sorted({h.data.get("detector", "") for h in hits} - {""})) or "",
            fixes=tuple(fixes),
            docs=self.pack.docs_link(rule.id),
        )


def coerce_message(message: Message | dict[str, Any] | str) -> Message:
    """Accept a Message, a dict in the contract's shape, or bare text; validate with clear errors."""
    if isinstance(message, Message):
        msg = message
    elif isinstance(message, str):
        msg = Message(text=message)
    elif isinstance(message, dict):
        msg = parse_message(message)
    else:
        raise MessageError(f"a message must be an object with a text field, not {type(message).__name__}")
    if len(msg.text) > MAX_TEXT_CHARS:
        raise MessageError(f"text is {len(msg.text):,} characters; the limit is {MAX_TEXT_CHARS:,}", id=msg.id)
    return msg


def parse_message(data: dict[str, Any], *, line: int | None = None) -> Message:
    """Validate a contract-shaped dict; errors say which field and what was wrong."""
    ident = data.get("id")
    ident = ident if isinstance(ident, str) else (str(ident) if isinstance(ident, int) else None)
    try:
        return Message.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors()[:3]:
            where = ".".join(str(p) for p in err["loc"]) or "message"
            if err["type"] == "missing":
                problems.append(f"{where} is required")
            else:
                got = err.get("input")
                shown = repr(got) if not isinstance(got, (dict, list)) or len(repr(got)) < 60 else type(got).__name__
                problems.append(f"{where}: {err['msg'].lower()} (got {shown})")
        raise MessageError("; ".join(problems), line=line, id=ident) from None
