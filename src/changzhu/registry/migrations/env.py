"""Alembic environment: runs on the connection handed over by changzhu.registry.migrate."""

from alembic import context

from changzhu.registry.models import Base

config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
