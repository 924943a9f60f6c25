"""Full-text search of the archive, for FOI requests, subject access requests and legal holds.

One :func:`search` with one query language on both databases, the one people already type into search
boxes: words (all must appear), ``"quoted phrases"``, ``OR`` between alternatives, ``-word`` to exclude.
SQLite answers it with an FTS5 index (porter stemming, bm25 ranking, ``snippet()``); PostgreSQL with a
weighted ``tsvector`` column, ``websearch_to_tsquery('english', ...)``, ``ts_rank_cd`` and ``ts_headline``.
The query is checked here first, so a stray quote is a clear :class:`SearchQueryError`, never SQL.

Filters (date range, sender, recipient, either, finding rule) go through indexed columns and the
``recipients`` and ``findings`` tables, so they stay fast on a million messages.

What makes words slow differs by database. FTS5 lists the messages holding a word quickly (~0.3 us each)
but checks one message by its id slowly (~70 us, and up to 20 ms for a phrase), so SQLite lists once and
walks the messages by date against the list (see ``_sqlite_search``). PostgreSQL's
GIN index says only which messages hold a word, and scoring, checking a phrase or showing a snippet reads
the message's stored ``tsvector`` (~40 us each). So on PostgreSQL a search first counts its candidates
from the indexes alone (up to a bound), then: few are ranked; more are read from the indexes and listed
newest first; very many are found by reading the newest messages and checking each until the page is
full (and a word in most messages is found that way without counting, see ``PG_FIRST_LOOK``). A quoted
phrase finds its candidates through the index of adjacent word pairs (migration
``0009_search_scale``), so a rare phrase of common words does not mean checking every message holding
its words.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta, timezone
from math import isqrt
from typing import Any, Iterable

from sqlalchemy import ARRAY, ColumnElement, Integer, Select, Text, bindparam, cast, column, exists, func, literal
from sqlalchemy import Executable, literal_column, or_, select, table, text
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from councilguard.records import pg_index
from councilguard.records.archive_errors import SearchQueryError
from councilguard.records.items import address_of
from councilguard.records.schema import FindingRow, RecipientRow, RecordRow, RecordText

MARK = ("[", "]")  # how snippets show the words that matched
# SQLite (FTS5), measured on a million synthetic council e-mails: ranking costs ~3 us a match (bm25);
# reading the index's list of matching messages ~0.3 us a match for a word (more for a phrase, whose
# positions are checked); checking one message against the index by its id ~70 us for a word, but from
# 0.1 to 20 ms for a phrase. So at most SQLITE_RANK_LIMIT matches are ranked (~10 ms); more are listed
# newest first, by walking the messages by date against the index's list of matches, read once, or, for
# a query in so many messages that the newest few fill the page, by checking messages one by one. For a
# word the two cost the same at about SQLITE_SET_FACTOR x sqrt(messages) matches (~64,000 at a million).
# See _sqlite_search.
SQLITE_RANK_LIMIT = 3000
SQLITE_SET_FACTOR = 64
SQLITE_FIRST_LOOK = 4  # pages' worth of the newest messages checked one by one first
SQLITE_WALK_BATCH = 2000  # messages read by date at a time when walking against the list
BM25 = (4.0, 8.0, 1.0, 0.5)  # weights of the FTS5 columns: people, subject, body, attachments
BM25_WEIGHTS = ", ".join(map(str, BM25))
_IN_CHUNK = 500  # ids in one IN (...) list
# PostgreSQL: at most this many matches are ranked (each costs a read of its tsvector, ~40-70 us) ...
PG_RANK_LIMIT = 300
# ... and a candidate found from the indexes alone costs ~13 us to list, a message checked by reading its
# tsvector ~40 us: so up to ~sqrt(3 x page x messages) candidates are listed from the indexes, and with
# more than that the newest messages are checked one by one (the page fills after ~page x messages /
# candidates of them). See _pg_search.
PG_LIST_RATIO = 3
PG_LIST_MIN = 1000  # listing this many from the indexes is always quick
PG_FIRST_LOOK = 8  # pages' worth of the newest messages checked first, for words in most messages
PG_WORK_MEM = "64MB"  # so the indexes' bitmaps of a million messages stay exact (no re-reading of rows)
SNIPPET_WINDOW = 700  # characters around the first match that PostgreSQL's ts_headline reads
_WORDY = re.compile(r"\w")
_FTS_WORD = re.compile(r"[^\W_]+")  # what FTS5's unicode61 tokeniser reads as one word
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


def _where(criteria: SearchCriteria, within: Iterable[int] | None) -> list[ColumnElement[bool]]:
    """``filters`` plus, when given, the records a search is confined to (a request's collected records)."""
    return filters(criteria) + ([RecordRow.id.in_(list(within))] if within is not None else [])


def _statement(session: Session, criteria: SearchCriteria, within: Iterable[int] | None,
               *, newest_first: bool = False) -> tuple[Select, Any]:
    """A SELECT of (id, dated_at, sender, subject, score) and its ORDER BY, before paging.

    Ranked, the full-text index drives the query; ``newest_first``, the records' date index does, and
    each message it reads is checked against the index by its id, so it stops after one page.
    """
    where = _where(criteria, within)
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
        rank = func.bm25(literal_column("record_fts"), *BM25)
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


def _sqlite_search(session: Session, criteria: SearchCriteria, within: Iterable[int] | None, limit: int,
                   offset: int) -> tuple[list[Any], bool]:
    """SQLite: a page of (id, dated_at, sender, subject, score) rows, and whether they are ranked.

    0. In a large archive, check the newest SQLITE_FIRST_LOOK pages' worth of messages one by one (see
       _first_look_fills): a query matching most messages fills the first page from them, and is then
       listed newest first that way.
    1. Else read the index's list of matching messages, up to SQLITE_SET_FACTOR x sqrt(messages) of them.
       At most SQLITE_RANK_LIMIT: rank them. Up to the bound: walk the messages newest first (within the
       filters) and keep those on the list. More: check the newest messages one by one (few are needed).
    Which applies never depends on the offset, so the pages of one search never mix orders.
    """
    groups = parse_query(criteria.query)
    records = session.scalar(select(func.max(RecordRow.id))) or 0
    bound = max(SQLITE_RANK_LIMIT, SQLITE_SET_FACTOR * isqrt(records))

    def one_by_one(read: int | None) -> list[Any]:
        stmt, order = _statement(session, criteria, within, newest_first=True)
        if read is not None:  # only the newest ``read`` messages (within the filters) are checked
            newest = select(RecordRow.id).where(*filters(criteria)).order_by(*order).limit(read)
            stmt = stmt.where(RecordRow.id.in_(newest.scalar_subquery()))
        return _run(session, criteria, stmt.order_by(*order).limit(limit + 1).offset(0 if read else offset))

    if records // SQLITE_FIRST_LOOK > bound:  # see PG_FIRST_LOOK: the same reasoning
        if _first_look_fills(session, criteria, groups, SQLITE_FIRST_LOOK * (limit + 1), limit + 1):
            return one_by_one(SQLITE_FIRST_LOOK * (limit + 1) if offset == 0 else None), False
    expression = fts5_expression(groups)
    # Scored while listed, up to the ranking limit: a query with no more matches is ranked from these
    # scores without FTS5 reading its matches again (for a phrase, tens of milliseconds each time).
    scored = _listed(criteria, session, f"SELECT rowid, bm25(record_fts, {BM25_WEIGHTS}) FROM record_fts "
                                        "WHERE record_fts MATCH ? LIMIT ?", expression, SQLITE_RANK_LIMIT + 1)
    if len(scored) <= SQLITE_RANK_LIMIT:
        return _ranked_page(session, criteria, within, scored, limit, offset), True
    matching = {row[0] for row in _listed(criteria, session, "SELECT rowid FROM record_fts WHERE record_fts MATCH ? "
                                                             "LIMIT ?", expression, bound + 1)}
    if len(matching) > bound:
        return one_by_one(None), False
    return _walk(session, criteria, within, matching, offset + limit + 1)[offset:], False


def _listed(criteria: SearchCriteria, session: Session, sql: str, expression: str, cap: int) -> list[tuple]:
    """Rows of ``sql`` (an FTS5 listing) read straight from SQLite: plain tuples, ~10x quicker to read."""
    cursor = _raw(session).cursor()
    try:
        return cursor.execute(sql, (expression, cap)).fetchall()
    except sqlite3.OperationalError as exc:  # a query parse_query let through but FTS5 still refused
        raise SearchQueryError(criteria.query, f"the search index cannot read this query ({exc})") from None
    finally:
        cursor.close()


def _ranked_page(session: Session, criteria: SearchCriteria, within: Iterable[int] | None,
                 scored: list[tuple[int, float]], limit: int, offset: int) -> list[Any]:
    """A page of the matches ``scored`` (id, bm25: lower is better) that pass the filters, best first."""
    where = _where(criteria, within)
    ids = [record_id for record_id, _ in scored]
    if where:
        passing: set[int] = set()
        for start in range(0, len(ids), _IN_CHUNK):
            passing.update(session.scalars(select(RecordRow.id).where(RecordRow.id.in_(ids[start:start + _IN_CHUNK]),
                                                                      *where)))
        scored = [row for row in scored if row[0] in passing]
    page = sorted(scored, key=lambda row: (row[1], row[0]))[offset:offset + limit + 1]
    return _page_rows(session, [(record_id, -rank) for record_id, rank in page])


def _page_rows(session: Session, page: list[tuple[int, float]]) -> list[_Row]:
    """The (id, dated_at, sender, subject, score) rows of ``page`` (id, score), in its order."""
    cols = (RecordRow.id, RecordRow.dated_at, RecordRow.sender, RecordRow.subject)
    rows = {r.id: r for r in session.execute(select(*cols).where(RecordRow.id.in_([i for i, _ in page])))}
    return [_Row(i, rows[i].dated_at, rows[i].sender, rows[i].subject, score) for i, score in page]


@dataclass(frozen=True)
class _Row:
    id: int
    dated_at: datetime
    sender: str
    subject: str
    score: float


def _first_look_fills(session: Session, criteria: SearchCriteria, groups: list[Group], read: int,
                      wanted: int) -> bool:
    """Whether ``wanted`` of the newest ``read`` messages (within the filters) match.

    Checking one message for a phrase by its id can take FTS5 milliseconds (a phrase of three words, one
    of them rare: ~20 ms), where checking it for the phrase's words alone takes ~0.15 ms. So the newest
    messages are checked for the words first, and only if enough have them all, those are checked for
    the exact query (a phrase of common words: ~0.3 ms each).
    """
    newest = (select(RecordRow.id).where(*filters(criteria))
              .order_by(RecordRow.dated_at.desc(), RecordRow.id.desc()).limit(read).scalar_subquery())
    candidates: list[int] | None = None
    for expression in dict.fromkeys((fts5_expression(_loosened(groups)), fts5_expression(groups))):
        where = [RecordRow.id.in_(candidates) if candidates is not None else RecordRow.id.in_(newest),
                 exists().where(_FTS.c.rowid == RecordRow.id,
                                text("record_fts MATCH :fts_query").bindparams(fts_query=expression))]
        candidates = [row[0] for row in _run(session, criteria, select(RecordRow.id).where(*where))]
        if len(candidates) < wanted:
            return False
    return True


def _loosened(groups: list[Group]) -> list[Group]:
    """The query with each phrase read as all of its words, and nothing left out: it matches at least as much."""
    return [[(False, word) for negated, term in group if not negated for word in _FTS_WORD.findall(term)]
            for group in groups]


def _raw(session: Session) -> Any:
    """The session's own DB-API connection (the same transaction)."""
    return session.connection().connection.driver_connection


def _walk(session: Session, criteria: SearchCriteria, within: Iterable[int] | None, matching: set[int],
          wanted: int) -> list[Any]:
    """The first ``wanted`` messages on ``matching``, newest first within the filters, read by date in batches."""
    where = _where(criteria, within)
    newest = select(RecordRow.id).where(*where).order_by(RecordRow.dated_at.desc(), RecordRow.id.desc())
    kept: list[int] = []
    result = session.execute(newest.execution_options(yield_per=SQLITE_WALK_BATCH))
    try:
        for batch in result.scalars().partitions():
            kept.extend(record_id for record_id in batch if record_id in matching)
            if len(kept) >= wanted:
                break
    finally:
        result.close()
    return _page_rows(session, [(record_id, 0.0) for record_id in kept[:wanted]])


def _index_terms(session: Session, criteria: SearchCriteria, groups: list[Group],
                 tsquery: ColumnElement[Any]) -> tuple[bool, list[int]]:
    """Whether the query checks word positions (a phrase, or a hyphenated word), and its phrases' pair keys.

    Pair keys narrow a query of one group only: with OR, a message may match an alternative with no
    phrase. They are computed by the database, with the same stemming as the index.
    """
    phrases = [t for negated, t in groups[0] if not negated and " " in t.strip()] if len(groups) == 1 else []
    row = session.execute(select(cast(tsquery, Text), *(func.cg_phrase_keys(func.to_tsvector(_REGCONFIG, literal(p)))
                                                        for p in phrases))).one()
    keys = sorted({key for found in row[1:] for key in found or []})
    return "<" in (row[0] or ""), keys


def _pg_search(session: Session, criteria: SearchCriteria, within: Iterable[int] | None, limit: int,
               offset: int) -> tuple[list[Any], bool]:
    """PostgreSQL: a page of (id, dated_at, sender, subject, score) rows, and whether they are ranked.

    0. In a large archive, read the newest PG_FIRST_LOOK pages' worth first: a word in most messages
       fills the page from them, and then nothing is counted.
    1. Count the candidates from the indexes alone, up to ``bound`` (a phrase's through its pair keys).
    2. At most PG_RANK_LIMIT: rank the matches (within the filters). Up to ``bound``: list them newest
       first from the indexes, checking (for a phrase) only as many as the page needs. More: read the
       newest messages and check each until the page is full, which for a word in that many messages
       takes few reads.
    Which of these applies never depends on the offset, so the pages of one search never mix orders.
    """
    records = session.scalar(select(func.max(RecordRow.id))) or 0  # first: it needs a plain index scan
    bound = max(PG_LIST_MIN, isqrt(PG_LIST_RATIO * (limit + 1) * records))
    # The planner takes checking a message against the query to be as cheap as comparing two numbers, so
    # when it expects a LIMIT to be reached early it reads rows one by one (a whole table, or a plain
    # index, checking each) rather than ask the full-text indexes: seconds at a million messages. So the
    # steps driven by the indexes may use only their bitmaps (search() puts the settings back afterwards).
    session.execute(text(f"SET LOCAL work_mem = '{PG_WORK_MEM}'; SET LOCAL enable_seqscan = off; "
                         "SET LOCAL enable_indexscan = off"))
    groups = parse_query(criteria.query)
    where = _where(criteria, within)
    tsv = literal_column("record_text.tsv")
    tsquery = func.websearch_to_tsquery(_REGCONFIG, bindparam("ts_query", criteria.query))
    found = tsv.op("@@")(tsquery)
    positional, keys = _index_terms(session, criteria, groups, tsquery)
    # What the indexes alone can decide, without reading any message: the query itself if it has no
    # phrase; else a phrase's pair keys; else the query with its phrases loosened to "all these words".
    # Candidates found that way are checked against ``found`` afterwards, only as many as needed.
    keyed = func.cg_phrase_keys(tsv).op("@>")(cast(literal(keys), ARRAY(Integer))) if keys else None
    if keyed is not None:
        candidate, exact = keyed, False
    elif positional:
        loose = cast(func.regexp_replace(cast(tsquery, Text), "<(-|[0-9]+)>", "&", "g"), TSQUERY)
        candidate, exact = tsv.op("@@")(loose), False
    else:
        candidate, exact = found, True
    cols = (RecordRow.id, RecordRow.dated_at, RecordRow.sender, RecordRow.subject)

    def checked(record_id) -> ColumnElement[bool]:
        """Whether the message matches, read from its own tsvector (a subquery, so no index is used)."""
        return select(found).select_from(RecordText).where(RecordText.record_id == record_id).scalar_subquery()

    def newest_first(look: int | None) -> list[Any]:
        """Read messages newest first, checking each, until the page is full (or ``look`` have been read)."""
        # Walk the date index backwards: with a date range, the planner would rather sort every message in
        # it (0.3 s for a year of a million) than expect the check to turn most of them down.
        session.execute(text("SET LOCAL enable_indexscan = on; SET LOCAL enable_bitmapscan = off; "
                             "SET LOCAL enable_sort = off"))
        newest = select(*cols).where(*where).order_by(RecordRow.dated_at.desc(), RecordRow.id.desc())
        if look is not None:
            newest = newest.limit(look)
        newest = newest.subquery("newest")
        stmt = (select(newest.c.id, newest.c.dated_at, newest.c.sender, newest.c.subject,
                       literal(0.0).label("score")).where(checked(newest.c.id))
                .order_by(newest.c.dated_at.desc(), newest.c.id.desc()).limit(limit + 1))
        rows = _run(session, criteria, stmt.offset(offset if look is None else 0))
        session.execute(text("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan TO DEFAULT; "
                             "SET LOCAL enable_sort TO DEFAULT"))
        return rows

    # A word in most messages: the newest few fill the first page, while even counting its candidates makes
    # the GIN index hand back every message holding it (22 ms for a word in 97% of 100,000 messages, ~10x
    # that at a million). The newest PG_FIRST_LOOK pages' worth serve as a sample: filling a page from them
    # puts the word in one message in PG_FIRST_LOOK or more; in an archive where that many exceed what the
    # count below accepts (``bound``, and the ranking limit), the count would choose newest first too, so it
    # is skipped. A word common only among the newest messages is then listed newest first rather than
    # ranked: the same matches either way. Decided alike for every page (never on the offset), so the pages
    # of one search never mix orders. In a smaller archive it is not worth the reads (~10 ms).
    if records // PG_FIRST_LOOK > max(bound, PG_RANK_LIMIT):
        first_page = newest_first(PG_FIRST_LOOK * (limit + 1))
        if len(first_page) > limit:
            return (first_page if offset == 0 else newest_first(None)), False

    # Counted without the filters: joining them in would read every candidate before the LIMIT could stop
    # it. More than ``bound`` in the whole archive, and reading the newest messages (filtered, by date)
    # finds a page after ~page x filtered / matching-filtered of them; fewer, and everything below costs
    # at most ``bound`` candidates.
    probe = select(literal(1)).select_from(RecordText).where(candidate).limit(bound + 1).subquery()
    candidates = _run(session, criteria, select(func.count()).select_from(probe))[0][0]

    if candidates <= PG_RANK_LIMIT:
        score = func.ts_rank_cd(tsv, tsquery)
        stmt = (select(*cols, score.label("score")).select_from(RecordText)
                .join(RecordRow, RecordRow.id == RecordText.record_id)
                .where(found, *([keyed] if keyed is not None else []), *where)
                .order_by(score.desc(), RecordRow.id).limit(limit + 1).offset(offset))
        return _run(session, criteria, stmt), True

    if candidates > bound:  # so many that the newest messages still fill the page soon
        return newest_first(None), False
    # Few enough to list from the indexes, sorted by date; then checked (if need be) in that order.
    listed = (select(*cols).select_from(RecordText).join(RecordRow, RecordRow.id == RecordText.record_id)
              .where(candidate, *where).order_by(RecordRow.dated_at.desc(), RecordRow.id.desc())
              .limit(bound + 1).subquery("listed"))
    stmt = select(listed.c.id, listed.c.dated_at, listed.c.sender, listed.c.subject, literal(0.0).label("score"))
    if not exact:
        stmt = stmt.where(checked(listed.c.id))
    stmt = stmt.order_by(listed.c.dated_at.desc(), listed.c.id.desc()).limit(limit + 1).offset(offset)
    return _run(session, criteria, stmt), False


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
        return _pg_snippets(session, criteria, groups, ids)
    return {record_id: snippet or "" for record_id, snippet in rows}


def _pg_snippets(session: Session, criteria: SearchCriteria, groups: list[Group], ids: list[int]) -> dict[int, str]:
    """ts_headline parses all the text it is given (~1 ms for a message with a PDF), so it is given only
    SNIPPET_WINDOW characters around the first place a searched word or phrase appears as typed (found
    here, which is quicker than in SQL); a message where none does (another form of a word matched)
    gets a headline of its whole text."""
    terms = sorted({t.lower() for group in groups for negated, t in group if not negated})
    shown = func.concat_ws(" … ", RecordText.subject, RecordText.body, RecordText.attachments, RecordText.people)
    windows: list[tuple[int, str]] = []
    for record_id, doc in session.execute(select(RecordText.record_id, shown).where(RecordText.record_id.in_(ids))):
        lowered = doc.lower()
        first = min((at for at in (lowered.find(t) for t in terms) if at >= 0), default=None)
        if first is None or len(lowered) != len(doc):  # (lower() changed the length: positions would slip)
            windows.append((record_id, doc))
        else:
            start = max(0, first - SNIPPET_WINDOW // 3)
            windows.append((record_id, doc[start:start + SNIPPET_WINDOW]))
    if not windows:
        return {}
    tsquery = func.websearch_to_tsquery(_REGCONFIG, bindparam("ts_query", criteria.query))
    options = (f'StartSel="{MARK[0]}", StopSel="{MARK[1]}", MaxWords=24, MinWords=8, MaxFragments=2, '
               'FragmentDelimiter=" … "')
    given = (func.unnest(cast(literal([i for i, _ in windows]), ARRAY(Integer)),
                         cast(literal([w for _, w in windows]), ARRAY(Text)))
             .table_valued("record_id", "shown").render_derived(name="given"))
    rows = session.execute(select(given.c.record_id, func.ts_headline(_REGCONFIG, given.c.shown, tsquery, options)))
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
    if groups:
        pg_index.catch_up(session.get_bind())  # the relay's newest messages may wait to be indexed
    if groups and session.get_bind().dialect.name == "postgresql":
        try:
            rows, ranked = _pg_search(session, criteria, within, limit, offset)
        finally:  # the settings _pg_search made are for its own statements, not the caller's next ones
            session.execute(text("SET LOCAL work_mem TO DEFAULT; SET LOCAL enable_seqscan TO DEFAULT; "
                                 "SET LOCAL enable_indexscan TO DEFAULT; SET LOCAL enable_bitmapscan TO DEFAULT; "
                                 "SET LOCAL enable_sort TO DEFAULT"))
    elif groups:
        rows, ranked = _sqlite_search(session, criteria, within, limit, offset)
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
    if ids and parse_query(criteria.query):
        pg_index.catch_up(session.get_bind())
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
