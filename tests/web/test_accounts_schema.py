"""Migration 0003 creates exactly the web tables of the models, and downgrades cleanly."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from councilguard.records import db
from councilguard.web.accounts_schema import CheckCountRow, WebUserRow


def test_migration_matches_the_models_and_downgrades(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    db.upgrade(url)
    engine = db.make_engine(url)
    try:
        assert db.current_revision(engine) == db.head_revision() == "0013_pg_index_later"
        found = inspect(engine)
        for model in (WebUserRow, CheckCountRow):
            table = model.__table__
            assert {c["name"] for c in found.get_columns(table.name)} == set(table.columns.keys())
        assert [u["column_names"] for u in found.get_unique_constraints("web_users")] == [["email"]]
        config = Config()
        config.set_main_option("script_location", str(db.MIGRATIONS))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0002_requests")
        assert not {"web_users", "web_check_counts"} & set(inspect(engine).get_table_names())
        assert db.current_revision(engine) == "0002_requests"
    finally:
        engine.dispose()


def test_upgrading_a_database_with_people_in_it_keeps_them(tmp_path):
    """Migration 0008 adds columns to web_users, which other tables point at: it must not rebuild the table."""
    from sqlalchemy import text
    url = f"sqlite:///{tmp_path / 'old.db'}"
    db.upgrade(url, "0004_desk")
    engine = db.make_engine(url)
    try:
        with engine.begin() as c:
            c.execute(text("insert into web_users (email, name, role, password_hash, created_at, created_by) "
                           "values ('a@example.org', 'A', 'councillor', 'x', '2026-01-01 00:00:00', 'setup')"))
            c.execute(text("insert into web_acknowledgements (user_id, pack_id, version, acknowledged_at) "
                           "values (1, 'croxley-green', '1', '2026-01-02 00:00:00')"))
        db.upgrade(engine)
        with engine.begin() as c:
            assert c.execute(text("select active, session_version from web_users")).one() == (1, 0)
            assert c.execute(text("select count(*) from web_acknowledgements")).scalar() == 1
            # not yet shown the notice: nothing to carry over (0010 marks earlier readers as reading edition 1)
            assert c.execute(text("select privacy_edition from web_users")).scalar() is None
    finally:
        engine.dispose()


def test_people_who_read_the_notice_before_editions_read_the_first(tmp_path):
    from sqlalchemy import text
    url = f"sqlite:///{tmp_path / 'old.db'}"
    db.upgrade(url, "0009_search_scale")
    engine = db.make_engine(url)
    try:
        with engine.begin() as c:
            for n, seen in ((1, "'2026-01-02 00:00:00'"), (2, "NULL")):
                c.execute(text("insert into web_users (email, name, role, password_hash, created_at, created_by, "
                               f"privacy_seen_at) values ('p{n}@example.org', 'P', 'councillor', 'x', "
                               f"'2026-01-01 00:00:00', 'setup', {seen})"))
        db.upgrade(engine)
        with engine.begin() as c:
            assert c.execute(text("select privacy_edition from web_users order by id")).scalars().all() == [
                "2026-11-25", None]
    finally:
        engine.dispose()
