"""The map's data files, shared by every app instance.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "map_files",
        sa.Column("name", sa.String(120), primary_key=True),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_map_files_created_at", "map_files", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_map_files_created_at", "map_files")
    op.drop_table("map_files")
