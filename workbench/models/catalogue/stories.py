"""Phase 3 registers about people: success stories and the service training plans."""

from __future__ import annotations

from workbench.models.catalogue.shared import (
    DESCRIPTION_MAX,
    NAME_MAX,
    NOTE_MAX,
    OWNER_MAX,
    TITLE_MAX,
    RegisterSpec,
    department,
)
from workbench.models.fields import choice, day, flag, integer, line, text

# May the customer's words be quoted, and in what form.
PERMISSIONS = (
    ("none", "No: not to be quoted"),
    ("named", "Yes, with their name"),
    ("anonymous", "Yes, anonymously"),
)
RATING_LABELS = {
    1: "1 - hardly worth telling",
    2: "2 - a small win",
    3: "3 - worth telling",
    4: "4 - a strong story",
    5: "5 - tell it everywhere",
}

STORIES = RegisterSpec(
    "stories",
    (
        line("title", "Story", TITLE_MAX, required=True),
        day("happened_on", "When it happened"),
        text("failure", "What went wrong", DESCRIPTION_MAX),
        text("response", "What staff did", DESCRIPTION_MAX),
        text("quote", "The customer's words", NOTE_MAX),
        line("customer_name", "Customer's name", OWNER_MAX),
        choice("permission", "Permission to quote", PERMISSIONS, "none"),
        department(),
        integer("rating", "How worth telling (1 to 5)", 1, 5, 3, labels=RATING_LABELS),
        flag("featured", "Feature it in the storyboard"),
    ),
)

# A year of sessions for a large contact centre is a few thousand people at most.
HEAD_COUNT_MAX = 100_000

TRAINING = RegisterSpec(
    "training",
    (
        department(required=True),
        line("topic", "Topic", TITLE_MAX, required=True),
        line("audience", "Who (audience or role)", NAME_MAX),
        integer("head_count", "Head count", 1, HEAD_COUNT_MAX, nullable=True),
        day("planned_on", "Planned for"),
        day("done_on", "Done on"),
        flag("empowerment", "Teaches the scenarios' empowerment limits"),
        text("notes", "Notes", NOTE_MAX),
    ),
)
