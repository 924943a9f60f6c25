"""`councilguard archive ...` as the Clerk uses it, against a real SQLite file and a real PostgreSQL schema.

The sub-app is mounted on a root app exactly as `councilguard.cli` registers it, and driven through
Typer's runner (real argument parsing, real database, real files).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
import typer
from sqlalchemy import text
from typer.testing import CliRunner

from councilguard.cli import archive as archive_cli
from councilguard.records.archive import Archive
from tests.records.conftest import _pg_archive, _sqlite_template, db_url, item_factory, pg_database  # noqa: F401

root = typer.Typer()
root.add_typer(archive_cli.app, name="archive")
runner = CliRunner()


def cli(url: str | None, *args: str, env: dict[str, str] | None = None):
    db = ["--db", url] if url else []
    return runner.invoke(root, ["archive", *db, *args], env=env)


@pytest.fixture
def seeded(db_url):
    """Three records: a hedge letter, a quotation with a finding, and a 2019 letter past retention."""
    make = item_factory()
    archive = Archive.open(db_url)
    old = datetime(2019, 5, 1, 9, tzinfo=timezone.utc)
    try:
        ids = [archive.add(make("Hedge cutting", "The hedges along Baldwins Lane are overgrown.")).id,
               archive.add(make("Grass cutting quotation", "Our quotation for the recreation ground.",
                                sender="Green Mowers <sales@mowers.example>",
                                findings=[{"rule": "unauthorised-purchase", "severity": "warn", "clause": "P4"}])).id,
               archive.add(make("Old bench letter", "The bench by the pond", sent_at=old, received_at=old)).id]
    finally:
        archive.close()
    return db_url, ids


def test_verify_says_ok_then_names_the_first_bad_record(seeded):
    url, ids = seeded
    ok = cli(url, "verify")
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("OK: 3 chain entries, 3 records, head ")
    archive = Archive.open(url, migrate=False)
    with archive.engine.begin() as conn:
        conn.execute(text("UPDATE records SET subject = 'Nothing here' WHERE id = :id"), {"id": ids[1]})
    archive.close()
    bad = cli(url, "verify")
    assert bad.exit_code == 1
    assert f"First bad record: seq 2, record {ids[1]}: archived entry altered" in bad.output


def test_receipt_then_verify_against_it(seeded, tmp_path):
    url, _ = seeded
    out = tmp_path / "receipt-2025-05.json"
    made = cli(url, "receipt", "--out", str(out))
    assert made.exit_code == 0, made.output
    receipt = json.loads(out.read_text(encoding="utf-8"))
    assert (receipt["council"], receipt["seq"], receipt["records"]) == ("Croxley Green Parish Council", 3, 3)
    assert receipt["head"] in made.output and f"Written to {out}" in made.output
    checked = cli(url, "verify", "--receipt", str(out))
    assert checked.exit_code == 0 and "receipt of" in checked.output and "(entry 3) matches" in checked.output
    named = cli(url, "receipt", "--out", str(out), "--council", "Manordeilo and Salem Community Council")
    assert json.loads(out.read_text(encoding="utf-8"))["council"] == "Manordeilo and Salem Community Council"
    assert named.exit_code == 0
    out.write_text("{}", encoding="utf-8")
    broken = cli(url, "verify", "--receipt", str(out))
    assert broken.exit_code == 2 and f"error: {out}: not a chain receipt" in broken.output


def test_search_prints_hits_with_snippets_and_filters(seeded):
    url, ids = seeded
    found = cli(url, "search", "overgrown")
    assert found.exit_code == 0, found.output
    lines = found.output.splitlines()
    assert lines[0].startswith(f"#{ids[0]}  2024-03-04  Jane Clerk <clerk@croxley.gov.uk>  Hedge cutting")
    assert "[overgrown]" in lines[1] and lines[-1] == "1 record(s)"
    as_json = cli(url, "search", "cutting", "--from", "sales@mowers.example", "--json")
    assert [json.loads(line)["record"] for line in as_json.output.splitlines()] == [ids[1]]
    by_rule = cli(url, "search", "", "--rule", "unauthorised-purchase", "--json")
    assert [json.loads(line)["record"] for line in by_rule.output.splitlines()] == [ids[1]]
    dated = cli(url, "search", "", "--since", "2019-01-01", "--until", "2019-12-31", "--json")
    assert [json.loads(line)["record"] for line in dated.output.splitlines()] == [ids[2]]
    assert cli(url, "search", "nothing-of-the-sort").output.strip() == "No records match."


@pytest.mark.parametrize(("args", "message"), [
    (["search", '"car park'], "error: search '\"car park': the quote at character 1 is never closed"),
    (["search", "x", "--since", "2024-13-01"], "Invalid value for '--since'"),
    (["hold", "release", "nope", "--reason", "r"], "error: no hold named 'nope'"),
    (["hold", "add", "h", "--reason", "r"], "error: hold 'h': say what it holds"),
    (["retention", "run", "--schedule", "/nonexistent.yaml"], "error: /nonexistent.yaml: cannot be read"),
])
def test_mistakes_get_one_clear_line(seeded, args, message):
    url, _ = seeded
    result = cli(url, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_missing_archive_file_is_not_created_by_mistake(tmp_path):
    missing = tmp_path / "typo.db"
    result = cli(str(missing), "verify")
    assert result.exit_code == 2 and f"error: no archive at {missing}" in result.output
    assert not missing.exists()


def test_the_database_can_come_from_the_environment(seeded):
    url, _ = seeded
    result = cli(None, "verify", env={"COUNCILGUARD_DB": url})
    assert result.exit_code == 0 and result.output.startswith("OK: 3 chain entries")


def test_retention_show_lists_classes_and_rules():
    result = runner.invoke(root, ["archive", "retention", "show"])
    assert result.exit_code == 0, result.output
    for word in ("correspondence", "foi", "finance", "NALC", "Default class: correspondence", "1. foi:"):
        assert word in result.output


def test_retention_run_dry_then_apply_respecting_a_hold(seeded):
    url, ids = seeded
    dry = cli(url, "retention", "run", "--today", "2025-06-01")
    assert dry.exit_code == 0, dry.output
    assert f"#{ids[2]}  2019-05-01  correspondence  kept until 2022-12-31  -> delete" in dry.output
    assert "Dry run on 2025-06-01: 1 would be deleted, 0 kept by legal hold." in dry.output
    held = cli(url, "hold", "add", "bench claim", "--reason", "insurance claim", "--query", "bench", "--by", "clerk")
    assert held.exit_code == 0 and "Hold 'bench claim' placed: matching query=bench" in held.output
    kept = cli(url, "retention", "run", "--apply", "--today", "2025-06-01", "--by", "clerk")
    assert "Deleted 0; kept by legal hold 1." in kept.output
    listed = cli(url, "hold", "list")
    assert "bench claim  [active]" in listed.output and "by clerk: insurance claim" in listed.output
    released = cli(url, "hold", "release", "bench claim", "--reason", "settled", "--by", "clerk")
    assert released.exit_code == 0
    assert cli(url, "hold", "list").output.strip() == "No active legal holds."
    assert "[released " in cli(url, "hold", "list", "--all").output
    applied = cli(url, "retention", "run", "--apply", "--today", "2025-06-01", "--by", "clerk")
    assert applied.exit_code == 0, applied.output
    assert f"#{ids[2]}  deleted (correspondence, kept until 2022-12-31); tombstone at seq" in applied.output
    archive = Archive.open(url, migrate=False)
    try:
        assert archive.get(ids[2]).tombstone.actor == "clerk"
        assert not archive.get(ids[0]).deleted
    finally:
        archive.close()
    assert cli(url, "verify").exit_code == 0


def test_hold_by_record_id(seeded):
    url, ids = seeded
    result = cli(url, "hold", "add", "FOI 2025-01", "--reason", "request", "--record", str(ids[0]),
                 "--record", str(ids[1]), "--by", "clerk")
    assert result.exit_code == 0 and f"placed: records {ids[0]}, {ids[1]}" in result.output
    assert f"records {ids[0]}, {ids[1]}" in cli(url, "hold", "list").output
