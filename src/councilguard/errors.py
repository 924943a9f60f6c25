"""Errors councilguard raises, each saying what was wrong and where.

    CouncilguardError
    ├── PackError          a policy pack is malformed: file, line, key path, bad value, what is allowed
    ├── MessageError       a message is not valid: which field, what was wrong (and the input line)
    └── UnknownRuleError   a rule id that the pack does not have
"""

from __future__ import annotations

DOCS_PACKS = "docs/policy-packs.md"


class CouncilguardError(Exception):
    """Base of every error councilguard raises on purpose."""


class PackError(CouncilguardError):
    """A policy pack that cannot be loaded. ``str()`` reads ``file:line: path: problem``."""

    def __init__(self, problem: str, *, file: str | None = None, line: int | None = None, path: str = ""):
        self.problem = problem
        self.file = file
        self.line = line
        self.path = path
        where = file or "<pack>"
        if line is not None:
            where += f":{line}"
        key = f" {path}:" if path else ""
        super().__init__(f"{where}:{key} {problem} (see {DOCS_PACKS})")


class MessageError(CouncilguardError, ValueError):
    """A message that is not valid against the check contract."""

    def __init__(self, problem: str, *, line: int | None = None, id: str | None = None):
        self.problem = problem
        self.line = line
        self.id = id
        super().__init__(problem if line is None else f"line {line}: {problem}")


class UnknownRuleError(CouncilguardError, KeyError):
    def __init__(self, rule: str, known: list[str]):
        self.rule = rule
        super().__init__(f"no rule {rule!r} in this pack; rules are: {', '.join(sorted(known))}")

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]
