"""Full-text search of the archive, for FOI requests, subject access requests and legal holds.

One :func:`search` with one query language on both databases, the one people already type into search
boxes: words (all must appear), ``"quoted phrases"``, ``OR`` between alternatives, ``-word`` to exclude.
SQLite answers it with an FTS5 index (porter stemming, bm25 ranking, ``snippet()``); PostgreSQL with a
weighted ``tsvector`` column, ``websearch_to_tsquery('english', ...)``, ``ts_rank_cd`` and ``ts_headline``.
The query is checked here first, so a stray quote is a clear :class:`SearchQueryError`, never SQL.

Filters (date range, sender, recipient, either, finding rule) go through indexed columns and the
``recipients`` and ``findings`` tables, so they stay fast on a million messages.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Iterable

from sqlalchemy import ColumnElement, Select, bindparam, column, exists, func, literal, literal_column, or_
from sqlalchemy import select, table, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from councilguard.records.archive_errors import SearchQueryError
from councilguard.records.items import address_of
from councilguard.records.schema import FindingRow, RecipientRow, RecordRow, RecordText

MARK = ("[", "]")  # how snippets show the words that matched
_WORDY = re.compile(r"\w")
_FTS = table("record_fts", column("rowid"))
_REGCONFIG = literal_column("'english'::regconfig")


@dataclass(frozen=True)
class SearchCriteria:
    """What to look for. Every part is optional; all given parts must hold."""

    query: str = ""
    sender: str | None = None
    recipient: str | None = None
    person: str | None = None  # sender or any recipient
    since: date | None = None  # inclusive, by the message's date (UTC)
    until: date | None = None  # inclusive
    rule: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if v not in (None, "")}
        for k in ("since", "until"):
            if k in out:
                out[k] = out[k].isoformat()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SearchCriteria:
        values = dict(data)
        for k in ("since", "until"):
            if values.get(k):
                values[k] = date.fromisoformat(values[k])
        return cls(**values)

    def describe(self) -> str:
        parts = [f"{k}={v}" for k, v in self.to_dict().items()]
        return ", ".join(parts) or "everything"

    @property
    def is_empty(self) -> bool:
        return not self.to_dict()


@dataclass(frozen=True)
class Hit:
    record_id: int
    dated_at: datetime
    sender: str
    subject: str
    score: float
    snippet: str


@dataclass(frozen=True)
class SearchPage:
    hits: tuple[Hit, ...]
    offset: int
    limit: int
    has_more: bool


# --- the query language -----------------------------------------------------------------------------------

Group = list[tuple[bool, str]]  # (excluded?, word or phrase), all must hold


def parse_query(query: str) -> list[Group]:
    """Split ``query`` into OR-alternatives of (excluded, term); raise a clear error if it makes no sense."""
    groups: list[Group] = [[]]
    i, n = 0, len(query)
    while i < n:
        if query[i].isspace():
            i += 1
            continue
        start, negated = i, query[i] == "-"
        if negated:
            i += 1
            if i >= n or query[i].isspace():
                raise SearchQueryError(query, f"the '-' at character {start + 1} must be followed by the word "
                                              "to leave out, with no space")
        if query[i] == '"':
            close = query.find('"', i + 1)
            if close < 0:
                raise SearchQueryError(query, f'the quote at character {i + 1} is never closed; add a closing "')
            term, i = query[i + 1:close], close + 1
            if not _WORDY.search(term):
                raise SearchQueryError(query, f"the quotes at character {start + 1} hold no words")
        else:
            end = i
            while end < n and not query[end].isspace() and query[end] != '"':
                end += 1
            term, i = query[i:end], end
            if term.upper() == "OR" and not negated:
                if not groups[-1]:
                    raise SearchQueryError(query, "OR needs words on both sides, as in: hedge OR fence")
                groups.append([])
                continue
            if not _WORDY.search(term):
                continue  # punctuation alone finds nothing on either database
        groups[-1].append((negated, term))
    if groups == [[]]:
        if query.strip():
            raise SearchQueryError(query, "there are no words to search for (punctuation alone is not searched)")
        return []
    if not groups[-1]:
        raise SearchQueryError(query, "OR needs words on both sides, as in: hedge OR fence")
    for group in groups:
        if all(negated for negated, _ in group):
            raise SearchQueryError(query, "'-word' only leaves words out; give at least one word to look for")
    return groups


def fts5_expression(groups: list[Group]) -> str:
    """The parsed query as an FTS5 expression: every term quoted, so no user text is FTS5 syntax."""
    def quoted(term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    alternatives = []
    for group in groups:
        expr = " AND ".join(quoted(t) for negated, t in group if not negated)
        expr += "".join(f" NOT {quoted(t)}" for negated, t in group if negated)
        alternatives.append(f"({expr})")
    return " OR ".join(alternatives)


# --- filters and the two backends -------------------------------------------------------------------------


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def filters(criteria: SearchCriteria) -> list[ColumnElement[bool]]:
    """WHERE clauses on ``RecordRow`` for everything but the words."""
    out: list[ColumnElement[bool]] = []

    def to_(address: str) -> ColumnElement[bool]:
        return exists().where(RecipientRow.record_id == RecordRow.id, RecipientRow.address == address_of(address))

    if criteria.sender:
        out.append(RecordRow.sender_address == address_of(criteria.sender))
    if criteria.recipient:
        out.append(to_(criteria.recipient))
    if criteria.person:
        out.append(or_(RecordRow.sender_address == address_of(criteria.person), to_(criteria.person)))
    if criteria.since:
        out.append(RecordRow.dated_at >= _start(criteria.since))
    if criteria.until:
        out.append(RecordRow.dated_at < _start(criteria.until + timedelta(days=1)))
    if criteria.rule:
        out.append(exists().where(FindingRow.record_id == RecordRow.id, FindingRow.rule == criteria.rule))
    return out


def _statement(session: Session, criteria: SearchCriteria, within: Iterable[int] | None) -> tuple[Select, Any]:
    """A SELECT of (id, dated_at, sender, subject, score, snippet) and its ORDER BY, before paging."""
    where = filters(criteria)
    if within is not None:
        where.append(RecordRow.id.in_(list(within)))
    groups = parse_query(criteria.query)
    cols = (RecordRow.id, RecordRow.dated_at, RecordRow.sender, RecordRow.subject)
    if not groups:
        snippet = func.coalesce(func.substr(RecordText.body, 1, 160), "")
        stmt = (select(*cols, literal(0.0).label("score"), snippet.label("snippet"))
                .outerjoin(RecordText, RecordText.record_id == RecordRow.id).where(*where))
        return stmt, (RecordRow.dated_at.desc(), RecordRow.id.desc())
    if session.get_bind().dialect.name == "sqlite":
        rank = func.bm25(literal_column("record_fts"), 4.0, 8.0, 1.0, 0.5)  # people, subject, body, attachments
        snippet = func.snippet(literal_column("record_fts"), -1, MARK[0], MARK[1], "…", 24)
        stmt = (select(*cols, (-rank).label("score"), snippet.label("snippet")).select_from(_FTS)
                .join(RecordRow, RecordRow.id == _FTS.c.rowid)
                .where(text("record_fts MATCH :fts_query").bindparams(fts_query=fts5_expression(groups)), *where))
        return stmt, (rank, RecordRow.id)
    tsquery = func.websearch_to_tsquery(_REGCONFIG, bindparam("ts_query", criteria.query))
    score = func.ts_rank_cd(literal_column("record_text.tsv"), tsquery)
    stmt = (select(*cols, score.label("score"), literal("").label("snippet"))
            .join(RecordText, RecordText.record_id == RecordRow.id)
            .where(literal_column("record_text.tsv").op("@@")(tsquery), *where))
    return stmt, (score.desc(), RecordRow.id)


def _pg_headlines(criteria: SearchCriteria, ranked: Select) -> Select:
    """Headlines for one ranked page alone (``ts_headline`` reads the whole text, so never for every hit)."""
    page = ranked.subquery()
    tsquery = func.websearch_to_tsquery(_REGCONFIG, bindparam("ts_query", criteria.query))
    shown = func.concat_ws(" … ", RecordText.subject, RecordText.body, RecordText.attachments, RecordText.people)
    snippet = func.ts_headline(_REGCONFIG, shown, tsquery,
                               f'StartSel="{MARK[0]}", StopSel="{MARK[1]}", MaxWords=24, MinWords=8, '
                               'MaxFragments=2, FragmentDelimiter=" … "')
    return (select(page.c.id, page.c.dated_at, page.c.sender, page.c.subject, page.c.score,
                   snippet.label("snippet"))
            .join(RecordText, RecordText.record_id == page.c.id).order_by(page.c.score.desc(), page.c.id))


def search(session: Session, criteria: SearchCriteria, *, limit: int = 20, offset: int = 0,
           within: Iterable[int] | None = None) -> SearchPage:
    """One page of records matching ``criteria``, best first (newest first with no words)."""
    if limit < 1 or offset < 0:
        raise SearchQueryError(criteria.query, f"limit must be at least 1 and offset at least 0 "
                                               f"(got limit={limit}, offset={offset})")
    stmt, order = _statement(session, criteria, within)
    stmt = stmt.order_by(*order).limit(limit + 1).offset(offset)
    if session.get_bind().dialect.name == "postgresql" and parse_query(criteria.query):
        stmt = _pg_headlines(criteria, stmt)
    rows = _run(session, criteria, stmt)
    hits = tuple(Hit(r.id, r.dated_at, r.sender, r.subject, float(r.score or 0.0), r.snippet or "")
                 for r in rows[:limit])
    return SearchPage(hits=hits, offset=offset, limit=limit, has_more=len(rows) > limit)


def matching_ids(session: Session, criteria: SearchCriteria, within: Iterable[int]) -> set[int]:
    """Which of the records ``within`` match ``criteria`` (how criteria holds are applied)."""
    ids = list(within)
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        stmt, _ = _statement(session, criteria, ids[start:start + 500])
        found.update(r.id for r in _run(session, criteria, stmt.with_only_columns(RecordRow.id)))
    return found


def _run(session: Session, criteria: SearchCriteria, stmt: Select) -> list[Any]:
    try:
        return list(session.execute(stmt))
    except OperationalError as exc:  # a query parse_query let through but FTS5 still refused
        if "fts5" not in str(exc.orig).lower():
            raise
        raise SearchQueryError(criteria.query, f"the search index cannot read this query ({exc.orig})") from None


__all__ = ["Hit", "SearchCriteria", "SearchPage", "filters", "fts5_expression", "matching_ids",
           "parse_query", "search"]
