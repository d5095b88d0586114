"""Audience questions (观众互动题): the questions put to the hall and each phone's one answer.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03

Two new tables; nothing existing changes.
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audience_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('bank_question_id', sa.Integer(), nullable=True),
    sa.Column('stem', sa.Text(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('answer', sa.String(length=1), nullable=False),
    sa.Column('phase', sa.String(length=16), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('winner_phone', sa.String(length=32), nullable=True),
    sa.Column('winner_company', sa.String(length=200), nullable=False),
    sa.Column('drawn_at', sa.DateTime(), nullable=True),
    sa.Column('opened_by', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audience_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audience_question_contest_id'), ['contest_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audience_question_phase'), ['phase'], unique=False)

    op.create_table('audience_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('company', sa.String(length=200), nullable=False),
    sa.Column('choice', sa.String(length=1), nullable=False),
    sa.Column('answered_ms', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['audience_question.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('question_id', 'phone', name='uq_audience_answer_once')
    )
    with op.batch_alter_table('audience_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audience_answer_question_id'), ['question_id'], unique=False)



def downgrade():
    with op.batch_alter_table('audience_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audience_answer_question_id'))

    op.drop_table('audience_answer')
    with op.batch_alter_table('audience_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audience_question_phase'))
        batch_op.drop_index(batch_op.f('ix_audience_question_contest_id'))

    op.drop_table('audience_question')
