"""indexes in the register's default order

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 10:30:00
"""

from __future__ import annotations

from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_events_type_order', 'events', ['type', 'last_reported', 'stories', 'id'], unique=False)
    op.create_index('ix_events_order', 'events', ['last_reported', 'stories', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_events_order', table_name='events')
    op.drop_index('ix_events_type_order', table_name='events')
