"""The archive API the relay and importers use: add once, read back, events, lawful deletion, holds.

Every test runs on a real SQLite file and on a real PostgreSQL schema (see conftest.py).
"""

from __future__ import annotations

import threading
import zlib
from datetime import datetime

import pytest
from sqlalchemy import func, inspect, select, text

from councilguard.model import Evidence, Finding, Severity
from councilguard.records import db
from councilguard.records.archive import Archive, ArchivedFinding
from councilguard.records.archive_errors import (
    ArchiveError,
    ArchiveItemError,
    ArchiveSchemaError,
    ContentDeletedError,
    LegalHoldError,
    RecordNotFoundError,
)
from councilguard.records.schema import Base, ChainEntry, Content
from councilguard.records.search import SearchCriteria

from .conftest import attachment


def test_add_keeps_every_fact_and_the_exact_bytes(archive, make_item):
    item = make_item("Budget 2025", "Draft budget attached.", to=("a@croxley.gov.uk", "b@croxley.gov.uk"),
                     cc=["Cllr Brown <brown@croxley.gov.uk>"], bcc=["c@example.org"],
                     attachments=[attachment("First sheet"), attachment(None, "scan.pdf"), attachment("Last")],
                     findings=[{"rule": "personal-data", "severity": "warn", "clause": "P8-Email-2"}],
                     verdict="warn", disposition="held", source="relay")
    record = archive.add(item)
    got = archive.get(record.id)
    assert (got.subject, got.body_text, got.sender) == ("Budget 2025", "Draft budget attached.", item.sender)
    assert (got.to, got.cc, got.bcc) == (("a@croxley.gov.uk", "b@croxley.gov.uk"),
                                         ("Cllr Brown <brown@croxley.gov.uk>",), ("c@example.org",))
    assert [a.text for a in got.attachments] == ["First sheet", None, "Last"]
    assert [a.filename for a in got.attachments] == ["note.txt", "scan.pdf", "note.txt"]
    assert got.findings == (ArchivedFinding("personal-data", "warn", "P8-Email-2"),)
    assert (got.verdict, got.disposition, got.source, got.seq) == ("warn", "held", "relay", 1)
    assert got.sent_at == item.sent_at and got.received_at == item.received_at
    assert got.sent_at.tzinfo is not None
    assert archive.raw(record.id) == item.raw


def test_same_raw_bytes_are_kept_once_and_the_repeat_is_an_event(archive, make_item):
    first = archive.add(make_item(raw=b"Subject: hi\r\n\r\nsame bytes"))
    again = archive.add(make_item(raw=b"Subject: hi\r\n\r\nsame bytes", source="import:mbox", disposition="imported"))
    assert again.id == first.id and again.disposition == "relayed"
    assert [(e.kind, e.detail.get("source")) for e in archive.events(first.id)] == [
        ("archived", None), ("duplicate", "import:mbox")]
    assert archive.count() == 1
    with archive.session() as s:
        assert s.scalar(select(func.count()).select_from(Content)) == 1


def test_raw_content_is_stored_compressed(archive, make_item):
    raw = b"Subject: minutes\r\n\r\n" + b"The council resolved to approve the minutes. " * 200
    record = archive.add(make_item(raw=raw))
    with archive.session() as s:
        stored = s.get(Content, record.content_sha256)
    assert stored.compression == "zlib" and zlib.decompress(stored.data) == raw
    assert len(stored.data) < len(raw) / 10


def test_nul_characters_in_extracted_text_are_kept_visible_not_fatal(archive, make_item):
    item = make_item("Scan\x00ned", "Body with a \x00 from a bad PDF", attachments=[attachment("a\x00b")])
    record = archive.get(archive.add(item).id)
    assert (record.subject, record.body_text) == ("Scan\ufffdned", "Body with a \ufffd from a bad PDF")
    assert record.attachments[0].text == "a\ufffdb"
    assert archive.raw(record.id) == item.raw and archive.verify().ok


def test_findings_can_come_straight_from_a_checker_report(archive, make_item):
    finding = Finding(rule="abuse-councillor", severity=Severity.WARN, clause="P8-Communication-6",
                      evidence=(Evidence(0, 5, "idiot"),), explanation="x", remedy="y")
    record = archive.add(make_item(findings=[finding], verdict="warn"))
    assert archive.get(record.id).findings == (ArchivedFinding("abuse-councillor", "warn", "P8-Communication-6"),)


@pytest.mark.parametrize(("change", "field"), [
    ({"raw": b""}, "raw"),
    ({"received_at": datetime(2024, 1, 1)}, "received_at"),
    ({"sent_at": "2024-01-01"}, "sent_at"),
    ({"sender": "  "}, "sender"),
    ({"to": ["ok@x.org", ""]}, "to"),
    ({"disposition": "lost"}, "disposition"),
    ({"verdict": "bad"}, "verdict"),
    ({"source": "Import mbox"}, "source"),
    ({"message_id": "<" + "x" * 1000 + ">"}, "message_id"),
    ({"cc": ["a" * 320 + "@example.org"]}, "cc"),
    ({"disposition": "overridden"}, "override_justification"),
    ({"findings": [{"rule": "x", "severity": "fatal", "clause": "1"}]}, "findings[0].severity"),
    ({"findings": [{"severity": "warn"}]}, "findings[0].rule"),
    ({"attachments": [attachment("t").__class__("a", None, 3, "not-a-hash", None)]}, "attachments[0].sha256"),
])
def test_invalid_items_are_refused_naming_the_field(archive, make_item, change, field):
    with pytest.raises(ArchiveItemError) as info:
        archive.add(make_item(**change))
    assert info.value.field == field
    assert str(info.value).startswith(f"archive item: {field}: ")
    assert archive.count() == 0


def test_disposition_changes_are_new_entries_and_old_rows_stay_as_they_were(archive, make_item):
    record = archive.add(make_item(disposition="held", verdict="block"))
    with archive.session() as s:
        before = s.execute(select(ChainEntry.seq, ChainEntry.record_hash, ChainEntry.disposition)).all()
    archive.record_event(record.id, "released", actor="clerk", disposition="relayed", reason="checked, fine")
    archive.record_event(record.id, "overridden", actor="chair", disposition="overridden", reason="urgent notice")
    assert archive.get(record.id).disposition == "overridden"
    with archive.session() as s:
        after = s.execute(select(ChainEntry.seq, ChainEntry.record_hash, ChainEntry.disposition)
                          .order_by(ChainEntry.seq)).all()
    assert after[: len(before)] == before
    events = archive.events(record.id)
    assert [(e.kind, e.disposition, e.detail["actor"]) for e in events] == [
        ("archived", "held", "system"), ("released", "relayed", "clerk"), ("overridden", "overridden", "chair")]
    assert events[2].detail["reason"] == "urgent notice"
    assert archive.verify().ok


@pytest.mark.parametrize(("kind", "kwargs", "message"), [
    ("deleted", {}, "which the archive writes itself"),
    ("Released!", {}, "short lower-case word"),
    ("released", {"disposition": "gone"}, "is not one of"),
    ("overridden", {"disposition": "overridden"}, "needs its justification"),
    ("released", {"actor": ""}, "needs the actor"),
])
def test_bad_events_are_refused(archive, make_item, kind, kwargs, message):
    record = archive.add(make_item())
    with pytest.raises(ArchiveError, match=message):
        archive.record_event(record.id, kind, **{"actor": "clerk", **kwargs})
    assert [e.kind for e in archive.events(record.id)] == ["archived"]


def test_unknown_record_ids_say_so(archive):
    for call in (lambda: archive.get(42), lambda: archive.raw(42), lambda: archive.events(42),
                 lambda: archive.record_event(42, "released", actor="clerk"),
                 lambda: archive.delete_content(42, reason="r", rule="c", actor="a")):
        with pytest.raises(RecordNotFoundError, match="no record 42 in the archive"):
            call()


def test_lawful_deletion_removes_content_and_leaves_a_tombstone(archive, make_item):
    keep = archive.add(make_item("Hedge cutting", "The hedge on Baldwins Lane"))
    gone = archive.add(make_item("Hedge survey", "The hedge survey results", attachments=[attachment("hedge map")]))
    tomb = archive.delete_content(gone.id, reason="past retention", rule="correspondence", actor="clerk")
    record = archive.get(gone.id)
    assert record.deleted and record.tombstone == tomb
    assert (tomb.content_sha256, tomb.reason, tomb.rule, tomb.actor) == (
        gone.content_sha256, "past retention", "correspondence", "clerk")
    assert record.body_text is None and record.attachments[0].text is None
    assert record.attachments[0].sha256 == gone.attachments[0].sha256  # the description stays
    assert record.subject == "Hedge survey"  # metadata stays: the chain covers it
    with pytest.raises(ContentDeletedError, match="past retention"):
        archive.raw(gone.id)
    assert [h.record_id for h in archive.search("hedge").hits] == [keep.id]
    assert [e.kind for e in archive.events(gone.id)] == ["archived", "deleted"]
    with pytest.raises(ContentDeletedError):
        archive.delete_content(gone.id, reason="again", rule="correspondence", actor="clerk")
    assert archive.verify().ok


def test_re_adding_deleted_bytes_does_not_bring_the_content_back(archive, make_item):
    raw = b"Subject: old\r\n\r\nold news"
    record = archive.add(make_item(raw=raw))
    archive.delete_content(record.id, reason="expired", rule="correspondence", actor="clerk")
    again = archive.add(make_item(raw=raw, source="import:mbox"))
    assert again.id == record.id and again.deleted
    with pytest.raises(ContentDeletedError):
        archive.raw(record.id)
    assert archive.verify().ok


def test_deletion_is_refused_under_legal_hold_by_id_until_released(archive, make_item):
    record = archive.add(make_item())
    archive.place_hold("FOI 2024-07", reason="request received", actor="clerk", records=[record.id])
    with pytest.raises(LegalHoldError, match=r"record 1 is under legal hold 'FOI 2024-07'"):
        archive.delete_content(record.id, reason="expired", rule="correspondence", actor="clerk")
    assert archive.raw(record.id)
    archive.release_hold("FOI 2024-07", actor="clerk", reason="request answered")
    archive.delete_content(record.id, reason="expired", rule="correspondence", actor="clerk")
    assert archive.get(record.id).deleted


def test_a_hold_by_criteria_covers_matching_records_archived_later(archive, make_item):
    before = archive.add(make_item("Allotment rent", "Allotment rent is due"))
    archive.place_hold("allotments dispute", reason="complaint", actor="clerk",
                       criteria=SearchCriteria(query="allotment"))
    later = archive.add(make_item("Allotment waiting list", "Who is next on the allotment list?"))
    other = archive.add(make_item("Bus shelter", "The bus shelter glass is broken"))
    assert archive.holds_on(before.id) == ["allotments dispute"]
    assert archive.holds_on(later.id) == ["allotments dispute"]
    assert archive.holds_on(other.id) == []
    with pytest.raises(LegalHoldError):
        archive.delete_content(later.id, reason="expired", rule="correspondence", actor="clerk")
    archive.delete_content(other.id, reason="expired", rule="correspondence", actor="clerk")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"records": []}, "say what it holds"),
    ({"criteria": SearchCriteria()}, "would hold every record"),
    ({"records": [99]}, "no record 99"),
    ({"criteria": SearchCriteria(query='"unclosed')}, "never closed"),
    ({"records": [1], "reason": " "}, "needs a reason"),
])
def test_holds_that_make_no_sense_are_refused(archive, make_item, kwargs, message):
    archive.add(make_item())
    with pytest.raises(ArchiveError, match=message):
        archive.place_hold("h", **{"reason": "why", "actor": "clerk", **kwargs})
    assert archive.holds(include_released=True) == []


def test_hold_names_are_unique_and_releases_are_recorded(archive, make_item):
    record = archive.add(make_item())
    archive.place_hold("SAR Jones", reason="subject access", actor="clerk", records=[record.id])
    with pytest.raises(ArchiveError, match="already exists"):
        archive.place_hold("SAR Jones", reason="again", actor="clerk", records=[record.id])
    released = archive.release_hold("SAR Jones", actor="deputy", reason="answered")
    assert not released.active and released.released_by == "deputy"
    with pytest.raises(ArchiveError, match="already released"):
        archive.release_hold("SAR Jones", actor="clerk", reason="x")
    with pytest.raises(ArchiveError, match="no hold named 'nope'"):
        archive.release_hold("nope", actor="clerk", reason="x")
    assert archive.holds() == [] and [h.name for h in archive.holds(include_released=True)] == ["SAR Jones"]
    with archive.session() as s:
        kinds = list(s.scalars(select(ChainEntry.kind).order_by(ChainEntry.seq)))
    assert kinds == ["archived", "hold-placed", "hold-released"]
    assert archive.verify().ok


def test_migrations_make_exactly_the_models_and_run_twice(empty_db_url):
    db_url = empty_db_url
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    db.upgrade(db_url)
    db.upgrade(db_url)  # already at head: nothing to do, no error
    engine = db.make_engine(db_url)

    def ours(obj, name, type_, reflected, compare_to):  # the dialect's own full-text pieces
        return not ((type_ == "table" and name.startswith("record_fts"))
                    or name in {"tsv", "ix_record_text_tsv", "ix_record_text_phrase_keys", "ix_record_text_unindexed"})

    try:
        assert db.current_revision(engine) == db.head_revision() == "0013_pg_index_later"
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_object": ours, "compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            assert set(Base.metadata.tables) <= set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def test_opening_without_migrating_an_empty_database_is_a_clear_error(empty_db_url):
    with pytest.raises(ArchiveSchemaError, match="holds no archive"):
        Archive.open(empty_db_url, migrate=False)


def test_concurrent_writers_keep_one_unbroken_chain(db_url, make_item):
    writers = [Archive.open(db_url, migrate=False), Archive.open(db_url, migrate=False)]
    items = [[make_item(f"Message {w}-{i}") for i in range(12)] for w in range(2)]
    errors: list[BaseException] = []

    def work(archive: Archive, batch) -> None:
        try:
            for item in batch:
                archive.add(item)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w, batch)) for w, batch in zip(writers, items)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        result = writers[0].verify()
        assert result.ok, result.problems
        assert (result.entries, result.records) == (24, 24)
    finally:
        for w in writers:
            w.close()


def test_postgresql_stores_content_without_compressing_it_again(db_url):
    """content.data is zlib already: EXTERNAL storage (no pglz pass); the texts use lz4 where it exists."""
    if not db_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL storage setting")
    engine = db.make_engine(db_url)
    try:
        with engine.connect() as conn:
            settings = dict(conn.execute(text(
                "SELECT c.relname || '.' || a.attname, a.attstorage::text || coalesce(nullif(a.attcompression::text, ''), '-') "
                "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                "WHERE c.relname IN ('content', 'record_text') AND c.relnamespace = to_regnamespace(current_schema()) "
                "AND a.attname IN ('data', 'body', 'tsv')")).all())
            lz4 = conn.scalar(text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                                   "WHERE name = 'default_toast_compression'"))
    finally:
        engine.dispose()
    assert settings["content.data"] == "e-"
    assert settings["record_text.body"] == ("xl" if lz4 else "x-")
    assert settings["record_text.tsv"] == ("xl" if lz4 else "x-")
