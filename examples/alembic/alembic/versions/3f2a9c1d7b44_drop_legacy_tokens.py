"""drop legacy api tokens, grant reporting access

Revision ID: 3f2a9c1d7b44
Revises: 1c0e5d2a9f31
"""
import sqlalchemy as sa
from alembic import op

revision = "3f2a9c1d7b44"
down_revision = "1c0e5d2a9f31"

GRANT_SQL = "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " "reporting"


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("legacy_api_token")
    op.drop_table("api_tokens_v1")
    op.execute(GRANT_SQL)
    op.execute(sa.text("UPDATE users SET plan = 'free' WHERE plan IS NULL"))
    table = op.get_context().opts.get("tenant_table", "tenants")
    op.execute(f"DELETE FROM {table} WHERE deleted")


def downgrade():
    op.create_table("api_tokens_v1", sa.Column("id", sa.Integer, primary_key=True))
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("legacy_api_token", sa.Text))
    op.execute("REVOKE SELECT ON ALL TABLES IN SCHEMA public FROM reporting")
