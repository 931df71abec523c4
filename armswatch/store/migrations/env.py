"""Alembic environment: runs migrations on the engine the store hands over.

``armswatch.store.engine.migrate`` puts the engine in ``config.attributes``;
the ``alembic`` command line is not needed (nor configured) for users.
"""

from __future__ import annotations

from alembic import context

from armswatch.store.schema import metadata

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
