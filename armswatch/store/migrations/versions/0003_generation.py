"""store generation counter; indexes for the API's list orderings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 10:35:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    state = op.create_table('store_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_store_state'))
    )
    op.bulk_insert(state, [{'id': 1, 'generation': 0}])
    op.create_index(op.f('ix_documents_published'), 'documents', ['published'], unique=False)
    op.create_index(op.f('ix_events_last_reported'), 'events', ['last_reported'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_events_last_reported'), table_name='events')
    op.drop_index(op.f('ix_documents_published'), table_name='documents')
    op.drop_table('store_state')
