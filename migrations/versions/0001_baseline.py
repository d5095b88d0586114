"""The schema as it stood when migrations began; it also adopts a database made before them.

Revision ID: 0001
Revises:
Create Date: 2026-12-03

A new database gets every table. A database made by an earlier version of the platform (its tables
created at start, columns added and dropped by hand-made code, no ``alembic_version``) is brought to
exactly this schema instead: the tables and columns it lacks are added (each such column has a
server default or is nullable), the columns this version retired are dropped, and accounts get the
name key that login looks them up by. Then it is stamped 0001 like any other, and later revisions
apply to it as to a new one.

The tables are written out here, not taken from the models: the models will change, this
revision must not.
"""
import logging

import sqlalchemy as sa
from alembic import op

from accounts.rules import name_key

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

logger = logging.getLogger(__name__)

RETIRED_COLUMNS = {"contest_team": ("binding_version", "phone_joins", "phone_joined_at")}
"""Columns of earlier versions that this schema no longer has (a NOT NULL one would refuse every new row)."""


def baseline_tables() -> sa.MetaData:
    """The tables of revision 0001, with their indexes."""
    metadata = sa.MetaData()
    sa.Table('user', metadata,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('name_key', sa.String(length=64), nullable=True),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('disabled', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('session_version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('demo', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    sa.Index('ix_user_name_key', metadata.tables['user'].c['name_key'], unique=True)
    sa.Index('ix_user_username', metadata.tables['user'].c['username'], unique=True)

    sa.Table('contest', metadata,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('bank_ids', sa.JSON(), nullable=False),
    sa.Column('display_token', sa.String(length=64), nullable=False),
    sa.Column('phones_per_team', sa.Integer(), server_default=sa.text('2'), nullable=False),
    sa.Column('join_codes_shown', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    sa.Index('ix_contest_status', metadata.tables['contest'].c['status'], unique=False)

    sa.Table('question_bank', metadata,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    sa.Index('ix_question_bank_name', metadata.tables['question_bank'].c['name'], unique=True)

    sa.Table('bank_question', metadata,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('stem', sa.Text(), nullable=False),
    sa.Column('stem_hash', sa.String(length=64), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=True),
    sa.Column('difficulty', sa.SmallInteger(), nullable=True),
    sa.Column('category', sa.Text(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=True),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('time_limit', sa.Integer(), nullable=True),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('external_id', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['bank_id'], ['question_bank.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['imported_by_id'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('bank_id', 'stem_hash', name='uq_bank_question_stem')
    )
    sa.Index('ix_bank_question_bank_id', metadata.tables['bank_question'].c['bank_id'], unique=False)

    sa.Table('buzz_press', metadata,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('open_token', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('connection', sa.String(length=64), nullable=False),
    sa.Column('stamped_at', sa.Double(), nullable=True),
    sa.Column('arrived_at', sa.BigInteger(), nullable=False),
    sa.Column('offset_ms', sa.Double(), nullable=True),
    sa.Column('delay_ms', sa.Double(), nullable=True),
    sa.Column('pressed_at', sa.BigInteger(), nullable=False),
    sa.Column('arbitration', sa.String(length=16), nullable=False),
    sa.Column('accepted', sa.Boolean(), nullable=False),
    sa.Column('outcome', sa.String(length=200), nullable=False),
    sa.Column('event_seq', sa.Integer(), nullable=True),
    sa.Column('flag', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    sa.Index('ix_buzz_press_contest_id', metadata.tables['buzz_press'].c['contest_id'], unique=False)

    sa.Table('command_ack', metadata,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('who', sa.String(length=120), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('contest_id', 'who', 'client_id', name='uq_command_ack_client')
    )
    sa.Index('ix_command_ack_contest_id', metadata.tables['command_ack'].c['contest_id'], unique=False)

    sa.Table('contest_event', metadata,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('contest_id', 'seq', name='uq_contest_event_seq')
    )
    sa.Index('ix_contest_event_contest_id', metadata.tables['contest_event'].c['contest_id'], unique=False)

    sa.Table('contest_host', metadata,
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contest_id', 'user_id')
    )
    sa.Index('ix_contest_host_user_id', metadata.tables['contest_host'].c['user_id'], unique=False)

    sa.Table('contest_stage', metadata,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('draw_filter', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    sa.Index('ix_contest_stage_contest_id', metadata.tables['contest_stage'].c['contest_id'], unique=False)

    sa.Table('contest_team', metadata,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('company', sa.String(length=200), nullable=False),
    sa.Column('members', sa.JSON(), nullable=False),
    sa.Column('alternates', sa.JSON(), nullable=False),
    sa.Column('seat', sa.Integer(), nullable=True),
    sa.Column('join_secret', sa.String(length=64), nullable=False),
    sa.Column('phone_secret', sa.String(length=64), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    sa.Index('ix_contest_team_contest_id', metadata.tables['contest_team'].c['contest_id'], unique=False)

    sa.Table('prelim_round', metadata,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organizer_name', sa.String(length=200), nullable=False),
    sa.Column('final_contest_id', sa.Integer(), nullable=True),
    sa.Column('window_start', sa.DateTime(), nullable=True),
    sa.Column('window_end', sa.DateTime(), nullable=True),
    sa.Column('bank_ids', sa.JSON(), nullable=False),
    sa.Column('strata', sa.JSON(), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('display_token', sa.String(length=64), nullable=False),
    sa.Column('qualified_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['final_contest_id'], ['contest.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    sa.Table('prelim_company', metadata,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('contact', sa.String(length=50), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=False),
    sa.Column('invite_secret', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['prelim_round.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('round_id', 'name', name='uq_prelim_company_name')
    )
    sa.Index('ix_prelim_company_round_id', metadata.tables['prelim_company'].c['round_id'], unique=False)

    sa.Table('stage_question', metadata,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('tier', sa.Integer(), nullable=True),
    sa.Column('is_spare', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['contest.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['bank_question.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stage_id'], ['contest_stage.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('contest_id', 'question_id', name='uq_stage_question_once')
    )
    sa.Index('ix_stage_question_contest_id', metadata.tables['stage_question'].c['contest_id'], unique=False)
    sa.Index('ix_stage_question_stage_id', metadata.tables['stage_question'].c['stage_id'], unique=False)

    sa.Table('team_phone', metadata,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('secret', sa.String(length=64), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['contest_team.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    sa.Index('ix_team_phone_team_id', metadata.tables['team_phone'].c['team_id'], unique=False)

    sa.Table('prelim_person', metadata,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('mobile', sa.String(length=11), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['prelim_company.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['prelim_round.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('round_id', 'mobile', name='uq_prelim_person_mobile')
    )
    sa.Index('ix_prelim_person_company_id', metadata.tables['prelim_person'].c['company_id'], unique=False)
    sa.Index('ix_prelim_person_round_id', metadata.tables['prelim_person'].c['round_id'], unique=False)

    sa.Table('prelim_attempt', metadata,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('paper', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('started_ms', sa.BigInteger(), nullable=False),
    sa.Column('question_started_ms', sa.BigInteger(), nullable=False),
    sa.Column('deadline_ms', sa.BigInteger(), nullable=False),
    sa.Column('finished_ms', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('full_marks', sa.Integer(), nullable=False),
    sa.Column('leave_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['prelim_company.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['prelim_person.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['prelim_round.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    sa.Index('ix_prelim_attempt_person_status', metadata.tables['prelim_attempt'].c['person_id'], metadata.tables['prelim_attempt'].c['status'], unique=False)
    sa.Index('ix_prelim_attempt_round_id', metadata.tables['prelim_attempt'].c['round_id'], unique=False)
    sa.Index('uq_prelim_attempt_open', metadata.tables['prelim_attempt'].c['person_id'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    sa.Table('prelim_duplicate', metadata,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['prelim_company.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['prelim_person.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['prelim_round.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    sa.Index('ix_prelim_duplicate_round_id', metadata.tables['prelim_duplicate'].c['round_id'], unique=False)

    sa.Table('prelim_answer', metadata,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=16), nullable=True),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('answered_ms', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['prelim_attempt.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('attempt_id', 'position', name='uq_prelim_answer_position')
    )
    sa.Index('ix_prelim_answer_attempt_id', metadata.tables['prelim_answer'].c['attempt_id'], unique=False)
    return metadata


def upgrade():
    bind = op.get_bind()
    metadata = baseline_tables()
    existing = set(sa.inspect(bind).get_table_names())
    if existing.isdisjoint(metadata.tables):
        metadata.create_all(bind)
        return
    _adopt_earlier_database(bind, metadata, existing)


def _adopt_earlier_database(bind, metadata: sa.MetaData, existing: set[str]) -> None:
    """Bring a database made before migrations to this revision, keeping every row."""
    metadata.create_all(bind, tables=[t for t in metadata.sorted_tables if t.name not in existing])
    inspector = sa.inspect(bind)
    for table in metadata.sorted_tables:
        if table.name not in existing:
            continue
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                op.add_column(table.name, _detached(column))
        indexes = {index["name"] for index in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in indexes:
                index.create(bind)
        retired = [name for name in RETIRED_COLUMNS.get(table.name, ()) if name in present]
        if retired:
            with op.batch_alter_table(table.name) as batch:
                for name in retired:
                    batch.drop_column(name)
    _fill_name_keys(bind, metadata.tables["user"])


def _detached(column: sa.Column) -> sa.Column:
    """A column to add to an existing table: name, type, nullability and server default (as the
    hand-made upgrades before migrations added them, without a foreign key)."""
    default = column.server_default.arg if column.server_default is not None else None
    return sa.Column(column.name, column.type, nullable=column.nullable, server_default=default)


def _fill_name_keys(bind, users: sa.Table) -> None:
    """Give accounts made before name keys theirs; a name colliding with an earlier one is left without
    (that account cannot log in until one of the two is renamed or deleted)."""
    taken = set(bind.scalars(sa.select(users.c.name_key).where(users.c.name_key.is_not(None))))
    for user_id, username in bind.execute(sa.select(users.c.id, users.c.username)
                                          .where(users.c.name_key.is_(None)).order_by(users.c.id)).all():
        key = name_key(username)
        if key in taken:
            logger.warning("账号「%s」与另一账号仅大小写或全半角不同，无法登录；请删除其中一个", username)
            continue
        bind.execute(users.update().where(users.c.id == user_id).values(name_key=key))
        taken.add(key)


def downgrade():
    baseline_tables().drop_all(op.get_bind())
