"""Roadmap waves from the dependencies between initiatives, and the refusal of loops.

Direction: a dependency edge runs from the prerequisite to the initiative that waits
for it (``depends_on_id -> initiative_id``), so reading along the arrows is reading
the order of work. A wave holds every initiative whose prerequisites all sit in
earlier waves; wave 1 holds the initiatives that depend on nothing.

Every initiative takes part, dropped ones included, and only dependency edges count.
A dependency that names an unknown initiative is ignored. A loop (including an
initiative that depends on itself, a loop of one) makes an order impossible, so it is
refused with the loop named in order, for example ``A -> B -> C -> A``.
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx

from workbench.analysis.alignment_records import AlignmentInput


class DependencyCycleError(ValueError):
    """Initiatives that wait on one another in a loop, named in order."""

    def __init__(self, cycle: Sequence[int], titles: Sequence[str]) -> None:
        self.cycle: list[int] = list(cycle)
        self.titles: list[str] = list(titles)
        super().__init__(self.message)

    @property
    def path(self) -> str:
        """The loop as text, returning to where it started: ``A -> B -> A``."""
        return " -> ".join([*self.titles, *self.titles[:1]])

    @property
    def message(self) -> str:
        """A sentence for the person who tried to save the loop."""
        if len(self.cycle) == 1:
            return f"An initiative cannot depend on itself: {self.path}."
        return (
            f"These dependencies form a loop: {self.path}. Each arrow runs from a "
            "prerequisite to the initiative that waits for it, so none of them could start."
        )


def dependency_graph(data: AlignmentInput) -> nx.DiGraph:
    """Initiatives as nodes (by id); each known dependency as prerequisite -> dependant."""
    graph = nx.DiGraph()
    known = sorted({record.id for record in data.initiatives})
    graph.add_nodes_from(known)
    ids = set(known)
    edges = sorted(
        {
            (link.depends_on_id, link.initiative_id)
            for link in data.dependencies
            if link.initiative_id in ids and link.depends_on_id in ids
        }
    )
    graph.add_edges_from(edges)
    return graph


def _titles(data: AlignmentInput) -> dict[int, str]:
    return {record.id: record.title for record in data.initiatives}


def _error(cycle: Sequence[int], titles: dict[int, str]) -> DependencyCycleError:
    return DependencyCycleError(list(cycle), [titles.get(i, f"Initiative {i}") for i in cycle])


def roadmap_waves(data: AlignmentInput) -> list[list[int]]:
    """Group initiative ids into waves of work; raise DependencyCycleError on a loop."""
    graph = dependency_graph(data)
    try:
        return [sorted(wave) for wave in nx.topological_generations(graph)]
    except nx.NetworkXUnfeasible:
        edges = nx.find_cycle(graph)
        cycle = [u for u, _ in edges]
        first = cycle.index(min(cycle))  # start at the lowest id so the message is stable
        raise _error(cycle[first:] + cycle[:first], _titles(data)) from None


def check_new_dependency(
    data: AlignmentInput, initiative_id: int, depends_on_id: int
) -> DependencyCycleError | None:
    """Return None if the dependency is safe to add, else the loop error it would cause.

    The error is returned rather than raised so the interface can show its message
    before saving anything. The loop starts at ``initiative_id``. A self-dependency is a
    loop of one. Unknown ids raise ValueError.
    """
    titles = _titles(data)
    for wanted in (initiative_id, depends_on_id):
        if wanted not in titles:
            raise ValueError(f"No initiative has id {wanted}.")
    if initiative_id == depends_on_id:
        return _error([initiative_id], titles)
    graph = dependency_graph(data)
    # The new edge runs depends_on -> initiative; it closes a loop exactly when the
    # initiative already leads (through existing edges) to what it would depend on.
    try:
        path = nx.shortest_path(graph, initiative_id, depends_on_id)
    except nx.NetworkXNoPath:
        return None
    return _error(path, titles)
