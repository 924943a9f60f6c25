"""The vocabulary every layer shares: messages in, findings and reports out.

A `Message` is what a councillor wants to post or send, with its context (the contract in
`spec/check-contract.md`). A `Finding` is one rule of the policy pack that the message would breach,
with the exact evidence in the original text. A `Report` is the verdict on one message.
Nothing here knows about detectors, packs, the web or storage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Severity(str, Enum):
    """How serious a finding is; a verdict is the highest severity found, or ``ok``."""

    ADVICE = "advice"
    WARN = "warn"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return _RANK[self.value]


_RANK = {"ok": 0, "advice": 1, "warn": 2, "block": 3}


def verdict_of(severities: list[Severity]) -> str:
    """The verdict for a message: its highest severity, or ``ok`` with no findings."""
    if not severities:
        return "ok"
    return max(severities, key=lambda s: s.rank).value


# --- the message (validated input) -------------------------------------------------------------

Kind = Literal["post", "comment", "reply", "review", "email", "message"]
Account = Literal["personal", "councillor", "official"]
Role = Literal["councillor", "staff", "proper-officer", "chair"]
Capacity = Literal["council", "private", "unknown"]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class Author(_Strict):
    name: str | None = None
    role: Role | None = None
    email: str | None = None


class InReplyTo(_Strict):
    author: str | None = None
    text: str = ""


class Attachment(_Strict):
    filename: str | None = None
    content_type: str | None = None
    description: str | None = None
    path: str | None = None


class Message(_Strict):
    """One draft or e-mail to check. Only ``text`` is required; unknown fields are ignored."""

    id: str | None = None
    kind: Kind = "post"
    channel: str = "unknown"
    account: Account = "personal"
    author: Author = Field(default_factory=Author)
    capacity: Capacity = "unknown"
    text: str
    subject: str | None = None
    from_: str | None = Field(default=None, alias="from")
    to: list[str] = Field(default_factory=list)
    cc: list[str] = Field(default_factory=list)
    bcc: list[str] = Field(default_factory=list)
    forwarded: bool = False
    in_reply_to: InReplyTo | None = None
    attachments: list[Attachment] = Field(default_factory=list)
    authorisations: list[str] = Field(default_factory=list)

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True, populate_by_name=True)

    @property
    def is_email(self) -> bool:
        return self.kind == "email" or self.channel == "email"

    @property
    def recipients(self) -> list[str]:
        return [*self.to, *self.cc, *self.bcc]

    @property
    def is_received(self) -> bool:
        """E-mail the author received rather than sent: `from` is not theirs and a recipient is."""
        mine = (self.author.email or "").strip().lower()
        if not self.is_email or not mine:
            return False
        sender = (self.from_ or "").strip().lower()
        return sender != mine and mine in {r.strip().lower() for r in self.recipients}

    def holds(self, authorisation: str) -> bool:
        return authorisation in self.authorisations


# --- what comes out -------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Evidence:
    """A span of the original text: ``text == message.text[start:end]``."""

    start: int
    end: int
    text: str
    field: str = "text"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text}
        if self.field != "text":
            out["field"] = self.field
        return out


@dataclass(frozen=True)
class Fix:
    """A one-click edit: replace ``original[start:end]`` with ``replacement``."""

    label: str
    start: int
    end: int
    replacement: str

    def apply(self, text: str) -> str:
        return text[: self.start] + self.replacement + text[self.end :]

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "start": self.start, "end": self.end, "replacement": self.replacement}


@dataclass(frozen=True)
class Finding:
    """One rule the message would breach, bound to the pack's clause and wording."""

    rule: str
    severity: Severity
    clause: str
    evidence: tuple[Evidence, ...]
    explanation: str
    remedy: str
    confidence: float = 1.0
    detector: str = ""
    fixes: tuple[Fix, ...] = ()
    docs: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "clause": self.clause,
            "evidence": [e.to_dict() for e in self.evidence],
            "explanation": self.explanation,
            "remedy": self.remedy,
            "confidence": round(self.confidence, 3),
            "detector": self.detector,
        }
        if self.fixes:
            out["fixes"] = [f.to_dict() for f in self.fixes]
        if self.docs:
            out["docs"] = self.docs
        return out


@dataclass(frozen=True)
class Report:
    """The verdict on one message: its findings (sorted, deterministic) and any notes."""

    id: str | None
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()
    trace: tuple[str, ...] = field(default=(), compare=False)

    @property
    def verdict(self) -> str:
        return verdict_of([f.severity for f in self.findings])

    @property
    def rules(self) -> set[str]:
        return {f.rule for f in self.findings}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "verdict": self.verdict,
            "findings": [f.to_dict() for f in self.findings],
        }
        if self.notes:
            out["notes"] = list(self.notes)
        return out
