"""The shared choice lists: stages, channels, cadences, units, currencies and their labels.

Services check values against them, forms offer them, exchange formats validate files
with them, and the storyboard labels with them; defined once here so they cannot drift.
"""

from __future__ import annotations

from workbench.models.assessment import FactorCategory, Polarity
from workbench.models.jobs import JobStatus

# Phase 1: factor categories and polarities as people read them.
CATEGORY_LABELS: dict[FactorCategory, str] = {
    FactorCategory.BUSINESS_NEED: "Business needs",
    FactorCategory.ORGANISATIONAL_DRIVER: "Organisational drivers",
    FactorCategory.TECHNOLOGY_DRIVER: "Technology drivers",
    FactorCategory.ENVIRONMENTAL_FACTOR: "Environmental factors",
}
POLARITY_LABELS: dict[Polarity, str] = {
    Polarity.DRIVER: "Drivers",
    Polarity.ENABLER: "Enablers",
    Polarity.BARRIER: "Barriers",
}
IMPORTANCE_LABELS: dict[int, str] = {
    1: "1 - marginal",
    2: "2 - minor",
    3: "3 - moderate",
    4: "4 - major",
    5: "5 - critical",
}

# The six stages of the customer engagement journey in order (used before seeding, too).
STAGES: tuple[tuple[str, str], ...] = (
    ("satisfaction", "Satisfaction"),
    ("commitment", "Commitment"),
    ("delight", "Delight"),
    ("trust", "Trust"),
    ("involvement", "Involvement"),
    ("emotional_attachment", "Emotional attachment"),
)
# Where a friction point is felt.
CHANNELS: tuple[tuple[str, str], ...] = (
    ("in_person", "In person"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("chat", "Chat"),
    ("web", "Website"),
    ("app", "Mobile app"),
    ("social", "Social media"),
    ("sms", "Text message"),
    ("other", "Other"),
)
FRICTION_SEVERITY_LABELS: dict[int, str] = {
    1: "minor",
    2: "noticeable",
    3: "significant",
    4: "serious",
    5: "severe",
}

# Phase 3: stakeholders, the canvas, RACI, organisation structures and the playbook.
STAKEHOLDER_KINDS = ("person", "team", "department", "external")
CANVAS_KINDS = ("challenge", "opportunity")
RACI_ROLES = ("R", "A", "C", "I")
STRUCTURES = ("current", "target")
SEVERITIES = ("low", "medium", "high", "critical")
DETECTION_CHANNELS = (
    "feedback_form",
    "survey",
    "social_listening",
    "call_analytics",
    "chat",
    "email",
    "staff_report",
    "system_monitoring",
    "review_site",
)
RESPONSE_CHANNELS = (
    "phone",
    "email",
    "sms",
    "chat",
    "in_person",
    "field_service",
    "app_notification",
    "social",
)
COMPENSATION_TYPES = (
    "none",
    "goodwill_gesture",
    "refund",
    "partial_refund",
    "voucher",
    "upgrade",
    "replacement",
    "loyalty_points",
)

# The application portfolio: the kinds of system that serve recovery, as people name them.
APPLICATION_KINDS: tuple[tuple[str, str], ...] = (
    ("case_management", "Case management or CSM"),
    ("quality_management", "Quality management"),
    ("reviews_surveys", "Reviews and surveys"),
    ("chat", "Chat"),
    ("telephony", "Telephony"),
    ("field_service", "Field service"),
    ("other", "Other"),
)
# What an application can do for recovery: (key, label, one of the five customer service
# management capabilities that raise first contact resolution).
APPLICATION_CAPABILITIES: tuple[tuple[str, str, bool], ...] = (
    ("routing", "Escalating and routing to the right party", True),
    ("self_service", "Self-service portal and knowledge base on every channel", True),
    ("customer_history", "Agents see the customer's history", True),
    ("practice_insight", "Finding the practices that work and those to improve", True),
    ("analytics", "Analytics and reporting", True),
    ("feedback_capture", "Feedback capture from surveys and reviews", False),
    ("realtime_alerts", "Near real-time alerts to the responder", False),
    ("callback_scheduling", "Callback scheduling", False),
    ("incident_reporting", "Incident reporting", False),
)

# Phase 4: metrics, communication plans and money.
UNITS = ("percent", "score", "minutes", "hours", "count", "currency", "stars", "ratio")
FREQUENCIES = ("daily", "weekly", "monthly", "quarterly")
CADENCES = ("weekly", "fortnightly", "monthly", "quarterly")
# The one list of currencies: forms, the API, imports and the economics all offer these.
CURRENCIES = ("GBP", "EUR", "USD")
DEFAULT_CURRENCY = "GBP"

# A background job's state as the lists of exports and imports show it.
JOB_STATUS_LABELS: dict[JobStatus, str] = {
    JobStatus.QUEUED: "Waiting",
    JobStatus.RUNNING: "Running",
    JobStatus.DONE: "Finished",
    JobStatus.FAILED: "Failed",
}
# The corporate strategy texts (purpose, vision...): a few pages each at most.
STRATEGY_TEXT_MAX = 10000
