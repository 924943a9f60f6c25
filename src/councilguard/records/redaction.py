"""Redaction for information requests: the text of a record as disclosed, proposals, decisions, markers.

WHY: every responsive record must be read for other people's personal data before it is disclosed. The
Clerk cannot do that line by line for fifty e-mails, and must not be left to guess the law either, so
each personal-data item (``councilguard.personal_data``) becomes a *proposal* with its ground and a
reason, which the Clerk accepts or rejects:

* FOI: third parties' data under FOIA s40(2), only after the legitimate-interests test, whose outcome the
  Clerk records as the note; councillors' and officers' names and council addresses in their public role
  are proposed to be *kept*. EIR: the same under EIR reg 13 (reg 13(2A) applies the same test).
* Subject access: the data subject's own data is kept; everyone else's is proposed for redaction as
  "third party data (DPA 2018 Sch 2 para 16)".

Spans index the record's *disclosure text* (:func:`record_document`): the archived header facts, then the
body, forwarded messages and attachment texts re-read from the raw message with ``parse_mail``. Each
redaction keeps the text it covered; if a record's text ever reads differently (a changed mail reader),
applying refuses rather than blacking out the wrong words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import select

from councilguard.personal_data import PERSON, PersonalItem, find_personal_data
from councilguard.policy import Council, Member, Pack
from councilguard.records import chain
from councilguard.records.archive import Archive
from councilguard.records.archive_errors import ContentDeletedError
from councilguard.records.clocks import RequestType
from councilguard.records.mail import Address, ParsedMail, parse_mail
from councilguard.records.request_schema import RequestRecordRow, RequestRedactionRow
from councilguard.records.request_store import (
    DataSubject,
    Redaction,
    RedactionError,
    RequestStore,
    actor_of,
    phone_key,
    to_redaction,
    to_request,
)
__all__ = ["GROUNDS", "KIND_WORDS", "Proposal", "RecordDocument", "Redactions", "apply_redactions", "marker",
           "propose_for", "record_document"]


@dataclass(frozen=True)
class Ground:
    cite: str  # what the marker shows
    meaning: str  # what the schedule and cover page say


GROUNDS = {
    RequestType.FOI: Ground("s40(2)", "FOIA s40(2): personal data of someone other than the requester, whose "
                                      "disclosure would breach the data protection principles"),
    RequestType.EIR: Ground("reg 13", "EIR reg 13: personal data of someone other than the requester, whose "
                                      "disclosure would breach the data protection principles"),
    RequestType.SAR: Ground("DPA 2018 Sch 2 para 16", "third party data (DPA 2018 Sch 2 para 16): information "
                                                      "about other people, who have not consented to its "
                                                      "disclosure"),
}
KIND_WORDS = {PERSON: "a name", "UK_PHONE": "a phone number", "EMAIL_ADDRESS": "an e-mail address",
              "UK_STREET_ADDRESS": "a postal address", "UK_POSTCODE": "a postcode",
              "UK_NINO": "a National Insurance number", "UK_NHS": "an NHS number",
              "UK_BANK_ACCOUNT": "a bank account number", "UK_SORT_CODE": "a sort code",
              "DATE_OF_BIRTH": "a date of birth", "CLERK": "words the Clerk chose"}
_TITLES = re.compile(r"^(?:(?:cllr|councillor|mr|mrs|ms|miss|mx|dr|prof|sir|dame|rev)\.?\s+)+", re.I)
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.I)
_RULE = "-" * 10


def marker(ground: str) -> str:
    return f"[REDACTED: {ground}]"


def words_for(kind: str) -> str:
    return KIND_WORDS.get(kind, kind.lower().replace("_", " "))


# --- the disclosure text of a record ----------------------------------------------------------------------


@dataclass(frozen=True)
class RecordDocument:
    """A record's text as it would be disclosed, and where each part of it starts (for the schedule)."""

    record_id: int
    text: str
    sections: tuple[tuple[int, str], ...]  # (start offset, label), in order

    def where(self, offset: int) -> str:
        """Where ``offset`` falls, in words: 'From line', 'body, line 3', "attachment 'x.docx', line 2"."""
        start, label = 0, "text"
        for s_start, s_label in self.sections:
            if s_start > offset:
                break
            start, label = s_start, s_label
        if label.endswith(" line"):
            return label
        return f"{label}, line {self.text.count(chr(10), start, offset) + 1}"


class _Writer:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.sections: list[tuple[int, str]] = []
        self.length = 0

    def add(self, text: str, label: str | None = None) -> None:
        if label is not None:
            self.sections.append((self.length, label))
        self.parts.append(text)
        self.length += len(text)


def record_document(archive: Archive, record_id: int) -> RecordDocument:
    """The record's disclosure text (raises ContentDeletedError once its content was lawfully deleted)."""
    record = archive.get(record_id)
    parsed = parse_mail(archive.raw(record_id))
    w = _Writer()
    heads = [("From", record.sender), ("To", ", ".join(record.to)), ("Cc", ", ".join(record.cc)),
             ("Date", f"{_when(record.dated_at)} UTC"), ("Subject", record.subject)]
    for name, value in heads:
        if value:
            w.add(f"{name}: ", f"{name} line")
            w.add(_one_line(value) + "\n")
    body = parsed.text.strip() or (parsed.html_text or "").strip() or (record.body_text or "").strip()
    if body:
        w.add("\n")
        w.add(body + "\n", "body")
    attachments = [(a.filename, a.content_type, a.size, a.text) for a in parsed.attachments]
    if not parsed.attachments and not parsed.inner_messages:
        attachments = [(a.filename, a.content_type, a.size, a.text) for a in record.attachments]
    _inner_and_attachments(w, parsed, attachments, depth=0)
    return RecordDocument(record_id, "".join(w.parts), tuple(w.sections))


def _inner_and_attachments(w: _Writer, parsed: ParsedMail, attachments, depth: int) -> None:
    for n, inner in enumerate(parsed.inner_messages, 1):
        label = "returned message" if parsed.is_bounce else "forwarded message"
        w.add("\n")
        w.add(f"{_RULE} {label.capitalize()} {_RULE}\n", f"{label} {n}" if depth == 0 else None)
        for name, value in (("From", str(inner.from_) if inner.from_ else ""), ("To", _who(inner, inner.to)),
                            ("Cc", _who(inner, inner.cc)),
                            ("Date", _when(inner.date) if inner.date else ""),
                            ("Subject", inner.subject or "")):
            if value:
                w.add(f"{name}: {_one_line(value)}\n")
        if inner.text.strip():
            w.add("\n" + inner.text.strip() + "\n")
        if depth < 5:
            _inner_and_attachments(w, inner, [(a.filename, a.content_type, a.size, a.text)
                                              for a in inner.attachments], depth + 1)
    for filename, ctype, size, text in attachments:
        if ctype == "message/rfc822" and parsed.inner_messages:
            continue  # shown above as a forwarded message
        name = filename or "unnamed"
        if text and text.strip():
            w.add("\n")
            w.add(f"{_RULE} Attachment: {name} ({ctype}) {_RULE}\n", f"attachment '{name}'" if depth == 0 else None)
            w.add(text.strip() + "\n")
        else:
            w.add(f"\n{_RULE} Attachment: {name} ({ctype}, {size:,} bytes): no text could be read; it is not "
                  f"part of this text and must be reviewed separately {_RULE}\n")


def _who(parsed: ParsedMail, addrs: tuple[str, ...]) -> str:
    return ", ".join(str(Address(a, parsed.names.get(a))) for a in addrs)


def _when(moment) -> str:
    return f"{moment.day} {moment:%B %Y %H:%M}"


def _one_line(value: str) -> str:
    return " ".join(value.split())


# --- proposals --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    action: str  # redact | keep
    reason: str
    ground: str


def _flat(name: str) -> str:
    """A name as compared: lower case, no full stops, one space between words, no possessive 's."""
    return re.sub(r"[’']s$", "", " ".join(name.replace(".", " ").split()).strip(" ,;:()")).lower()


def _norm(name: str) -> str:
    """:func:`_flat` without leading titles ("Mrs Joan Baker" -> "joan baker")."""
    return _TITLES.sub("", _flat(name)).strip()


def _roster(council: Council | None) -> dict[str, Member]:
    """Every way the roster names a member (titled surnames too), and their untitled full names."""
    found: dict[str, Member] = {}
    for m in council.members if council is not None else ():
        for variant in m.names():
            found.setdefault(_flat(variant), m)
            if " " in _norm(variant):
                found.setdefault(_norm(variant), m)
    return found


def _role(m: Member) -> str:
    if m.kind == "councillor":
        return f"{m.name}, councillor"
    return f"{m.name}, {m.role or ('Proper Officer' if m.kind == 'proper-officer' else 'council officer')}"


def _postcodes(text: str) -> set[str]:
    return {(a + b).upper() for a, b in _POSTCODE.findall(text)}


def _subjects(item: PersonalItem, subject: DataSubject) -> bool | None:
    """Whether ``item`` is the data subject's own (None: cannot be told from the item alone)."""
    if item.kind == PERSON:
        name, theirs = _norm(item.text), [_norm(n) for n in subject.names]
        if _flat(item.text) in map(_flat, subject.names) or (" " in name and name in theirs):
            return True  # as the Clerk listed it, or the full name with a title added or dropped
        words = set(name.split())  # "Baker" alone may or may not be her
        return None if words and any(words <= set(t.split()) for t in theirs) else False
    if item.kind == "EMAIL_ADDRESS":
        return item.text.lower() in subject.emails
    if item.kind == "UK_PHONE":
        return phone_key(item.text) in {phone_key(p) for p in subject.phones}
    if item.kind in ("UK_STREET_ADDRESS", "UK_POSTCODE"):
        flat = re.sub(r"\W", "", item.text.lower())
        theirs = {code for a in subject.addresses for code in _postcodes(a)}
        return bool(_postcodes(item.text) & theirs) or any(flat and flat in re.sub(r"\W", "", a.lower())
                                                            for a in subject.addresses)
    return None


def propose_for(item: PersonalItem, kind: RequestType, *, council: Council | None = None,
                subject: DataSubject | None = None, roster: dict[str, Member] | None = None) -> Proposal:
    """What to propose for one personal-data item of a record disclosed for a request of ``kind``."""
    roster = _roster(council) if roster is None else roster
    ground, what = GROUNDS[kind].cite, words_for(item.kind)
    member = (roster.get(_flat(item.text)) or roster.get(_norm(item.text))) if item.kind == PERSON else None
    if item.kind == "EMAIL_ADDRESS" and council is not None:
        member = council.member_by_email(item.text)
    if kind is RequestType.SAR:
        own = _subjects(item, subject or DataSubject())
        if own:
            return Proposal("keep", "keep: the data subject's own data", ground)
        if member is not None:
            return Proposal("redact", f"third party: {_role(member)} (staff and councillors in their work "
                                      "role are often disclosed; the Clerk decides)", ground)
        if own is None:
            return Proposal("redact", f"{what}: whose it is cannot be told; check whether it is the "
                                      "data subject's", ground)
        return Proposal("redact", f"third party's personal data ({what})", ground)
    if member is not None:
        return Proposal("keep", f"keep: public role ({_role(member)})", ground)
    if item.kind == "EMAIL_ADDRESS" and council is not None:
        personal = next((m for m in council.members if item.text.lower() in (e.lower() for e in m.personal_emails)),
                        None)
        if personal is not None:
            return Proposal("redact", f"personal (not council) e-mail address of {_role(personal)}", ground)
        if council.is_council_address(item.text):
            return Proposal("keep", "keep: public role (a council address)", ground)
    return Proposal("redact", f"personal data of a third party ({what})", ground)


# --- applying ---------------------------------------------------------------------------------------------


def apply_redactions(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """``text`` with each (start, end, ground) span replaced by ``[REDACTED: ground]``; overlapping spans
    are merged into one marker naming each ground once."""
    merged: list[list] = []
    for start, end, ground in sorted(spans):
        if not 0 <= start < end <= len(text):
            raise RedactionError(f"span {start}-{end} is outside the text (0-{len(text)})")
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            if ground not in merged[-1][2]:
                merged[-1][2].append(ground)
        else:
            merged.append([start, end, [ground]])
    out, pos = [], 0
    for start, end, grounds in merged:
        out += [text[pos:start], marker("; ".join(grounds))]
        pos = end
    return "".join(out) + text[pos:]


@dataclass(frozen=True)
class RedactedRecord:
    document: RecordDocument
    text: str  # with markers
    applied: tuple[Redaction, ...]  # the redactions applied (outcome 'redact'), in text order


# --- the service ------------------------------------------------------------------------------------------


class Redactions:
    """Propose, list, decide and apply a request's redactions."""

    def __init__(self, archive: Archive, pack: Pack | None = None):
        self.archive = archive
        self.store = RequestStore(archive.engine)
        self.council = pack.council if pack is not None else None
        self.pack = pack
        self._roster = _roster(self.council)

    def document(self, record_id: int) -> RecordDocument:
        return record_document(self.archive, record_id)

    def propose(self, reference: str, *, actor: str, record_ids: Iterable[int] | None = None,
                again: bool = False) -> tuple[dict[int, int], dict[int, str]]:
        """Proposals for each collected record not out of scope or withheld whole (or only ``record_ids``).
        Records that already have proposals are skipped unless ``again``, which replaces the undecided ones.
        Returns (record -> proposals added, record -> why it was skipped)."""
        actor = actor_of(actor)
        with self.store.read() as s:
            request = to_request(self.store.load_open(s, reference, "propose redactions"))
            rows = list(s.scalars(select(RequestRecordRow).where(RequestRecordRow.request_id == request.id)))
            proposed = set(s.scalars(select(RequestRedactionRow.record_id).where(
                RequestRedactionRow.request_id == request.id, RequestRedactionRow.origin == "finder")))
        wanted = None if record_ids is None else set(record_ids)
        unknown = sorted((wanted or set()) - {r.record_id for r in rows})
        if unknown:
            raise RedactionError(f"record {', '.join(map(str, unknown))} was not collected for {request.reference}")
        made: dict[int, list[tuple[PersonalItem, Proposal]]] = {}
        skipped: dict[int, str] = {}
        for r in sorted(rows, key=lambda r: r.record_id):
            if wanted is not None and r.record_id not in wanted:
                continue
            if r.scope == "out" or r.withheld:
                skipped[r.record_id] = "out of scope" if r.scope == "out" else "withheld whole"
            elif r.record_id in proposed and not again:
                skipped[r.record_id] = "already has proposals (propose again to replace the undecided ones)"
            else:
                doc = self._document_or_none(r.record_id, skipped)
                if doc is not None:
                    made[r.record_id] = [(i, propose_for(i, request.kind, council=self.council,
                                                         subject=request.subject, roster=self._roster))
                                         for i in find_personal_data(doc.text, self.pack)]
        added: dict[int, int] = {}
        with self.store.write() as s:
            row = self.store.load_open(s, reference, "propose redactions")
            for record_id, pairs in made.items():
                kept = self._clear_undecided(s, row.id, record_id)
                added[record_id] = 0
                for item, p in pairs:
                    if (item.start, item.end) in kept:
                        continue
                    added[record_id] += 1
                    s.add(RequestRedactionRow(request_id=row.id, record_id=record_id, span_start=item.start,
                                              span_end=item.end, text=item.text, kind=item.kind, proposed=p.action,
                                              reason=p.reason, ground=p.ground, origin="finder",
                                              created_at=chain.now(), created_by=actor))
            self.store.log(s, row, actor, "redactions-proposed", records={str(k): v for k, v in added.items()},
                           skipped={str(k): v for k, v in skipped.items()})
        return added, skipped

    def _document_or_none(self, record_id: int, skipped: dict[int, str]) -> RecordDocument | None:
        try:
            return self.document(record_id)
        except ContentDeletedError as exc:
            skipped[record_id] = str(exc)
            return None

    def _clear_undecided(self, s, request_id: int, record_id: int) -> set[tuple[int, int]]:
        """Delete the record's undecided finder proposals; the spans of the decided ones that remain."""
        kept: set[tuple[int, int]] = set()
        for r in s.scalars(select(RequestRedactionRow).where(RequestRedactionRow.request_id == request_id,
                                                             RequestRedactionRow.record_id == record_id)):
            if r.decision is None and r.origin == "finder":
                s.delete(r)
            else:
                kept.add((r.span_start, r.span_end))
        s.flush()
        return kept

    def list_redactions(self, reference: str, *, record_id: int | None = None,
                        undecided: bool = False) -> list[Redaction]:
        with self.store.read() as s:
            row = self.store.load(s, reference)
            stmt = select(RequestRedactionRow).where(RequestRedactionRow.request_id == row.id)
            if record_id is not None:
                stmt = stmt.where(RequestRedactionRow.record_id == record_id)
            if undecided:
                stmt = stmt.where(RequestRedactionRow.decision.is_(None))
            stmt = stmt.order_by(RequestRedactionRow.record_id, RequestRedactionRow.span_start, RequestRedactionRow.id)
            return [to_redaction(r) for r in s.scalars(stmt)]

    def decide(self, reference: str, *, accept: bool, actor: str, ids: Iterable[int] = (),
               record_id: int | None = None, note: str | None = None) -> list[Redaction]:
        """Accept (do as proposed) or reject (the opposite) the given proposals, or every undecided one of
        ``record_id``, or of the whole request. For FOI and EIR, redacting a third party's data needs the
        legitimate-interests test's outcome as ``note``."""
        actor, note, ids = actor_of(actor), (note or "").strip() or None, sorted(set(ids))
        with self.store.write() as s:
            row = self.store.load_open(s, reference, "decide redactions")
            stmt = select(RequestRedactionRow).where(RequestRedactionRow.request_id == row.id)
            if ids:
                stmt = stmt.where(RequestRedactionRow.id.in_(ids))
            else:
                stmt = stmt.where(RequestRedactionRow.decision.is_(None))
                if record_id is not None:
                    stmt = stmt.where(RequestRedactionRow.record_id == record_id)
            chosen = list(s.scalars(stmt.order_by(RequestRedactionRow.id)))
            missing = sorted(set(ids) - {r.id for r in chosen})
            if missing:
                raise RedactionError(f"no redaction {', '.join(map(str, missing))} in {row.reference}")
            if not chosen:
                raise RedactionError(f"{row.reference}: no undecided proposals to decide")
            kind = RequestType(row.kind)
            for r in chosen:
                decision = r.proposed if accept else ("keep" if r.proposed == "redact" else "redact")
                if decision == "redact" and not note and _needs_test(kind, r.ground):
                    raise RedactionError(_LIT_NEEDED.format(cite=_law(kind), id=r.id))
                r.decision, r.decided_by, r.decided_at, r.note = decision, actor, chain.now(), note or r.note
            self.store.log(s, row, actor, "redactions-decided", accept=accept, ids=[r.id for r in chosen], note=note)
            return [to_redaction(r) for r in chosen]

    def add(self, reference: str, record_id: int, text: str, *, actor: str, ground: str | None = None,
            note: str | None = None) -> list[Redaction]:
        """Redact every occurrence (any case) of ``text`` in the record, decided at once by the Clerk."""
        actor, note = actor_of(actor), (note or "").strip() or None
        wanted = (text or "").strip()
        if not wanted:
            raise RedactionError("give the words to redact")
        doc = self.document(record_id)
        spans = [(m.start(), m.end()) for m in re.finditer(re.escape(wanted), doc.text, re.IGNORECASE)]
        if not spans:
            raise RedactionError(f"{wanted!r} does not occur in record {record_id}'s text")
        with self.store.write() as s:
            row = self.store.load_open(s, reference, "add redactions")
            self.store.collected(s, row.id, record_id)
            kind = RequestType(row.kind)
            ground = (ground or "").strip() or GROUNDS[kind].cite
            if len(ground) > 80:
                raise RedactionError(f"the ground is {len(ground)} characters long; cite it in at most 80")
            if not note and _needs_test(kind, ground):
                raise RedactionError(_LIT_NEEDED.format(cite=_law(kind), id="new"))
            rows = [RequestRedactionRow(request_id=row.id, record_id=record_id, span_start=a, span_end=b,
                                        text=doc.text[a:b], kind="CLERK", proposed="redact",
                                        reason="added by the Clerk",
                                        ground=ground, origin="clerk", created_at=chain.now(), created_by=actor,
                                        decision="redact", decided_at=chain.now(), decided_by=actor, note=note)
                    for a, b in spans]
            s.add_all(rows)
            s.flush()
            self.store.log(s, row, actor, "redaction-added", record=record_id, spans=len(rows), ground=ground,
                           note=note)
            return [to_redaction(r) for r in rows]

    def redacted(self, reference: str, record_id: int, *, draft: bool = False) -> RedactedRecord:
        """The record's disclosure text with its redactions applied (undecided ones as proposed when
        ``draft``; otherwise undecided ones are an error)."""
        doc = self.document(record_id)
        found = self.list_redactions(reference, record_id=record_id)
        pending = [r.id for r in found if r.decision is None]
        if pending and not draft:
            raise RedactionError(f"record {record_id} has {len(pending)} undecided proposal(s) "
                                 f"({', '.join(map(str, pending[:10]))}); decide them first")
        applied = tuple(r for r in found if r.outcome == "redact")
        for r in applied:
            if doc.text[r.start:r.end] != r.text:
                raise RedactionError(f"record {record_id}: redaction {r.id} no longer fits the record's text (it "
                                     "reads differently now); propose again for this record and decide anew")
        return RedactedRecord(doc, apply_redactions(doc.text, [(r.start, r.end, r.ground) for r in applied]), applied)


_LIT_NEEDED = ("{cite} applies only after the legitimate-interests test: give a note recording it (is there a "
               "legitimate interest in disclosure, is disclosure necessary for it, does it outweigh the person's "
               "rights?) (redaction {id})")


def _law(kind: RequestType) -> str:
    return "FOIA s40(2)" if kind is RequestType.FOI else "EIR reg 13"


def _needs_test(kind: RequestType, ground: str) -> bool:
    return kind is not RequestType.SAR and ground == GROUNDS[kind].cite
