"""TQM principles: integrated processes, communications and process-centred say what they mean

Revision ID: 0027_method_text
Revises: 0024_applications
Create Date: 2026-12-04 21:00:00

Integrated processes is about every employee understanding the vision, mission, policies
and processes; communications is about communicating organisational and day-to-day
change; process-centred includes constantly monitored performance measures. Each field
is replaced only where it still holds the text first shipped, so wording someone changed
since is left as it is. The downgrade puts the first text back on the same condition.
"""

import sqlalchemy as sa
from alembic import op

revision = "0027_method_text"
down_revision = "0024_applications"
branch_labels = None
depends_on = None

# (key, field, the text first shipped, the corrected text)
TEXTS = (
    (
        "process_centred",
        "description",
        "Recovery is treated as a defined process with clear steps, owners and timings "
        "instead of a series of improvised reactions. A repeatable process makes the outcome "
        "consistent whichever member of staff handles the case.",
        "Recovery is treated as a defined process with clear steps, owners and timings "
        "instead of a series of improvised reactions, and the measures of its performance "
        "are monitored constantly so that a step that slips is seen at once. A repeatable, "
        "measured process makes the outcome consistent whichever member of staff handles "
        "the case.",
    ),
    (
        "process_centred",
        "example",
        "Publishing a playbook that sets out detection, response, compensation and "
        "follow-up for each common failure.",
        "Publishing a playbook that sets out detection, response, compensation and "
        "follow-up for each common failure, with a live view of response times and "
        "recovery rate that the team checks every day.",
    ),
    (
        "integrated_processes",
        "description",
        "Recovery depends on many departments working as one, so hand-offs between "
        "service, operations, IT and finance must be joined up. Customers should never "
        "have to repeat their story because information failed to pass between teams.",
        "Every employee understands the organisation's vision, mission and policies and "
        "the processes that put them into practice, so each person can see how their own "
        "work fits the whole. Recovery then follows one shared understanding of what the "
        "organisation stands for, not a separate habit in each team.",
    ),
    (
        "integrated_processes",
        "example",
        "Linking the booking system to the case management tool so agents see a "
        "customer's full history when they pick up a complaint.",
        "Walking every new starter through the mission, the service recovery policy and "
        "the recovery process, and checking in team meetings that staff can explain how "
        "their role serves them.",
    ),
    (
        "communications",
        "description",
        "Clear, timely communication keeps customers informed during a failure and keeps "
        "staff aware of the programme's aims and results. Sharing metrics and lessons "
        "openly sustains commitment across the organisation.",
        "The organisation communicates change, both organisational change and the changes "
        "of day-to-day work, so that staff know what is changing, why, and what it means "
        "for them. Regular, open communication keeps people committed to the programme "
        "while it alters how they work.",
    ),
    (
        "communications",
        "example",
        "Sending customers a proactive text message as soon as a delay is known, and "
        "sharing recovery results with every team each month.",
        "Briefing every team before a new recovery policy takes effect, and sharing a "
        "short weekly note on what changed in the process and what the recovery figures "
        "show.",
    ),
)

principle = sa.table(
    "tqm_principle",
    sa.column("key", sa.String),
    sa.column("description", sa.Text),
    sa.column("example", sa.Text),
)


def _replace(direction):
    for key, field, first, corrected in TEXTS:
        before, after = (first, corrected) if direction == "up" else (corrected, first)
        column = principle.c[field]
        op.execute(
            principle.update()
            .where(principle.c.key == key, column == before)
            .values({field: after})
        )


def upgrade():
    _replace("up")


def downgrade():
    _replace("down")
