"""The critical path of the plan: which chain of initiatives decides when the programme ends.

The critical path method over the initiatives that are not dropped and have both a start
and an end date:

* duration: the days from the planned start to the planned end;
* forward pass: an initiative can start at the later of its own planned start and the
  latest finish of its prerequisites, and finishes its duration later. Done work has
  happened, so it starts and finishes on its own dates and waits for nothing (the delivery
  flags report done work whose prerequisites are not done);
* the programme end is the latest finish of all;
* backward pass: an initiative must finish by the earliest latest start of the work that
  waits for it (the programme end when nothing waits), and must start its duration before;
* slack: how many days an initiative can slip without moving the programme end;
* the chain: walking back from the initiative that finishes last, through the prerequisite
  that held each one back, gives the initiatives with no slack that set the end date. Ties
  go to the initiative listed first, so equal plans give the same chain.

A dependant can start on the day its prerequisite ends, as the delivery flags read it.
Undated initiatives are left out of the schedule and listed; a dependency through one of
them still counts (if C waits for undated B, which waits for A, then C waits for A).
Dropped initiatives and their dependencies take no part. Loops are refused when they are
saved (see roadmap.py); one that reaches here raises ValueError.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import networkx as nx

from workbench.analysis.alignment_records import DROPPED, Dependency, InitiativeRecord

DONE = "done"


@dataclass(frozen=True)
class Scheduled:
    """One dated initiative in the schedule: its planned and its earliest and latest dates."""

    id: int
    planned_start: date
    planned_end: date
    earliest_start: date
    earliest_finish: date
    latest_finish: date
    slack_days: int
    done: bool
    # The prerequisite whose finish holds the start back, when it is later than planned.
    held_by: int | None

    @property
    def starts_too_early(self) -> bool:
        """True when the planned start comes before the dependencies allow."""
        return self.earliest_start > self.planned_start


@dataclass(frozen=True)
class CriticalPath:
    """The schedule of the dated initiatives, the programme end and the chain that sets it."""

    schedule: dict[int, Scheduled]
    chain: tuple[int, ...]
    programme_end: date | None
    undated: tuple[int, ...]

    @property
    def pushed(self) -> dict[int, Scheduled]:
        """The initiatives whose planned start comes before their prerequisites allow."""
        return {key: item for key, item in self.schedule.items() if item.starts_too_early}


def _graph(
    initiatives: Sequence[InitiativeRecord], dependencies: Sequence[Dependency]
) -> nx.DiGraph:
    """Every active initiative and dependency as prerequisite -> dependant."""
    graph = nx.DiGraph()
    graph.add_nodes_from(record.id for record in initiatives if record.status != DROPPED)
    graph.add_edges_from(
        (link.depends_on_id, link.initiative_id)
        for link in dependencies
        if link.depends_on_id in graph
        and link.initiative_id in graph
        and link.depends_on_id != link.initiative_id
    )
    return graph


def _dated_prerequisites(graph: nx.DiGraph, node: int, dated: set[int]) -> set[int]:
    """The nearest dated prerequisites of a node, looking through undated ones."""
    found: set[int] = set()
    seen: set[int] = set()
    waiting = list(graph.predecessors(node))
    while waiting:
        current = waiting.pop()
        if current in seen:
            continue
        seen.add(current)
        if current in dated:
            found.add(current)
        else:
            waiting.extend(graph.predecessors(current))
    return found


Dates = dict[int, tuple[date, date]]


def _schedule_graph(
    graph: nx.DiGraph, planned: Dates, by_id: dict[int, InitiativeRecord], order: dict[int, int]
) -> nx.DiGraph:
    """The dated initiatives and who waits for whom among them; done work waits for nothing."""
    dated = set(planned)
    schedule_graph = nx.DiGraph()
    schedule_graph.add_nodes_from(sorted(dated, key=order.__getitem__))
    for node in dated:
        if by_id[node].status == DONE:
            continue  # it happened on its own dates
        for prerequisite in _dated_prerequisites(graph, node, dated):
            schedule_graph.add_edge(prerequisite, node)
    return schedule_graph


def _forward(
    graph: nx.DiGraph, sequence: Sequence[int], planned: Dates, order: dict[int, int]
) -> tuple[Dates, dict[int, int | None]]:
    """Earliest start and finish of each initiative, and the prerequisite holding it back."""
    early: Dates = {}
    held_by: dict[int, int | None] = {}
    for node in sequence:
        planned_start, planned_end = planned[node]
        # The latest-finishing prerequisite; of equal ones, the one listed first.
        latest = max(graph.predecessors(node), key=lambda p: (early[p][1], -order[p]), default=None)
        begin, holder = planned_start, None
        if latest is not None and early[latest][1] > planned_start:
            begin, holder = early[latest][1], latest
        early[node] = (begin, begin + (planned_end - planned_start))
        held_by[node] = holder
    return early, held_by


def _backward(graph: nx.DiGraph, sequence: Sequence[int], early: Dates, end: date) -> Dates:
    """Latest start and finish of each initiative that keep the programme end."""
    late: Dates = {}
    for node in reversed(sequence):
        due = min((late[d][0] for d in graph.successors(node)), default=end)
        late[node] = (due - (early[node][1] - early[node][0]), due)
    return late


def critical_path(
    initiatives: Sequence[InitiativeRecord], dependencies: Sequence[Dependency]
) -> CriticalPath:
    """Schedule the dated, active initiatives and find the chain that sets the programme end."""
    graph = _graph(initiatives, dependencies)
    if not nx.is_directed_acyclic_graph(graph):
        raise ValueError("The dependencies form a loop, so no schedule exists.")
    by_id = {record.id: record for record in initiatives}
    order = {record.id: index for index, record in enumerate(initiatives)}
    # Planned dates of the dated initiatives; an end before the start counts as the start.
    planned = {
        node: (record.start, max(record.end, record.start))
        for node in graph
        if (record := by_id[node]).start is not None and record.end is not None
    }
    undated = tuple(r.id for r in initiatives if r.status != DROPPED and r.id not in planned)
    if not planned:
        return CriticalPath({}, (), None, undated)
    schedule_graph = _schedule_graph(graph, planned, by_id, order)
    sequence = list(nx.lexicographical_topological_sort(schedule_graph, key=order.__getitem__))
    early, held_by = _forward(schedule_graph, sequence, planned, order)
    end = max(finish for _start, finish in early.values())
    late = _backward(schedule_graph, sequence, early, end)
    schedule = {
        node: Scheduled(
            id=node,
            planned_start=planned[node][0],
            planned_end=planned[node][1],
            earliest_start=early[node][0],
            earliest_finish=early[node][1],
            latest_finish=late[node][1],
            slack_days=(late[node][1] - early[node][1]).days,
            done=by_id[node].status == DONE,
            held_by=held_by[node],
        )
        for node in sorted(sequence, key=order.__getitem__)
    }
    return CriticalPath(
        schedule=schedule,
        chain=_chain(schedule_graph, schedule, order, end),
        programme_end=end,
        undated=undated,
    )


def _chain(
    graph: nx.DiGraph, schedule: dict[int, Scheduled], order: dict[int, int], end: date
) -> tuple[int, ...]:
    """Walk back from the first initiative to finish last through what held each one back."""
    last = min(
        (node for node, item in schedule.items() if item.earliest_finish == end),
        key=order.__getitem__,
    )
    chain = [last]
    while True:
        current = schedule[chain[-1]]
        # Only a prerequisite that finishes exactly when this one starts holds it back.
        candidates = [
            p
            for p in graph.predecessors(current.id)
            if schedule[p].earliest_finish == current.earliest_start and schedule[p].slack_days == 0
        ]
        if not candidates:
            break
        chain.append(min(candidates, key=order.__getitem__))
    return tuple(reversed(chain))
