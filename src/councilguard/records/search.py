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
from math import isqrt
from typing import Any, Iterable

from sqlalchemy import ColumnElement, Select, bindparam, column, exists, func, literal, literal_column, or_
from sqlalchemy import Executable, select, table, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from councilguard.records.archive_errors import SearchQueryError
from councilguard.records.items import address_of
from councilguard.records.schema import FindingRow, RecipientRow, RecordRow, RecordText

MARK = ("[", "]")  # how snippets show the words that matched
# Ranking by relevance scores every match; listing newest first reads messages by date and checks each
# against the index until the page is full. Per message, a check costs about this many times a score
# (measured on 100,000 synthetic council e-mails: FTS5 ~27 us vs ~3 us; PostgreSQL ~23 us vs ~8 us).
CHECK_COST = {"sqlite": 9, "postgresql": 3}
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
    ranked: bool = True  # False: too many matches to rank them all quickly, so newest first


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


def _statement(session: Session, criteria: SearchCriteria, within: Iterable[int] | None,
               *, newest_first: bool = False) -> tuple[Select, Any]:
    """A SELECT of (id, dated_at, sender, subject, score) and its ORDER BY, before paging.

    Ranked, the full-text index drives the query; ``newest_first``, the records' date index does, and
    each message it reads is checked against the index by its id, so it stops after one page.
    """
    where = filters(criteria)
    if within is not None:
        where.append(RecordRow.id.in_(list(within)))
    groups = parse_query(criteria.query)
    cols = (RecordRow.id, RecordRow.dated_at, RecordRow.sender, RecordRow.subject)
    newest = (RecordRow.dated_at.desc(), RecordRow.id.desc())
    if not groups:
        return select(*cols, literal(0.0).label("score")).where(*where), newest
    if session.get_bind().dialect.name == "sqlite":
        fts_match = text("record_fts MATCH :fts_query").bindparams(fts_query=fts5_expression(groups))
        if newest_first:
            found = exists().where(_FTS.c.rowid == RecordRow.id, fts_match)
            return select(*cols, literal(0.0).label("score")).where(found, *where), newest
        rank = func.bm25(literal_column("record_fts"), 4.0, 8.0, 1.0, 0.5)  # people, subject, body, attachments
        stmt = (select(*cols, (-rank).label("score")).select_from(_FTS)
                .join(RecordRow, RecordRow.id == _FTS.c.rowid).where(fts_match, *where))
        return stmt, (rank, RecordRow.id)
    tsquery = func.websearch_to_tsquery(_REGCONFIG, bindparam("ts_query", criteria.query))
    found = literal_column("record_text.tsv").op("@@")(tsquery)
    if newest_first:
        stmt = (select(*cols, literal(0.0).label("score")).join(RecordText, RecordText.record_id == RecordRow.id)
                .where(found, *where))
        return stmt, newest
    score = func.ts_rank_cd(literal_column("record_text.tsv"), tsquery)
    stmt = (select(*cols, score.label("score")).join(RecordText, RecordText.record_id == RecordRow.id)
            .where(found, *where))
    return stmt, (score.desc(), RecordRow.id)


def _too_many_to_rank(session: Session, criteria: SearchCriteria, groups: list[Group], wanted: int) -> bool:
    """SQLite: whether listing newest first is cheaper than ranking every match, for pages of ``wanted`` - 1.

    Ranking m of n messages costs ~m; reading newest first costs ~CHECK_COST * wanted * n / m. They are
    equal at m = sqrt(CHECK_COST * wanted * n): ~4,000 matches at 100,000 messages, ~14,000 at a million.
    FTS5 counts the matches only up to there, so the probe itself takes a millisecond or two.
    """
    records = session.scalar(select(func.max(RecordRow.id))) or 0
    budget = max(1000, isqrt(CHECK_COST["sqlite"] * wanted * records))
    probe = text("SELECT count(*) FROM (SELECT rowid FROM record_fts WHERE record_fts MATCH :q LIMIT :cap)")
    return _run(session, criteria, probe.bindparams(q=fts5_expression(groups), cap=budget + 1))[0][0] > budget


def _newest_among_latest(session: Session, criteria: SearchCriteria, within: Iterable[int] | None,
                         limit: int) -> list[Any] | None:
    """PostgreSQL: the first page newest first if the latest messages alone fill it, else None (then rank).

    GIN cannot count matches cheaply, nor check a phrase without reading each message, so instead of a
    probe the newest ``latest`` messages (within the filters) are checked; that stops early for common
    words and costs a bounded ~``latest`` checks for rare ones, which are then few enough to rank.
    """
    records = session.scalar(select(func.max(RecordRow.id))) or 0
    count = max(500, isqrt((limit + 1) * records // CHECK_COST["postgresql"]))
    if records <= count:
        return None  # a small archive: ranking every match is as quick
    where = filters(criteria) + ([RecordRow.id.in_(list(within))] if within is not None else [])
    # Read the latest messages first (MATERIALIZED), then check each by its id (a scalar subquery, which
    # the planner cannot turn into a scan of every match in the GIN index).
    latest = (select(RecordRow.id).where(*where).order_by(RecordRow.dated_at.desc(), RecordRow.id.desc())
              .limit(count).cte("latest").prefix_with("MATERIALIZED"))
    tsquery = func.websearch_to_tsquery(_REGCONFIG, bindparam("ts_query", criteria.query))
    found = (select(literal_column("record_text.tsv").op("@@")(tsquery)).select_from(RecordText)
             .where(RecordText.record_id == latest.c.id).scalar_subquery())
    stmt = (select(RecordRow.id, RecordRow.dated_at, RecordRow.sender, RecordRow.subject, literal(0.0).label("score"))
            .select_from(latest).join(RecordRow, RecordRow.id == latest.c.id).where(found)
            .order_by(RecordRow.dated_at.desc(), RecordRow.id.desc()).limit(limit + 1))
    rows = _run(session, criteria, stmt)
    return rows if len(rows) > limit else None


def _snippets(session: Session, criteria: SearchCriteria, groups: list[Group], ids: list[int]) -> dict[int, str]:
    """Snippets for one page alone: making one reads the message's whole text, so never for every match."""
    if not ids:
        return {}
    if not groups:
        rows = session.execute(select(RecordText.record_id, func.substr(RecordText.body, 1, 160))
                               .where(RecordText.record_id.in_(ids)))
    elif session.get_bind().dialect.name == "sqlite":
        snippet = func.snippet(literal_column("record_fts"), -1, MARK[0], MARK[1], "…", 24)
        rows = session.execute(select(_FTS.c.rowid, snippet).select_from(_FTS).where(
            text("record_fts MATCH :fts_query").bindparams(fts_query=fts5_expression(groups)),
            _FTS.c.rowid.in_(ids)))
    else:
        tsquery = func.websearch_to_tsquery(_REGCONFIG, bindparam("ts_query", criteria.query))
        shown = func.concat_ws(" … ", RecordText.subject, RecordText.body, RecordText.attachments, RecordText.people)
        headline = func.ts_headline(_REGCONFIG, shown, tsquery,
                                    f'StartSel="{MARK[0]}", StopSel="{MARK[1]}", MaxWords=24, MinWords=8, '
                                    'MaxFragments=2, FragmentDelimiter=" … "')
        rows = session.execute(select(RecordText.record_id, headline).where(RecordText.record_id.in_(ids)))
    return {record_id: snippet or "" for record_id, snippet in rows}


def search(session: Session, criteria: SearchCriteria, *, limit: int = 20, offset: int = 0,
           within: Iterable[int] | None = None) -> SearchPage:
    """One page of records matching ``criteria``, best first (newest first with no words)."""
    if limit < 1 or offset < 0:
        raise SearchQueryError(criteria.query, f"limit must be at least 1 and offset at least 0 "
                                               f"(got limit={limit}, offset={offset})")
    # Whether to rank depends on the query and the page size, never on the offset, so pages never mix orders.
    groups = parse_query(criteria.query)
    rows, ranked = None, True
    if groups and session.get_bind().dialect.name == "postgresql":
        first = _newest_among_latest(session, criteria, within, limit)
        ranked = first is None
        rows = first if first is not None and offset == 0 else None
    elif groups:
        ranked = not _too_many_to_rank(session, criteria, groups, limit + 1)
    if rows is None:
        stmt, order = _statement(session, criteria, within, newest_first=not ranked)
        rows = _run(session, criteria, stmt.order_by(*order).limit(limit + 1).offset(offset))
    snippets = _snippets(session, criteria, groups, [r.id for r in rows[:limit]])
    hits = tuple(Hit(r.id, r.dated_at, r.sender, r.subject, float(r.score or 0.0), snippets.get(r.id, ""))
                 for r in rows[:limit])
    return SearchPage(hits=hits, offset=offset, limit=limit, has_more=len(rows) > limit, ranked=ranked)


def matching_ids(session: Session, criteria: SearchCriteria, within: Iterable[int]) -> set[int]:
    """Which of the records ``within`` match ``criteria`` (how criteria holds are applied)."""
    ids = list(within)
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        stmt, _ = _statement(session, criteria, ids[start:start + 500])
        found.update(r.id for r in _run(session, criteria, stmt.with_only_columns(RecordRow.id)))
    return found


def _run(session: Session, criteria: SearchCriteria, stmt: Executable) -> list[Any]:
    try:
        return list(session.execute(stmt))
    except OperationalError as exc:  # a query parse_query let through but FTS5 still refused
        if "fts5" not in str(exc.orig).lower():
            raise
        raise SearchQueryError(criteria.query, f"the search index cannot read this query ({exc.orig})") from None


__all__ = ["Hit", "SearchCriteria", "SearchPage", "filters", "fts5_expression", "matching_ids",
           "parse_query", "search"]
