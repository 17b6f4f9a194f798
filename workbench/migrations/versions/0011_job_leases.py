"""generic jobs with heartbeats, replacing render_job

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 01:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

PUBLISH = 'storyboard.publish'


def upgrade():
    op.create_table('job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('stage', sa.String(length=120), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('worker', sa.String(length=120), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_job_requested_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_job_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job'))
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_workspace_id'), ['workspace_id'], unique=False)

    # Earlier storyboard renders become jobs of the publishing kind; their ids are kept
    # so links to their progress pages still open.
    connection = op.get_bind()
    old = sa.table('render_job', *(sa.column(name) for name in (
        'id', 'status', 'stage', 'requested_by_id', 'requested_at', 'finished_at',
        'snapshot_number', 'reused', 'error', 'workspace_id')))
    job = sa.table('job', *(sa.column(name, type_) for name, type_ in (
        ('id', sa.Integer()), ('kind', sa.String()), ('payload', sa.JSON()),
        ('status', sa.String()), ('stage', sa.String()), ('result', sa.JSON()),
        ('error', sa.String()), ('attempts', sa.Integer()), ('requested_by_id', sa.Integer()),
        ('requested_at', None), ('queued_at', None),
        ('finished_at', None), ('worker', sa.String()),
        ('workspace_id', sa.Integer()))))
    rows = connection.execute(sa.select(old)).mappings().all()
    if rows:
        connection.execute(job.insert(), [
            {
                'id': row['id'], 'kind': PUBLISH, 'payload': {},
                # A render that was under way when the upgrade ran cannot be resumed.
                'status': row['status'] if row['status'] in ('done', 'failed') else 'failed',
                'stage': row['stage'] if row['status'] in ('done', 'failed') else 'Failed',
                'result': {'snapshot_number': row['snapshot_number'], 'reused': bool(row['reused'])}
                if row['snapshot_number'] is not None else {},
                'error': row['error'] if row['status'] in ('done', 'failed')
                else 'Interrupted by an upgrade of the workbench. Try again.',
                'attempts': 1, 'requested_by_id': row['requested_by_id'],
                'requested_at': row['requested_at'], 'queued_at': row['requested_at'],
                'finished_at': row['finished_at'], 'worker': '',
                'workspace_id': row['workspace_id'],
            }
            for row in rows
        ])
        if connection.dialect.name == 'postgresql':
            connection.execute(sa.text(
                "SELECT setval(pg_get_serial_sequence('job', 'id'), (SELECT MAX(id) FROM job))"
            ))

    with op.batch_alter_table('render_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_render_job_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_render_job_status'))
    op.drop_table('render_job')


def downgrade():
    op.create_table('render_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('stage', sa.String(length=120), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('snapshot_number', sa.Integer(), nullable=True),
    sa.Column('reused', sa.Boolean(), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_render_job_requested_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_render_job_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_render_job'))
    )
    with op.batch_alter_table('render_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_render_job_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_render_job_workspace_id'), ['workspace_id'], unique=False)

    connection = op.get_bind()
    job = sa.table('job', *(sa.column(name, type_) for name, type_ in (
        ('id', sa.Integer()), ('kind', sa.String()), ('status', sa.String()),
        ('stage', sa.String()), ('result', sa.JSON()), ('error', sa.String()),
        ('requested_by_id', sa.Integer()), ('requested_at', None),
        ('finished_at', None), ('workspace_id', sa.Integer()))))
    old = sa.table('render_job', *(sa.column(name) for name in (
        'id', 'status', 'stage', 'requested_by_id', 'requested_at', 'finished_at',
        'snapshot_number', 'reused', 'error', 'workspace_id')))
    rows = connection.execute(sa.select(job).where(job.c.kind == PUBLISH)).mappings().all()
    if rows:
        connection.execute(old.insert(), [
            {
                'id': row['id'], 'status': row['status'], 'stage': row['stage'][:120],
                'requested_by_id': row['requested_by_id'], 'requested_at': row['requested_at'],
                'finished_at': row['finished_at'],
                'snapshot_number': (row['result'] or {}).get('snapshot_number'),
                'reused': bool((row['result'] or {}).get('reused')),
                'error': row['error'], 'workspace_id': row['workspace_id'],
            }
            for row in rows
        ])
        if connection.dialect.name == 'postgresql':
            connection.execute(sa.text(
                "SELECT setval(pg_get_serial_sequence('render_job', 'id'), "
                "(SELECT MAX(id) FROM render_job))"
            ))

    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_job_status'))
        batch_op.drop_index(batch_op.f('ix_job_kind'))
    op.drop_table('job')
