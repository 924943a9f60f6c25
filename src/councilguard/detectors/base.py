"""What a detector sees and what it returns.

A detector is a pure function ``(ctx, params) -> Iterable[Hit]``. It knows nothing of clauses or
wording: the engine binds its hits to the pack's rules. ``Context`` gives it the message, the
normalised text, the council profile and shared, lazily computed analyses (mentions, quotes…), so
that two detectors needing the same analysis pay for it once per message.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from councilguard.model import Fix, Message
from councilguard.policy import Council, Pack
from councilguard.text.normalise import Normalised, normalise

if TYPE_CHECKING:  # pragma: no cover
    from councilguard.text.document import Document


@dataclass(frozen=True)
class Hit:
    """Something a detector found: spans into ``message.text`` (or the subject), why, how sure."""

    spans: tuple[tuple[int, int], ...]
    why: str
    score: float = 1.0
    field: str = "text"
    fixes: tuple[Fix, ...] = ()
    data: dict[str, Any] = dataclasses.field(default_factory=dict, compare=False)


class Context:
    """One message being checked, with shared analyses computed on first use."""

    def __init__(self, message: Message, pack: Pack, base_dir: Path | None = None):
        self.message = message
        self.pack = pack
        self.council: Council = pack.council
        self._base_dir = base_dir
        self.notes: list[str] = []
        self.cache: dict[str, Any] = {}

    @property
    def text(self) -> str:
        return self.message.text

    @property
    def base_dir(self) -> Path:
        """Where relative attachment paths start: given, else the working directory (looked up on first need)."""
        if self._base_dir is None:
            self._base_dir = Path.cwd()
        return self._base_dir

    @cached_property
    def norm(self) -> Normalised:
        return normalise(self.message.text)

    @cached_property
    def doc(self) -> "Document":
        from councilguard.text.document import Document

        return Document(self.message.text)

    @cached_property
    def author_member(self):
        """The roster entry of the author, by e-mail first, then by name."""
        a = self.message.author
        return self.council.member_by_email(a.email) or self.council.member_by_name(a.name)

    @cached_property
    def authorisations(self) -> set[str]:
        """Authorisations on the message plus standing consents recorded in the council profile."""
        held = set(self.message.authorisations)
        name = self.author_member.name if self.author_member else self.message.author.name
        return held | self.council.consents_for(name)

    def holds(self, authorisation: str) -> bool:
        return authorisation in self.authorisations

    @cached_property
    def within_council_mail(self) -> bool:
        """An e-mail whose sender and every recipient are on the council's own secure systems: papers
        circulated between members and officers there are not disclosed to anyone outside."""
        msg = self.message
        return msg.is_email and all(self.council.is_secure_address(a) for a in [msg.from_ or "", *msg.recipients] if a)

    @property
    def author_role(self) -> str | None:
        if self.message.author.role:
            return self.message.author.role
        m = self.author_member
        if m is None:
            return None
        return {"proper-officer": "proper-officer", "staff": "staff"}.get(m.kind, "councillor")

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def drop_sentence(self, pos: int) -> Fix:
        """A fix that removes the sentence holding ``pos`` (with the space after it)."""
        sent = self.doc.sentence_at(pos)
        end = sent.end
        while end < len(self.text) and self.text[end] in " \t":
            end += 1
        return Fix("Remove this sentence", sent.start, end, "")

    def memo(self, key: str, compute):
        """Compute a per-message analysis once and share it between detectors."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]
