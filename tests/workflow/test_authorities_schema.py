"""Migration 0006 creates exactly the register's and the queue's tables, carries granted consents over, and
downgrades to 0005 cleanly."""

from __future__ import annotations

from datetime import date, datetime, timezone

from alembic import command
from alembic.config import Config
import sqlalchemy as sa
from sqlalchemy import inspect, select

from councilguard.records import db
from councilguard.workflow.authorities_schema import AuthorisationRow, OfficialPostRow

MODELS = (AuthorisationRow, OfficialPostRow)
# The tables as they were at 0005 (later revisions add columns the models already have).
USERS_0005 = sa.table("web_users", *(sa.column(n) for n in (
    "id", "email", "name", "role", "password_hash", "created_by")), sa.column("created_at", sa.DateTime()))
CONSENTS_0005 = sa.table("web_consent_requests", *(sa.column(n) for n in (
    "id", "councillor_id", "address", "reason", "period", "status", "decided_by", "source", "refusal_reason")),
    sa.column("created_at", sa.DateTime()), sa.column("decided_at", sa.DateTime()), sa.column("expires_on", sa.Date()))


def _downgrade(engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_migration_matches_the_models_and_downgrades(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    db.upgrade(url)
    engine = db.make_engine(url)
    try:
        assert db.current_revision(engine) == db.head_revision() == "0013_pg_index_later"
        found = inspect(engine)
        for model in MODELS:
            table = model.__table__
            assert {c["name"] for c in found.get_columns(table.name)} == set(table.columns.keys()), table.name
            assert {i["name"] for i in found.get_indexes(table.name)} == {i.name for i in table.indexes}
        assert {f["name"] for f in found.get_foreign_keys("workflow_official_posts")} == {
            "fk_workflow_official_posts_drafter", "fk_workflow_official_posts_designation",
            "fk_workflow_official_posts_record"}
        _downgrade(engine, "0005_records_sender_dated")
        names = set(inspect(engine).get_table_names())
        assert not {m.__tablename__ for m in MODELS} & names and "web_consent_requests" in names
        assert db.current_revision(engine) == "0005_records_sender_dated"
    finally:
        engine.dispose()


def test_consents_granted_before_the_register_existed_are_carried_over(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    db.upgrade(url, "0005_records_sender_dated")
    engine = db.make_engine(url)
    decided = datetime(2026, 10, 1, 9, 30)  # SQLite keeps UTC without a zone
    try:
        with db.sessions(engine)() as s:
            s.execute(USERS_0005.insert(), [{
                "id": 1, "email": "cllr.lowe@croxleygreen-pc.gov.uk", "name": "James Lowe", "role": "councillor",
                "password_hash": "x", "created_at": decided, "created_by": "test"}])
            common = {"councillor_id": 1, "reason": "Laptop repair", "period": "a month", "created_at": decided,
                      "decided_at": None, "decided_by": None, "expires_on": None, "source": None, "refusal_reason": None}
            s.execute(CONSENTS_0005.insert(), [
                {**common, "id": 1, "address": "jameslowe1962@gmail.com", "status": "granted", "decided_at": decided,
                 "decided_by": "clerk@croxleygreen-pc.gov.uk", "expires_on": date(2026, 12, 31),
                 "source": "Clerk's decision 2026-10-01"},
                {**common, "id": 2, "address": "other@example.org", "status": "refused", "decided_at": decided,
                 "decided_by": "clerk@croxleygreen-pc.gov.uk", "refusal_reason": "No"},
                {**common, "id": 3, "address": "third@example.org", "status": "pending"}])
            s.commit()
        db.upgrade(engine)  # 0006 carries the consents over; 0011 gives each the address it was asked for
        with db.sessions(engine)() as s:
            (row,) = s.scalars(select(AuthorisationRow)).all()
        assert row.address == "jameslowe1962@gmail.com"
        assert (row.holder_id, row.holder_email, row.kind, row.source_kind, row.reference) == (
            1, "cllr.lowe@croxleygreen-pc.gov.uk", "personal-email", "proper-officer-consent",
            "Clerk's decision 2026-10-01")
        assert (row.decided_on, row.expires_on, row.consent_request_id, row.recorded_by) == (
            date(2026, 10, 1), date(2026, 12, 31), 1, "clerk@croxleygreen-pc.gov.uk")
        assert row.scope == "Council business from or to jameslowe1962@gmail.com" and row.recorded_at == decided.replace(tzinfo=timezone.utc)
    finally:
        engine.dispose()
