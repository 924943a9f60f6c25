"""Migration 0004 creates exactly the desk's tables of the models, and downgrades to 0003 cleanly."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from councilguard.records import db
from councilguard.web.desk_schema import (
    AcknowledgementRow,
    ConsentRequestRow,
    DeskAuditRow,
    PolicyReviewRow,
    RemarkReportRow,
)

MODELS = (RemarkReportRow, ConsentRequestRow, AcknowledgementRow, PolicyReviewRow, DeskAuditRow)


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
        assert [u["column_names"] for u in found.get_unique_constraints("web_acknowledgements")] == [
            ["user_id", "pack_id", "version"]]
        config = Config()
        config.set_main_option("script_location", str(db.MIGRATIONS))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0003_web_users")
        names = set(inspect(engine).get_table_names())
        assert not {m.__tablename__ for m in MODELS} & names and "web_users" in names
        assert db.current_revision(engine) == "0003_web_users"
    finally:
        engine.dispose()
