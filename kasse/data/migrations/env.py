"""Alembic's entry point for kasse: migrate the connection `kasse.data.db.migrate` hands over.

kasse ships no alembic.ini and never runs Alembic on its own connection:
`db.migrate` turns foreign keys off, opens the transaction, passes the
connection in `config.attributes["connection"]`, and checks foreign keys
before commit. Batch mode is on because SQLite alters most things by
rebuilding the table.
"""

from alembic import context

from kasse.data.models import include_name, metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "Run kasse's migrations through kasse.data.db.migrate (or pass a connection in config.attributes)"
    )

context.configure(
    connection=connection,
    target_metadata=metadata,
    include_name=include_name,  # autogenerate leaves the FTS5 index of migration 0006 alone
    render_as_batch=True,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
