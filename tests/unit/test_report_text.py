"""Department display names and metric values as the storyboard prints them."""

from __future__ import annotations

import pytest

from workbench.analysis.measures import format_measure
from workbench.analysis.text import default_department_name, department_slug


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        ("it", "IT"),
        ("hr", "Human resources"),
        ("HR", "Human resources"),
        ("cx", "Customer experience"),
        ("crm", "CRM"),
        ("service", "Customer service"),
        ("IT", "IT"),
        ("marketing", "Marketing"),
        ("housekeeping", "Housekeeping"),
        ("customer_service", "Customer service"),
        ("it support", "IT support"),
        ("Front Office", "Front Office"),
        ("eCommerce", "eCommerce"),
        ("", "No department"),
        ("   ", "No department"),
        (None, "No department"),
        ("r&d", "Research and development"),
        ("crm support", "CRM support"),
        ("ünterwegs", "Ünterwegs"),
    ],
)
def test_default_department_name(key: str | None, shown: str) -> None:
    assert default_department_name(key) == shown


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Human resources", "human-resources"),
        ("  Customer   service ", "customer-service"),
        ("IT", "it"),
        ("R&D", "r&d"),
        ("guest_services / front desk", "guest-services-front-desk"),
        ("Ünterwegs", "ünterwegs"),
        ("---", ""),
    ],
)
def test_department_slug(name: str, slug: str) -> None:
    assert department_slug(name) == slug


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (24000, "count", "24,000"),
        (410, "minutes", "410 min"),
        (52.5, "percent", "52.5%"),
        (4.25, "stars", "4.25 stars"),
        (1, "stars", "1 star"),
        (1234567.891, "currency", "GBP 1,234,567.89"),
        (3.5, "hours", "3.5 h"),
        (-22, "score", "-22"),
        (0.8, "ratio", "0.8"),
        (None, "percent", "—"),
        (12.0, None, "12"),
    ],
)
def test_format_measure(value: float | None, unit: str | None, shown: str) -> None:
    assert format_measure(value, unit, "GBP") == shown


def test_channel_choices_read_as_words_not_garbled_keys():
    from workbench.models.fields import labelled

    assert dict(labelled(("sms", "in_person"))) == {
        "sms": "Text message (SMS)",
        "in_person": "In person",
    }
