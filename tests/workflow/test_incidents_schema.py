"""Migration 0007 creates exactly the incident register's and the governance tables of the models, and
downgrades to 0006 cleanly."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from councilguard.records import db
from councilguard.workflow.governance_schema import AttestationRow, PolicyVersionRow
from councilguard.workflow.incidents_schema import IncidentEventRow, IncidentEvidenceRow, IncidentRow

MODELS = (IncidentRow, IncidentEvidenceRow, IncidentEventRow, PolicyVersionRow, AttestationRow)


def test_migration_matches_the_models_and_downgrades(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    db.upgrade(url)
    engine = db.make_engine(url)
    try:
        found = inspect(engine)
        for model in MODELS:
            table = model.__table__
            assert {c["name"] for c in found.get_columns(table.name)} == set(table.columns.keys()), table.name
            assert {i["name"] for i in found.get_indexes(table.name)} == {i.name for i in table.indexes}, table.name
        assert {c["name"] for c in found.get_check_constraints("workflow_incidents")} == {
            "ck_workflow_incidents_source", "ck_workflow_incidents_status"}
        assert [u["column_names"] for u in found.get_unique_constraints("workflow_policy_versions")] == [
            ["pack_id", "version"]]
        config = Config()
        config.set_main_option("script_location", str(db.MIGRATIONS))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0006_authorities")
        names = set(inspect(engine).get_table_names())
        assert not {m.__tablename__ for m in MODELS} & names and "workflow_authorisations" in names
        assert db.current_revision(engine) == "0006_authorities"
        db.upgrade(engine)  # and back up again
        assert {m.__tablename__ for m in MODELS} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
