"""Branding (品牌与外观) and certificates (获奖证书): a contest's title lines, theme colour and
re-encoded pictures, and the certificates issued with their verification codes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04

Two new tables; nothing existing changes.
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('award', sa.String(length=40), nullable=False),
    sa.Column('winner', sa.String(length=200), nullable=False),
    sa.Column('detail', sa.String(length=200), nullable=False),
    sa.Column('contest_title', sa.String(length=200), nullable=False),
    sa.Column('awarded_on', sa.Date(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code'),
    sa.UniqueConstraint('contest_id', 'award', 'winner', name='uq_certificate_once')
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_contest_id'), ['contest_id'], unique=False)

    op.create_table('contest_branding',
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('subtitle', sa.Text(), nullable=False),
    sa.Column('theme_colour', sa.String(length=7), nullable=False),
    sa.Column('logo_png', sa.LargeBinary(), nullable=True),
    sa.Column('background_jpeg', sa.LargeBinary(), nullable=True),
    sa.Column('asset_key', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contest_id'),
    sa.UniqueConstraint('asset_key')
    )


def downgrade():
    op.drop_table('contest_branding')
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_contest_id'))

    op.drop_table('certificate')
