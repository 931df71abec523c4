"""a store with no documents yet starts at MinHash version 2 (nothing to rebuild)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 10:45:00
"""

from __future__ import annotations

from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE store_state SET minhash_version = 2 "
               "WHERE minhash_version < 2 AND NOT EXISTS (SELECT 1 FROM documents)")


def downgrade() -> None:
    pass  # the stamp is only an optimisation; version 2 signatures stay valid
