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
        assert db.current_revision(engine) == db.head_revision() == "0005_records_sender_dated"
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
