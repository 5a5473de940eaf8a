"""Alembic environment: migrations run on the connection that data.db.migrate passes in.

There is no alembic.ini: the app migrates itself on first use (see ``data.db.migrate``).
"""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
