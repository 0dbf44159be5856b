"""ledgers and import log

Revision ID: 0001
Revises: 
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_lock',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('imports', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_lock'))
    )
    op.execute("INSERT INTO import_lock (id, imports) VALUES (1, 0)")
    op.create_table('imports',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user', sa.String(length=200), nullable=False),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('problems', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imports'))
    )
    op.create_table('phases',
    sa.Column('phase_no', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('phase_name', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('phase_no', name=op.f('pk_phases'))
    )
    op.create_table('townships',
    sa.Column('township_code', sa.String(length=64), nullable=False),
    sa.Column('township_name', sa.String(length=200), nullable=False),
    sa.Column('area_group', sa.String(length=200), nullable=True),
    sa.Column('households', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('township_code', name=op.f('pk_townships')),
    sa.UniqueConstraint('township_name', name=op.f('uq_townships_township_name'))
    )
    op.create_table('projects',
    sa.Column('project_id', sa.String(length=64), nullable=False),
    sa.Column('project_name', sa.Text(), nullable=False),
    sa.Column('township_code', sa.String(length=64), nullable=False),
    sa.Column('funding_source', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=200), nullable=False),
    sa.Column('allocated_amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('allocated_date', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['township_code'], ['townships.township_code'], name=op.f('fk_projects_township_code_townships')),
    sa.PrimaryKeyConstraint('project_id', name=op.f('pk_projects'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_township_code'), ['township_code'], unique=False)

    op.create_table('tasks',
    sa.Column('task_id', sa.String(length=64), nullable=False),
    sa.Column('phase_no', sa.Integer(), nullable=False),
    sa.Column('township_code', sa.String(length=64), nullable=True),
    sa.Column('task_name', sa.Text(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('done_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['phase_no'], ['phases.phase_no'], name=op.f('fk_tasks_phase_no_phases')),
    sa.ForeignKeyConstraint(['township_code'], ['townships.township_code'], name=op.f('fk_tasks_township_code_townships')),
    sa.PrimaryKeyConstraint('task_id', name=op.f('pk_tasks'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tasks_phase_no'), ['phase_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_township_code'), ['township_code'], unique=False)

    op.create_table('villages',
    sa.Column('village_code', sa.String(length=64), nullable=False),
    sa.Column('village_name', sa.String(length=200), nullable=False),
    sa.Column('township_code', sa.String(length=64), nullable=False),
    sa.Column('listed', sa.Boolean(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['township_code'], ['townships.township_code'], name=op.f('fk_villages_township_code_townships')),
    sa.PrimaryKeyConstraint('village_code', name=op.f('pk_villages'))
    )
    with op.batch_alter_table('villages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_villages_township_code'), ['township_code'], unique=False)

    op.create_table('disbursements',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('project_id', sa.String(length=64), nullable=False),
    sa.Column('paid_date', sa.Date(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.project_id'], name=op.f('fk_disbursements_project_id_projects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disbursements'))
    )
    with op.batch_alter_table('disbursements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disbursements_project_id'), ['project_id'], unique=False)

    op.create_table('issues',
    sa.Column('issue_id', sa.String(length=64), nullable=False),
    sa.Column('township_code', sa.String(length=64), nullable=False),
    sa.Column('village_code', sa.String(length=64), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=200), nullable=False),
    sa.Column('department', sa.String(length=200), nullable=False),
    sa.Column('found_date', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('closed_date', sa.Date(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['township_code'], ['townships.township_code'], name=op.f('fk_issues_township_code_townships')),
    sa.ForeignKeyConstraint(['village_code'], ['villages.village_code'], name=op.f('fk_issues_village_code_villages')),
    sa.PrimaryKeyConstraint('issue_id', name=op.f('pk_issues'))
    )
    with op.batch_alter_table('issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issues_township_code'), ['township_code'], unique=False)

    op.create_table('loans',
    sa.Column('loan_id', sa.String(length=64), nullable=False),
    sa.Column('household_id', sa.String(length=64), nullable=False),
    sa.Column('township_code', sa.String(length=64), nullable=False),
    sa.Column('village_code', sa.String(length=64), nullable=True),
    sa.Column('principal_fen', sa.BigInteger(), nullable=False),
    sa.Column('issued_date', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('extended_due_date', sa.Date(), nullable=True),
    sa.Column('bank', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['township_code'], ['townships.township_code'], name=op.f('fk_loans_township_code_townships')),
    sa.ForeignKeyConstraint(['village_code'], ['villages.village_code'], name=op.f('fk_loans_village_code_villages')),
    sa.PrimaryKeyConstraint('loan_id', name=op.f('pk_loans'))
    )
    with op.batch_alter_table('loans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loans_township_code'), ['township_code'], unique=False)

    op.create_table('repayments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('loan_id', sa.String(length=64), nullable=False),
    sa.Column('paid_date', sa.Date(), nullable=False),
    sa.Column('principal_amount_fen', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['loan_id'], ['loans.loan_id'], name=op.f('fk_repayments_loan_id_loans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_repayments'))
    )
    with op.batch_alter_table('repayments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_repayments_loan_id'), ['loan_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('repayments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_repayments_loan_id'))

    op.drop_table('repayments')
    with op.batch_alter_table('loans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loans_township_code'))

    op.drop_table('loans')
    with op.batch_alter_table('issues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issues_township_code'))

    op.drop_table('issues')
    with op.batch_alter_table('disbursements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disbursements_project_id'))

    op.drop_table('disbursements')
    with op.batch_alter_table('villages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_villages_township_code'))

    op.drop_table('villages')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tasks_township_code'))
        batch_op.drop_index(batch_op.f('ix_tasks_phase_no'))

    op.drop_table('tasks')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_projects_township_code'))

    op.drop_table('projects')
    op.drop_table('townships')
    op.drop_table('phases')
    op.drop_table('imports')
    op.drop_table('import_lock')
