"""`councilguard archive retention` uses the schedule in force in the archive (as changed on the web app's
Retention page), unless --schedule names a file."""

from __future__ import annotations

from datetime import datetime, timezone

from councilguard.records import db, schedule_store
from councilguard.records.retention_schedule import load_schedule
from tests.cli.test_archive_cli import cli, seeded  # noqa: F401
from tests.records.conftest import _pg_archive, _sqlite_template, db_url, pg_database  # noqa: F401


def _keep_correspondence_ten_years(url: str) -> None:
    engine = db.make_engine(url)
    try:
        with db.sessions(engine)() as s:
            longer = schedule_store.with_period(load_schedule().schedule, "correspondence", years=10,
                                                counted_from="end-of-year")
            schedule_store.add(s, longer, by="clerk@example.org", change="correspondence: 3 -> 10 years",
                               at=datetime(2026, 11, 26, tzinfo=timezone.utc))
            s.commit()
    finally:
        engine.dispose()


def test_show_and_run_follow_the_schedule_saved_in_the_archive(seeded):
    url, ids = seeded
    before = cli(url, "retention", "run", "--today", "2025-06-01")
    assert f"#{ids[2]}  2019-05-01  correspondence  kept until 2022-12-31  -> delete" in before.output
    assert "(the packaged defaults)" in cli(url, "retention", "show").output

    _keep_correspondence_ten_years(url)
    shown = cli(url, "retention", "show")
    assert shown.exit_code == 0, shown.output
    assert "version 1 in the archive, saved by clerk@example.org" in shown.output
    assert "10 years from the end of its calendar year" in shown.output
    after = cli(url, "retention", "run", "--today", "2025-06-01")
    assert after.exit_code == 0, after.output
    assert f"#{ids[2]}" not in after.output and "0 would be deleted" in after.output

    named = cli(url, "retention", "run", "--today", "2025-06-01", "--schedule", str(load_schedule().path))
    assert f"#{ids[2]}  2019-05-01  correspondence  kept until 2022-12-31  -> delete" in named.output
