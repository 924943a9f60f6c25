"""Search finds what people ask for, in the same query language on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from councilguard.records.archive_errors import SearchQueryError
from councilguard.records.search import SearchCriteria, fts5_expression, parse_query

from councilguard.records.archive import Archive

from .conftest import _pg_schema, attachment, item_factory

CORPUS = {
    # key: (subject, body, sender, to, cc, days after 2024-03-04, attachment text, finding rule)
    "carpark": ("Car park resurfacing", "The car park by the green needs resurfacing before the fete.",
                "Jane Clerk <clerk@croxley.gov.uk>", ["cllr.smith@croxley.gov.uk"], [], 0, None, None),
    "parking": ("Parking complaint", "Residents complain that cars are parked on the verge by the school.",
                "resident@example.org", ["clerk@croxley.gov.uk"], ["cllr.brown@croxley.gov.uk"], 10, None,
                "disrespect-public"),
    "planning": ("Planning application 24/0012", "Comments on the planned extension at 4 Baldwins Lane.",
                 "planning@district.gov.uk", ["clerk@croxley.gov.uk"], [], 20, None, None),
    "hedges": ("Hedge cutting", "The hedges along Baldwins Lane are overgrown.",
               "cllr.smith@croxley.gov.uk", ["clerk@croxley.gov.uk"], [], 30, None, None),
    "quote": ("Grass cutting", "Please find our quotation attached.", "Green Mowers <sales@mowers.example>",
              ["clerk@croxley.gov.uk"], [], 40, "Quotation: cutting the recreation ground, twelve visits", None),
    "cafe": ("Café opening", "The new café in the pavilion opens in May.", "cllr.brown@croxley.gov.uk",
             ["clerk@croxley.gov.uk"], [], 50, None, "personal-data"),
}


def _fill(archive, make_item):
    ids = {}
    for key, (subject, body, sender, to, cc, days, text, rule) in CORPUS.items():
        findings = [{"rule": rule, "severity": "warn", "clause": "P1"}] if rule else []
        ids[key] = archive.add(make_item(subject, body, sender=sender, to=tuple(to), cc=cc, days=days,
                                         attachments=[attachment(text)] if text else [], findings=findings)).id
    return ids


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def corpus(request, tmp_path_factory):
    """The corpus above, archived once per database for the read-only tests of this module."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'archive.db'}"
    else:
        url = _pg_schema(request.getfixturevalue("pg_database"), "search_corpus")
    archive = Archive.open(url)
    try:
        yield archive, _fill(archive, item_factory())
    finally:
        archive.close()


def _keys(ids, page):
    by_id = {v: k for k, v in ids.items()}
    return {by_id[h.record_id] for h in page.hits}


@pytest.mark.parametrize(("query", "expected"), [
    ("resurfacing", {"carpark"}),
    ('"car park"', {"carpark"}),                      # a phrase: words next to each other
    ("car park", {"carpark", "parking"}),              # both words, anywhere
    ("Baldwins", {"planning", "hedges"}),
    ("Baldwins -hedges", {"planning"}),                # leave a word out
    ("hedge", {"hedges"}),                             # stemming: hedge finds hedges
    ("planning", {"planning"}),
    ("fete OR overgrown", {"carpark", "hedges"}),
    ("recreation ground", {"quote"}),                  # attachment text
    ("mowers", {"quote"}),                             # sender's name
    ("CAFÉ", {"cafe"}),                                # case and accents
    ("verge school", {"parking"}),
    ("nothing-like-this-here", set()),
])
def test_words_phrases_or_and_exclusion(corpus, query, expected):
    archive, ids = corpus
    assert _keys(ids, archive.search(query)) == expected


@pytest.mark.parametrize(("criteria", "expected"), [
    (SearchCriteria(sender="cllr.smith@croxley.gov.uk"), {"hedges"}),
    (SearchCriteria(sender="Jane <CLERK@croxley.gov.uk>"), {"carpark"}),
    (SearchCriteria(recipient="cllr.brown@croxley.gov.uk"), {"parking"}),                 # cc counts
    (SearchCriteria(person="cllr.brown@croxley.gov.uk"), {"parking", "cafe"}),          # sent or received
    (SearchCriteria(since=date(2024, 3, 24), until=date(2024, 4, 3)), {"planning", "hedges"}),  # inclusive
    (SearchCriteria(until=date(2024, 3, 3)), set()),
    (SearchCriteria(rule="personal-data"), {"cafe"}),
    (SearchCriteria(query="car", rule="disrespect-public"), {"parking"}),
    (SearchCriteria(query="Baldwins", person="cllr.smith@croxley.gov.uk"), {"hedges"}),
    (SearchCriteria(query="cutting", since=date(2024, 4, 10)), {"quote"}),
])
def test_filters_by_person_date_and_rule(corpus, criteria, expected):
    archive, ids = corpus
    assert _keys(ids, archive.search(criteria, limit=50)) == expected


def test_a_subject_match_ranks_above_a_body_match(archive, make_item):
    body_only = archive.add(make_item("Meeting notes", "We also discussed the allotments briefly.")).id
    in_subject = archive.add(make_item("Allotments", "Notes from the site visit.")).id
    hits = archive.search("allotments").hits
    assert [h.record_id for h in hits] == [in_subject, body_only]
    assert hits[0].score > hits[1].score


def test_snippets_mark_the_matching_words(corpus):
    archive, ids = corpus
    hit = archive.search("overgrown").hits[0]
    assert hit.record_id == ids["hedges"] and "[overgrown]" in hit.snippet
    assert hit.subject == "Hedge cutting" and hit.sender == "cllr.smith@croxley.gov.uk"


def test_pages_do_not_overlap_and_say_when_there_is_more(archive, make_item):
    made = {archive.add(make_item(f"Notice {i}", f"Bus shelter notice number {i}", days=i)).id for i in range(7)}
    first = archive.search("shelter", limit=3)
    second = archive.search("shelter", limit=3, offset=3)
    last = archive.search("shelter", limit=3, offset=6)
    pages = [first, second, last]
    seen = [h.record_id for p in pages for h in p.hits]
    assert sorted(seen) == sorted(made) and len(set(seen)) == 7
    assert [p.has_more for p in pages] == [True, True, False]


def test_no_words_lists_by_filters_newest_first(corpus):
    archive, ids = corpus
    hits = archive.search(SearchCriteria(recipient="clerk@croxley.gov.uk")).hits
    assert [h.record_id for h in hits] == [ids[k] for k in ("cafe", "quote", "hedges", "planning", "parking")]


def test_deleted_content_is_no_longer_searchable(archive, make_item):
    ids = _fill(archive, make_item)
    archive.delete_content(ids["hedges"], reason="expired", rule="correspondence", actor="clerk")
    assert _keys(ids, archive.search("Baldwins")) == {"planning"}


@pytest.mark.parametrize(("query", "problem"), [
    ('"car park', "the quote at character 1 is never closed"),
    ('hedge "car', "the quote at character 7 is never closed"),
    ("OR hedge", "OR needs words on both sides"),
    ("hedge OR", "OR needs words on both sides"),
    ("hedge OR OR fence", "OR needs words on both sides"),
    ("-hedge", "give at least one word to look for"),
    ("hedge - fence", "the '-' at character 7 must be followed by the word"),
    ('fence ""', "the quotes at character 7 hold no words"),
    ("& ;", "there are no words to search for"),
])
def test_bad_queries_are_clear_errors_not_sql(corpus, query, problem):
    archive, _ = corpus
    with pytest.raises(SearchQueryError) as info:
        archive.search(query)
    assert problem in str(info.value) and str(info.value).startswith(f"search {query!r}: ")


def test_bad_paging_is_a_clear_error(corpus):
    archive, _ = corpus
    with pytest.raises(SearchQueryError, match="limit must be at least 1"):
        archive.search("hedge", limit=0)


@pytest.mark.parametrize(("query", "expression"), [
    ("hedge", '("hedge")'),
    ('"car park" verge', '("car park" AND "verge")'),
    ("a OR b c", '("a") OR ("b" AND "c")'),
    ("hedge -fence -wall", '("hedge" NOT "fence" NOT "wall")'),
    ("clerk@croxley.gov.uk", '("clerk@croxley.gov.uk")'),
    ('say "NEAR" AND', '("say" AND "NEAR" AND "AND")'),   # FTS5 keywords are only words here
    ("hedge & ;", '("hedge")'),
])
def test_user_text_never_becomes_fts5_syntax(query, expression):
    assert fts5_expression(parse_query(query)) == expression


def test_criteria_round_trip_as_stored_with_holds():
    criteria = SearchCriteria(query="hedge", person="a@b.org", since=date(2024, 1, 1), rule="personal-data")
    assert SearchCriteria.from_dict(criteria.to_dict()) == criteria
    assert criteria.describe() == "query=hedge, person=a@b.org, since=2024-01-01, rule=personal-data"
    assert SearchCriteria().is_empty and not criteria.is_empty


def test_a_word_in_most_messages_is_listed_newest_first_not_ranked(archive, make_item, monkeypatch):
    """Past a budget of matches, ranking every one costs too much at a million messages: newest first."""
    from councilguard.records import search as search_module

    monkeypatch.setattr(search_module, "SQLITE_RANK_LIMIT", 1000)
    monkeypatch.setattr(search_module, "PG_RANK_LIMIT", 1000)
    items = [(make_item(subject=f"Allotment note {i}", body=f"The allotment rota, week {i}.", days=i), None)
             for i in range(1300)]
    items += [(make_item(subject="Bus shelter", body="The shelter glass is broken.", days=2000), None)]
    archive.add_many(items)
    page = archive.search(SearchCriteria(query="allotment"), limit=20)
    assert page.ranked is False and len(page.hits) == 20 and page.has_more
    dates = [h.dated_at for h in page.hits]
    assert dates == sorted(dates, reverse=True)
    assert all("Allotment" in h.subject for h in page.hits)
    rare = archive.search(SearchCriteria(query="shelter"), limit=20)
    assert rare.ranked is True and [h.subject for h in rare.hits] == ["Bus shelter"]


def _strategy_corpus(archive, make_item) -> dict[str, set[int]]:
    """60 messages: 'hedge' in 40, the phrase "hedge cutting" in 6, 'cutting hedge' in 6 more, 'culvert'
    in 3; what each query must find, worked out from how the messages were written."""
    truth: dict[str, set[int]] = {"hedge": set(), '"hedge cutting"': set(), "culvert": set(),
                                  '"hedge cutting" -invoice': set(), "hedge -cutting": set()}
    items = []
    for i in range(60):
        words = ["The parish notes for week", str(i)]
        if i < 40:
            words.append("hedge")
        if i % 10 == 0:
            words.append("hedge cutting invoice" if i == 0 else "hedge cutting along the lane")
        elif i % 10 == 5:
            words.append("cutting hedge")
        if i in (7, 33, 51):
            words.append("culvert")
        items.append(make_item(subject=f"Notes {i}", body=" ".join(words) + ".", days=(i * 37) % 60))
    for i, item in enumerate(items):
        text = item.body_text
        if "hedge" in text:
            truth["hedge"].add(i)
        if "hedge cutting" in text:
            truth['"hedge cutting"'].add(i)
            if "invoice" not in text:
                truth['"hedge cutting" -invoice'].add(i)
        if "culvert" in text:
            truth["culvert"].add(i)
        if "hedge" in text and "cutting" not in text:
            truth["hedge -cutting"].add(i)
    ids = archive.add_many([(item, None) for item in items])
    by_position = [ids[hashlib.sha256(item.raw).hexdigest()] for item in items]
    return {query: {by_position[i] for i in found} for query, found in truth.items()}


def _pages_find(archive, criteria: SearchCriteria, expected: set[int], ranked: bool) -> None:
    """Reading every page of ``criteria`` (7 a page) finds exactly ``expected``, each once, in one order."""
    seen, offset = [], 0
    while True:
        page = archive.search(criteria, limit=7, offset=offset)
        assert page.ranked is ranked or not page.hits, criteria
        seen.extend(page.hits)
        if not page.has_more:
            break
        offset += 7
    assert {h.record_id for h in seen} == expected, criteria
    assert len(seen) == len(expected), criteria  # no message on two pages
    if not ranked:
        order = [(h.dated_at, h.record_id) for h in seen]
        assert order == sorted(order, reverse=True), criteria
    assert all("[" in h.snippet for h in seen), criteria  # the snippet marks what matched


@pytest.mark.parametrize(("rank_limit", "list_min", "ranked"), [
    (10_000, 10_000, True),  # few matches: all ranked
    (0, 10_000, False),      # more: listed newest first from the indexes (a phrase through its pair keys)
    (0, 0, False),           # very many: the newest messages read one by one until the page is full
])
def test_postgresql_finds_the_same_messages_whichever_way_it_searches(db_url, make_item, monkeypatch, rank_limit,
                                                                      list_min, ranked):
    from councilguard.records import search as search_module

    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's strategies; SQLite's FTS5 index reads positions itself")
    monkeypatch.setattr(search_module, "PG_RANK_LIMIT", rank_limit)
    monkeypatch.setattr(search_module, "PG_LIST_MIN", list_min)
    monkeypatch.setattr(search_module, "PG_LIST_RATIO", 0)
    archive = Archive.open(db_url, migrate=False)
    try:
        truth = _strategy_corpus(archive, make_item)
        for query, expected in truth.items():
            _pages_find(archive, SearchCriteria(query=query), expected, ranked)
    finally:
        archive.close()


@pytest.mark.parametrize(("rank_limit", "set_factor", "first_look", "ranked"), [
    (10_000, 0, 10**6, True),  # few matches: all ranked
    (0, 10**6, 10**6, False),  # more: the messages walked by date against the index's list of matches
    (0, 0, 10**6, False),      # very many: the newest messages checked one by one until the page is full
    (0, 0, 1, False),          # and a first look at the newest few fills the first page
])
def test_sqlite_finds_the_same_messages_whichever_way_it_searches(db_url, make_item, monkeypatch, rank_limit,
                                                                  set_factor, first_look, ranked):
    from councilguard.records import search as search_module

    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's strategies")
    monkeypatch.setattr(search_module, "SQLITE_RANK_LIMIT", rank_limit)
    monkeypatch.setattr(search_module, "SQLITE_SET_FACTOR", set_factor)
    monkeypatch.setattr(search_module, "SQLITE_FIRST_LOOK", first_look)
    monkeypatch.setattr(search_module, "SQLITE_WALK_BATCH", 4)  # several batches even in 60 messages
    archive = Archive.open(db_url, migrate=False)
    try:
        truth = _strategy_corpus(archive, make_item)
        for query, expected in truth.items():
            _pages_find(archive, SearchCriteria(query=query), expected, ranked)
            _pages_find(archive, SearchCriteria(query=query, sender="nobody@example.org"), set(), ranked)
    finally:
        archive.close()


def test_postgresql_lists_a_word_in_most_messages_from_the_newest_without_counting(db_url, make_item, monkeypatch):
    """A word in nearly every message: the newest messages fill the page before the full-text index is asked
    anything (counting its candidates would make the index hand back nearly the whole archive), and every
    page of the search is read the same way: newest first, each match once, none missed."""
    from sqlalchemy import event

    from councilguard.records import search as search_module

    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's strategies; SQLite's FTS5 index reads positions itself")
    # As a million messages would make them, scaled down to 600: the sample of the newest
    # PG_FIRST_LOOK pages speaks for more messages than the count would accept or rank.
    monkeypatch.setattr(search_module, "PG_RANK_LIMIT", 20)
    monkeypatch.setattr(search_module, "PG_LIST_MIN", 50)
    monkeypatch.setattr(search_module, "PG_LIST_RATIO", 0)
    archive = Archive.open(db_url, migrate=False)
    statements: list[str] = []
    event.listen(archive.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *rest: statements.append(statement))
    try:
        items = [make_item(subject=f"Rota {i}", body=f"The allotment rota for day {i}." if i % 12 else
                           f"The pavilion rota for day {i}, and a culvert.", days=(i * 7) % 600) for i in range(600)]
        ids = archive.add_many([(item, None) for item in items])
        allotment = {ids[hashlib.sha256(item.raw).hexdigest()] for item in items if "allotment" in item.body_text}
        statements.clear()
        seen, offset = [], 0
        while True:
            page = archive.search(SearchCriteria(query="allotment"), limit=20, offset=offset)
            if offset == 0:
                assert not any("count(" in s.lower() for s in statements), "the first page counted the matches"
            assert page.ranked is False
            seen.extend(page.hits)
            if not page.has_more:
                break
            offset += 20
        assert len(seen) == len(allotment) == 550 and {h.record_id for h in seen} == allotment
        order = [(h.dated_at, h.record_id) for h in seen]
        assert order == sorted(order, reverse=True)
        assert all("[allotment]" in h.snippet for h in seen[:40])
        statements.clear()
        rare = archive.search(SearchCriteria(query="culvert"), limit=20)  # in 50: counted, then listed
        assert any("count(" in s.lower() for s in statements) and len(rare.hits) == 20 and rare.has_more
        assert not rare.ranked and all("culvert" in h.snippet for h in rare.hits)
    finally:
        archive.close()
