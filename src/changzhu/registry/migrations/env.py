"""Alembic environment: runs on the connection handed over by changzhu.registry.migrate; compares against every
table of changzhu.store.schema (regions, residents, ledger, audit, auth, inter-region)."""

from alembic import context

from changzhu.store.schema import metadata

config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata(), render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
