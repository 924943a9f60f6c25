"""Alembic environment for the records archive, run from code by ``councilguard.records.db.upgrade``.

The caller passes an open connection in ``config.attributes["connection"]``; with none (an ``alembic``
command line run by a developer) the URL comes from ``sqlalchemy.url`` or ``COUNCILGUARD_DB``.
"""

from __future__ import annotations

from alembic import context

from councilguard.records.db import make_engine
from councilguard.records.schema import Base
import councilguard.records.request_schema  # noqa: F401,E402  (its tables join Base.metadata)
import councilguard.records.schedule_store  # noqa: F401,E402  (its table joins Base.metadata)
import councilguard.web.accounts_schema  # noqa: F401,E402  (its tables join Base.metadata)
import councilguard.web.desk_schema  # noqa: F401,E402  (its tables join Base.metadata)
import councilguard.web.kept_drafts_schema  # noqa: F401,E402  (its tables join Base.metadata)
import councilguard.workflow.authorities_schema  # noqa: F401,E402  (its tables join Base.metadata)
import councilguard.workflow.governance_schema  # noqa: F401,E402  (its tables join Base.metadata)
import councilguard.workflow.incidents_schema  # noqa: F401,E402  (its tables join Base.metadata)

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
