"""The batch check contract: JSON lines of messages in, JSON lines of reports out, same order.

Every line gets an output line: a report, or an error object naming the line and what was wrong.
Nothing is dropped, so a Clerk can re-run just the bad lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from councilguard.engine import Checker, coerce_message, parse_message
from councilguard.errors import MessageError


@dataclass
class BatchResult:
    checked: int = 0
    invalid: int = 0

    @property
    def exit_code(self) -> int:
        return 2 if self.invalid else 0


def check_lines(checker: Checker, lines: Iterable[str], *, base_dir: Path | None = None,
                result: BatchResult | None = None) -> Iterator[dict[str, Any]]:
    """Yield one output object per non-blank input line, in order."""
    result = result if result is not None else BatchResult()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            result.invalid += 1
            yield {"line": number, "error": f"line {number} is not valid JSON: {exc.msg} at column {exc.colno}"}
            continue
        if not isinstance(data, dict):
            result.invalid += 1
            yield {"line": number, "error": f"line {number} is a JSON {type(data).__name__}, not an object"}
            continue
        if "id" not in data:
            data = {**data, "id": str(number)}
        try:
            message = coerce_message(parse_message(data, line=number))
        except MessageError as exc:
            result.invalid += 1
            out: dict[str, Any] = {"line": number, "error": f"line {number}: {exc.problem}"}
            if exc.id is not None:
                out = {"id": exc.id, **out}
            yield out
            continue
        result.checked += 1
        yield checker.check(message, base_dir=base_dir).to_dict()
