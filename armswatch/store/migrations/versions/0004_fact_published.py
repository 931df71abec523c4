"""facts carry their document's publication date (indexed for sorted lists); minhash version

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 10:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('facts') as batch:
        batch.add_column(sa.Column('published', sa.String(length=10), nullable=True))
    op.execute("UPDATE facts SET published = (SELECT documents.published FROM documents "
               "WHERE documents.id = facts.document_id)")
    op.create_index('ix_facts_published_id', 'facts', ['published', 'id'], unique=False)
    op.create_index('ix_facts_type_published_id', 'facts', ['type', 'published', 'id'], unique=False)
    with op.batch_alter_table('store_state') as batch:
        batch.add_column(sa.Column('minhash_version', sa.Integer(), server_default='1', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('store_state') as batch:
        batch.drop_column('minhash_version')
    op.drop_index('ix_facts_type_published_id', table_name='facts')
    op.drop_index('ix_facts_published_id', table_name='facts')
    with op.batch_alter_table('facts') as batch:
        batch.drop_column('published')
