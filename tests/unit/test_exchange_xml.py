"""StratML and ArchiMate writers and the StratML reader, on plain records (no database)."""

from __future__ import annotations

from datetime import date

import pytest
from lxml import etree

from tests.exchange_schemas import (
    ALLOWED_RELATIONSHIPS,
    ARCHIMATE,
    STRATML_PART1,
    STRATML_PART2,
    assert_valid,
)
from workbench.exchange.archimate import build_model
from workbench.exchange.records import (
    ContributionLink,
    ExchangeData,
    FactorRecord,
    InitiativeRecord,
    MeasurementRecord,
    MetricRecord,
    ObjectiveRecord,
    PrincipleRecord,
    ProcessRecord,
    RaciRecord,
    StakeholderRecord,
    WorkspaceRecord,
)
from workbench.exchange.stratml import (
    StratmlImportError,
    build_performance_plan,
    build_strategic_plan,
    goal_trees,
    parse_strategic_plan,
)
from workbench.exchange.xmltext import decimal_text, xml_text

P1 = "{urn:ISO:std:iso:17469:tech:xsd:stratml_core}"
P2 = "{urn:ISO:std:iso:17469:tech:xsd:PerformancePlanOrReport}"
AM = "{http://www.opengroup.org/xsd/archimate/3.0/}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
HOSTILE = "<script>alert(1)</script> ]]> &amp; \x00\x01\x08\x0b\x0c\x1b\ud800\ufffe\uffff end"
UNICODE = "مرحبا שלום 你好 👩🏽‍💻"


def _sample(text: str = "") -> ExchangeData:
    """A small strategy; `text` is appended to every free-text field."""
    return ExchangeData(
        workspace=WorkspaceRecord(
            1,
            f"Acme{text}",
            "rail",
            f"Purpose{text}",
            f"Vision{text}",
            f"Mission{text}",
            f"- Care{text}\n- Candour",
        ),
        objectives=[
            ObjectiveRecord(
                10, f"Goal A{text}", f"About A{text}", "customer", None, "Ann", date(2027, 1, 31)
            ),
            ObjectiveRecord(11, f"Child A1{text}", "", "internal_process", 10),
            ObjectiveRecord(12, f"Grandchild A1a{text}", "", "financial", 11),
            ObjectiveRecord(13, "Goal B", "", "learning_growth"),
        ],
        initiatives=[
            InitiativeRecord(
                20, f"Case system{text}", budget="12000.50", start_date=date(2026, 2, 1)
            ),
            InitiativeRecord(21, "Callback team", end_date=date(2027, 6, 30)),
        ],
        factors=[
            FactorRecord(30, f"Legacy CRM{text}", "technology_driver", "barrier", 5),
            FactorRecord(31, "Loyal staff", "organisational_driver", "enabler", 3),
            FactorRecord(32, "Regulation", "environmental_factor", "driver", 2),
        ],
        principles=[
            PrincipleRecord(1, "customer_focused", "Customer-focused", f"Customers decide{text}"),
            PrincipleRecord(2, "communications", "Communications", "Talk"),
        ],
        stakeholders=[StakeholderRecord(40, f"Guests{text}", "external", 4, 1, text)],
        processes=[ProcessRecord(50, f"Recovery{text}", "", ("Detect", f"Act{text}"))],
        raci=[RaciRecord(50, 40, ("R", "I"))],
        metrics=[
            MetricRecord(
                60,
                f"CSAT{text}",
                unit="%",
                baseline=71.5,
                target=85.0,
                baseline_date=date(2026, 1, 1),
                target_date=date(2027, 1, 1),
                measurements=(
                    MeasurementRecord(date(2026, 3, 1), 73.25, f"note{text}"),
                    MeasurementRecord(date(2026, 4, 1), float("nan")),
                ),
            ),
            MetricRecord(61, "Tiny", unit="", target=1e-7),
        ],
        contributions=[
            ContributionLink(20, 10, "strong"),
            ContributionLink(20, 11, "weak"),
            ContributionLink(21, 12, "moderate"),
        ],
        principle_links=[(20, 1), (21, 1)],
        factor_links=[(20, 30), (21, 31)],
        dependencies=[(21, 20)],
        metric_links=[(60, 10), (60, 11), (61, 12)],
    )


def test_text_is_made_xml_safe_and_numbers_are_plain_decimals() -> None:
    assert xml_text("a\x00b\x0bc\ud800d\ufffe\ttab\r\nend") == "abcd\ttab\nend"
    assert xml_text(UNICODE) == UNICODE
    assert decimal_text(1e-7) == "0.0000001"
    assert decimal_text(1e21) == "1000000000000000000000"
    assert decimal_text(-0.0) == "0"
    assert decimal_text(float("inf")) is None
    assert decimal_text(float("nan")) is None
    assert decimal_text("12000.50") == "12000.5"


def test_goal_trees_flatten_descendants_and_survive_loops_and_missing_parents() -> None:
    trees = goal_trees(_sample().objectives)
    assert [t.goal.id for t in trees] == [10, 13]
    assert [o.id for o in trees[0].objectives] == [11, 12]
    looping = [ObjectiveRecord(1, "a", parent_id=2), ObjectiveRecord(2, "b", parent_id=1)]
    orphan = [ObjectiveRecord(3, "c", parent_id=99)]
    trees = goal_trees(looping + orphan)
    assert [t.goal.id for t in trees] == [3, 1]
    assert [o.id for o in trees[1].objectives] == [2]


@pytest.mark.parametrize("text", ["", HOSTILE, UNICODE])
def test_all_three_documents_are_schema_valid(text: str) -> None:
    data = _sample(text)
    part1 = assert_valid(build_strategic_plan(data), STRATML_PART1)
    part2 = assert_valid(build_performance_plan(data), STRATML_PART2)
    model = assert_valid(build_model(data), ARCHIMATE)
    if text == UNICODE:
        assert part1.findtext(f"{P1}Name") == f"Acme{UNICODE}"
        assert model.findtext(f"{AM}name") == f"Acme{UNICODE}"
    if text == HOSTILE:
        name = part2.findtext(f"{P2}Name")
        assert "<script>" in name and "]]>" in name and "\x01" not in name
        assert b"<script>" not in build_performance_plan(data)


def test_empty_workspace_gives_valid_documents_with_a_placeholder_goal() -> None:
    empty = ExchangeData(workspace=WorkspaceRecord(7, "Empty"))
    part1 = assert_valid(build_strategic_plan(empty), STRATML_PART1)
    assert_valid(build_performance_plan(empty), STRATML_PART2)
    model = assert_valid(build_model(empty), ARCHIMATE)
    assert [g.findtext(f"{P1}Identifier") for g in part1.iter(f"{P1}Goal")] == ["id-no-objectives"]
    assert model.find(f"{AM}elements") is None
    assert len(model.findall(f".//{AM}view")) == 1
    with pytest.raises(StratmlImportError, match="no goals"):
        parse_strategic_plan(build_strategic_plan(empty))


def test_output_is_deterministic() -> None:
    assert build_strategic_plan(_sample()) == build_strategic_plan(_sample())
    assert build_performance_plan(_sample()) == build_performance_plan(_sample())
    assert build_model(_sample()) == build_model(_sample())


def test_performance_plan_carries_indicators_with_targets_and_actuals() -> None:
    root = etree.fromstring(build_performance_plan(_sample()))
    assert root.get("Type") == "Performance_Plan"
    indicators = root.findall(f".//{P2}PerformanceIndicator")
    assert [i.findtext(f"{P2}Identifier") for i in indicators] == [
        "id-indicator-60-objective-10",
        "id-indicator-60-objective-11",
        "id-indicator-61-objective-12",
    ]
    csat = indicators[0]
    target = csat.find(f"{P2}MeasurementInstance/{P2}TargetResult")
    assert target.findtext(f"{P2}NumberOfUnits") == "85"
    assert target.findtext(f"{P2}Descriptor/{P2}DescriptorValue") == "71.5"
    actuals = csat.findall(f"{P2}MeasurementInstance/{P2}ActualResult")
    assert [a.findtext(f"{P2}NumberOfUnits") for a in actuals] == ["73.25"]  # NaN left out
    tiny = indicators[2].find(f".//{P2}TargetResult/{P2}NumberOfUnits")
    assert tiny.text == "0.0000001"
    values = [v.findtext(f"{P2}Name") for v in root.iter(f"{P2}Value")]
    assert values == ["Care", "Candour", "TQM principle: Customer-focused"]
    # The goal's own indicator sits in a holder objective, which the reader skips.
    goal_a = root.find(f".//{P2}Goal")
    assert goal_a.find(f"{P2}Objective/{P2}Identifier").text == "id-objective-10-indicators"
    plan = parse_strategic_plan(build_performance_plan(_sample()))
    assert [o.title for o in plan.goals[0].objectives] == ["Child A1", "Grandchild A1a"]


def test_archimate_elements_relationships_and_view() -> None:
    root = etree.fromstring(build_model(_sample()))
    kinds = {e.get("identifier"): e.get(XSI_TYPE) for e in root.iter(f"{AM}element")}
    assert kinds["id-objective-10"] == "Goal" and kinds["id-objective-13"] == "Goal"
    assert kinds["id-objective-11"] == "Outcome" and kinds["id-objective-12"] == "Outcome"
    assert kinds["id-factor-30"] == "Assessment"
    assert kinds["id-initiative-20"] == "WorkPackage"
    assert kinds["id-principle-1"] == "Principle" and "id-principle-2" not in kinds
    assert sorted(k for k, v in kinds.items() if v == "Driver") == [
        "id-driver-environmental_factor",
        "id-driver-organisational_driver",
        "id-driver-technology_driver",
    ]
    relations = list(root.iter(f"{AM}relationship"))
    influence = {
        (r.get("source"), r.get("target")): r.get("modifier")
        for r in relations
        if r.get(XSI_TYPE) == "Influence"
    }
    # The barrier addressed by initiative 20 weighs on the objectives 20 serves, the enabler
    # addressed by 21 helps objective 12.
    assert influence == {
        ("id-factor-30", "id-objective-10"): "-",
        ("id-factor-30", "id-objective-11"): "-",
        ("id-factor-31", "id-objective-12"): "+",
    }
    realizations = {
        (r.get("source"), r.get("target")) for r in relations if r.get(XSI_TYPE) == "Realization"
    }
    assert ("id-objective-11", "id-objective-10") in realizations
    assert ("id-objective-12", "id-objective-11") not in realizations
    aggregations = [r for r in relations if r.get(XSI_TYPE) == "Aggregation"]
    assert [(r.get("source"), r.get("target")) for r in aggregations] == [
        ("id-objective-11", "id-objective-12")
    ]
    assert ("id-initiative-21", "id-objective-12") in realizations
    triggering = [r for r in relations if r.get(XSI_TYPE) == "Triggering"]
    assert [(r.get("source"), r.get("target")) for r in triggering] == [
        ("id-initiative-20", "id-initiative-21")
    ]
    view = root.find(f".//{AM}view")
    nodes = {n.get("identifier"): n for n in view.iter(f"{AM}node")}
    referenced = {n.get("elementRef") for n in nodes.values() if n.get("elementRef")}
    assert referenced == set(kinds)
    connections = view.findall(f"{AM}connection")
    assert {c.get("relationshipRef") for c in connections} == {
        r.get("identifier") for r in relations
    }
    for connection in connections:
        assert connection.get("source") in nodes and connection.get("target") in nodes
    # Columns do not overlap: every node of a column shares its x, and rows do not collide.
    boxes = [
        (int(n.get("x")), int(n.get("y")), int(n.get("w")), int(n.get("h"))) for n in nodes.values()
    ]
    for index, (x, y, w, h) in enumerate(boxes):
        for ox, oy, ow, oh in boxes[index + 1 :]:
            assert x + w <= ox or ox + ow <= x or y + h <= oy or oy + oh <= y


def test_round_trip_of_own_file_keeps_fields_and_deeper_nesting() -> None:
    plan = parse_strategic_plan(build_strategic_plan(_sample()))
    assert plan.name == "Acme"
    assert [g.title for g in plan.goals] == ["Goal A", "Goal B"]
    goal = plan.goals[0]
    assert (goal.perspective, goal.owner, goal.due_date) == ("customer", "Ann", date(2027, 1, 31))
    assert goal.description == "About A"
    child, grandchild = goal.objectives
    assert child.perspective == "internal_process" and child.parent_identifier == ""
    assert grandchild.parent_identifier == "id-objective-11" == child.identifier


def _plan(body: str, root: str = "StrategicPlan", ns: str = P1[1:-1]) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><{root} xmlns="{ns}"><Name>Plan</Name>'
        f"<StrategicPlanCore>{body}</StrategicPlanCore></{root}>"
    ).encode()


def test_a_foreign_plan_is_read_with_defaults() -> None:
    body = (
        "<Goal><Name> Serve \n citizens </Name><Description>Why</Description>"
        "<Objective><Description>Answer letters in a week\nmore</Description></Objective>"
        "<Objective><Name>" + "x" * 250 + "</Name></Objective>"
        "<Objective><Name>Cafe\u0301\x85 au lait</Name></Objective></Goal>"
    )
    plan = parse_strategic_plan(_plan(body))
    goal = plan.goals[0]
    assert goal.title == "Serve citizens" and goal.perspective is None
    assert goal.objectives[0].title == "Answer letters in a week"
    assert len(goal.objectives[1].title) == 200 and goal.objectives[1].title.endswith("…")
    assert goal.objectives[1].description.startswith("x" * 250)
    assert goal.objectives[2].title == "Caf\u00e9 au lait"
    assert plan.shortened == ["Goal 1, objective 2: the name was shortened to 200 characters"]


def test_an_imported_description_is_held_to_the_objective_form_limit() -> None:
    body = (
        "<Goal><Name>Long</Name><Description>" + "d" * 5000 + "</Description>"
        "<Objective><Name>Fits</Name><Description>" + "e" * 4000 + "</Description></Objective>"
        "</Goal>"
    )
    plan = parse_strategic_plan(_plan(body))
    goal = plan.goals[0]
    assert len(goal.description) == 4000 and goal.description.endswith("…")
    assert goal.objectives[0].description == "e" * 4000
    assert plan.shortened == ["Goal 1: the description was shortened to 4,000 characters"]


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE StrategicPlan [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<StrategicPlan xmlns="urn:ISO:std:iso:17469:tech:xsd:stratml_core"><Name>&secret;</Name>
<StrategicPlanCore><Goal><Name>&secret;</Name><Description/></Goal></StrategicPlanCore>
</StrategicPlan>"""
REMOTE = XXE.replace(b'"file:///etc/passwd"', b'"http://127.0.0.1:9/x"')
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<StrategicPlan xmlns="urn:ISO:std:iso:17469:tech:xsd:stratml_core"><Name>&lol4;</Name>
<StrategicPlanCore><Goal><Name>&lol4;</Name><Description/></Goal></StrategicPlanCore>
</StrategicPlan>"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (XXE, "DOCTYPE"),
        (REMOTE, "DOCTYPE"),
        (LAUGHS, "DOCTYPE"),
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"%PDF-1.7 not xml", "not well-formed"),
        (b"<StrategicPlan><Name>unclosed", "not well-formed"),
        (
            "<?xml version='1.0' encoding='UTF-8'?><a>\udcff</a>".encode("utf-8", "surrogatepass"),
            "XML",
        ),
        (_plan("<Goal><Name>x</Name></Goal>", ns="urn:example:other"), "expected a StratML"),
        (b"<StrategicPlan><Name>x</Name></StrategicPlan>", "no namespace"),
        (_plan("<Goal><Name>x</Name></Goal>", root="Report"), "<Report>"),
        (_plan(""), "no goals"),
        (_plan("<Goal><Name> </Name><Description/></Goal>"), "Goal 1 has neither"),
        (_plan("<Goal><Name>g</Name><Objective><Name/></Objective></Goal>"), "objective 1"),
        (
            f'<StrategicPlan xmlns="{P1[1:-1]}"><Name>x</Name></StrategicPlan>'.encode(),
            "no <StrategicPlanCore>",
        ),
        (b"<a>" + b"x" * (5 * 1024 * 1024) + b"</a>", "largest accepted"),
        (_plan("<Goal><Name>g</Name><Description/></Goal>" * 2001), "more than 2000"),
    ],
)
def test_hostile_and_malformed_files_are_refused_with_the_reason(data: bytes, message: str) -> None:
    with pytest.raises(StratmlImportError) as caught:
        parse_strategic_plan(data)
    assert message in caught.value.message


def test_deeply_nested_document_is_refused_not_crashing() -> None:
    deep = b"<a>" * 100000 + b"</a>" * 100000
    with pytest.raises(StratmlImportError, match="not well-formed"):
        parse_strategic_plan(deep)


def test_every_relationship_is_one_archimate_permits() -> None:
    root = etree.fromstring(build_model(_sample()))
    kinds = {e.get("identifier"): e.get(XSI_TYPE) for e in root.iter(f"{AM}element")}
    used = {
        (kinds[r.get("source")], r.get(XSI_TYPE), kinds[r.get("target")])
        for r in root.iter(f"{AM}relationship")
    }
    assert used == ALLOWED_RELATIONSHIPS
