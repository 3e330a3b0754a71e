"""Languages spoken at a listing (HSDS 3.0 language) and a listing's own texts translated by an editor (vertaling).

Both start empty: only an editor fills them in beheer.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "language",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("service_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column("location_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.ForeignKeyConstraint(["location_id"], ["location.id"]),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("language", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_language_location_id"), ["location_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_language_service_id"), ["service_id"], unique=False)
    op.create_table(
        "vertaling",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("taal", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("veld", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("tekst", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("service_id", "taal", "veld"),
    )
    with op.batch_alter_table("vertaling", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vertaling_service_id"), ["service_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("vertaling", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vertaling_service_id"))
    op.drop_table("vertaling")
    with op.batch_alter_table("language", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_language_service_id"))
        batch_op.drop_index(batch_op.f("ix_language_location_id"))
    op.drop_table("language")
