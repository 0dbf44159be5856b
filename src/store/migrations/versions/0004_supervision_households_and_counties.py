"""The supervision and household ledgers (sites, site_checks, supervisions, reports,
monitored, guarantees) and the county columns (townships.county_code/county_name,
tasks.county_code): new tables, and nullable columns, so stored rows keep their meaning.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reports',
    sa.Column('township_code', sa.String(length=64), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('submitted_date', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['township_code'], ['townships.township_code'], name=op.f('fk_reports_township_code_townships')),
    sa.PrimaryKeyConstraint('township_code', 'month', name=op.f('pk_reports'))
    )
    op.create_table('sites',
    sa.Column('site_code', sa.String(length=64), nullable=False),
    sa.Column('site_name', sa.String(length=200), nullable=False),
    sa.Column('township_code', sa.String(length=64), nullable=False),
    sa.Column('planned_households', sa.Integer(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['township_code'], ['townships.township_code'], name=op.f('fk_sites_township_code_townships')),
    sa.PrimaryKeyConstraint('site_code', name=op.f('pk_sites'))
    )
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sites_township_code'), ['township_code'], unique=False)

    op.create_table('supervisions',
    sa.Column('supervision_id', sa.String(length=64), nullable=False),
    sa.Column('township_code', sa.String(length=64), nullable=False),
    sa.Column('target_code', sa.String(length=64), nullable=True),
    sa.Column('visit_date', sa.Date(), nullable=False),
    sa.Column('leader', sa.String(length=200), nullable=True),
    sa.Column('rating', sa.String(length=16), nullable=False),
    sa.Column('yellow_card', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['township_code'], ['townships.township_code'], name=op.f('fk_supervisions_township_code_townships')),
    sa.PrimaryKeyConstraint('supervision_id', name=op.f('pk_supervisions'))
    )
    with op.batch_alter_table('supervisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervisions_target_code'), ['target_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervisions_township_code'), ['township_code'], unique=False)

    op.create_table('guarantees',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('household_id', sa.String(length=64), nullable=False),
    sa.Column('township_code', sa.String(length=64), nullable=False),
    sa.Column('village_code', sa.String(length=64), nullable=True),
    sa.Column('check_date', sa.Date(), nullable=False),
    sa.Column('food_clothing_ok', sa.Boolean(), nullable=False),
    sa.Column('education_ok', sa.Boolean(), nullable=False),
    sa.Column('medical_ok', sa.Boolean(), nullable=False),
    sa.Column('housing_ok', sa.Boolean(), nullable=False),
    sa.Column('water_ok', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['township_code'], ['townships.township_code'], name=op.f('fk_guarantees_township_code_townships')),
    sa.ForeignKeyConstraint(['village_code'], ['villages.village_code'], name=op.f('fk_guarantees_village_code_villages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guarantees'))
    )
    with op.batch_alter_table('guarantees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guarantees_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_guarantees_township_code'), ['township_code'], unique=False)

    op.create_table('monitored',
    sa.Column('household_id', sa.String(length=64), nullable=False),
    sa.Column('township_code', sa.String(length=64), nullable=False),
    sa.Column('village_code', sa.String(length=64), nullable=True),
    sa.Column('category', sa.String(length=200), nullable=False),
    sa.Column('risk', sa.String(length=200), nullable=False),
    sa.Column('identified_date', sa.Date(), nullable=False),
    sa.Column('assisted_date', sa.Date(), nullable=True),
    sa.Column('cleared_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['township_code'], ['townships.township_code'], name=op.f('fk_monitored_township_code_townships')),
    sa.ForeignKeyConstraint(['village_code'], ['villages.village_code'], name=op.f('fk_monitored_village_code_villages')),
    sa.PrimaryKeyConstraint('household_id', name=op.f('pk_monitored'))
    )
    with op.batch_alter_table('monitored', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitored_township_code'), ['township_code'], unique=False)

    op.create_table('site_checks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('site_code', sa.String(length=64), nullable=False),
    sa.Column('check_date', sa.Date(), nullable=False),
    sa.Column('moved_in', sa.Integer(), nullable=False),
    sa.Column('employed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['site_code'], ['sites.site_code'], name=op.f('fk_site_checks_site_code_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_checks'))
    )
    with op.batch_alter_table('site_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_site_checks_site_code'), ['site_code'], unique=False)

    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('county_code', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_tasks_county_code'), ['county_code'], unique=False)

    with op.batch_alter_table('townships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('county_code', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('county_name', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_townships_county_code'), ['county_code'], unique=False)



def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): a batch copy of townships would drop
    # the table that villages, issues … reference, which SQLite's foreign keys refuse.
    op.drop_index(op.f('ix_townships_county_code'), table_name='townships')
    op.drop_column('townships', 'county_name')
    op.drop_column('townships', 'county_code')
    op.drop_index(op.f('ix_tasks_county_code'), table_name='tasks')
    op.drop_column('tasks', 'county_code')

    with op.batch_alter_table('site_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_site_checks_site_code'))

    op.drop_table('site_checks')
    with op.batch_alter_table('monitored', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitored_township_code'))

    op.drop_table('monitored')
    with op.batch_alter_table('guarantees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guarantees_township_code'))
        batch_op.drop_index(batch_op.f('ix_guarantees_household_id'))

    op.drop_table('guarantees')
    with op.batch_alter_table('supervisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervisions_township_code'))
        batch_op.drop_index(batch_op.f('ix_supervisions_target_code'))

    op.drop_table('supervisions')
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sites_township_code'))

    op.drop_table('sites')
    op.drop_table('reports')
