"""Structural network metrics: brokerage roles, structural holes, bridges and bridge units.

Pure functions on networkx graphs; nothing here touches a database. Every result is ordered by
node (sorted ids), so the same graph always gives the same output.

All functions accept ``Graph``, ``DiGraph``, ``MultiGraph`` and ``MultiDiGraph`` (the model's
``OrgModel.G`` is a ``MultiDiGraph``). Self-loops never count: a tie of a node with itself is
not a contact, a two-path or a connection. How direction and parallel edges are read is stated
per function.

Betweenness is exact, computed with rustworkx (Apache-2.0) in one thread: its parallel run sums
in a different order on every call, and two runs on the same data must agree to the last bit.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import networkx as nx

__all__ = [
    "BROKERAGE_ROLES",
    "articulation_points",
    "betweenness",
    "bridges",
    "cobuilding_articulation_units",
    "gould_fernandez_brokerage",
    "structural_holes",
]

BROKERAGE_ROLES: tuple[str, ...] = (
    "coordinator",
    "itinerant",
    "representative",
    "gatekeeper",
    "liaison",
)
"""The five Gould–Fernandez roles in the paper's order (itinerant is UCINET's "consultant")."""

# rustworkx runs in parallel above this many nodes; never, so sums are always in one order.
_SERIAL = 2**62


def gould_fernandez_brokerage(
    G: nx.Graph,
    partition: Mapping[Hashable, Hashable] | str,
) -> dict[Hashable, dict[str, int]]:
    """Count the Gould–Fernandez brokerage roles of every node.

    Each two-path ``a -> b -> c`` with ``a != c`` and no edge ``a -> c`` makes ``b`` a broker,
    in one role decided by the groups of ``a``, ``b`` and ``c``:

    ================  =========================  ==========================
    role              groups                     example
    ================  =========================  ==========================
    coordinator       a = b = c                  within a street
    itinerant         a = c != b                 outsider linking insiders
    representative    a = b != c                 speaks for its group
    gatekeeper        a != b = c                 lets outsiders in
    liaison           a, b, c all different      links two other groups
    ================  =========================  ==========================

    Parameters
    ----------
    G
        The network. A directed graph is read as Gould and Fernandez define it (``a -> b`` and
        ``b -> c`` are edges, ``a -> c`` is not). An undirected graph is read with every edge in
        both directions, so each open triad ``a - b - c`` counts twice, once each way: the
        symmetric roles (coordinator, itinerant, liaison) come in pairs, and a node's
        representative and gatekeeper counts are equal. Parallel edges count once.
    partition
        The group of every node, or the name of the node attribute holding it.

    Returns
    -------
    dict
        Node -> ``{role: count}`` for the five roles of :data:`BROKERAGE_ROLES` plus ``total``,
        for every node of ``G`` (zero counts included), in sorted node order.

    Raises
    ------
    ValueError
        If a node has no group.

    Notes
    -----
    The work is the sum over nodes of in-degree × out-degree, with a constant-time test for the
    closing edge ``a -> c``.

    References
    ----------
    Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: A formal approach to
    brokerage in transaction networks. *Sociological Methodology*, 19, 89–126.
    """
    group = _node_groups(G, partition)
    succ = G.succ if G.is_directed() else G.adj
    pred = G.pred if G.is_directed() else G.adj
    result: dict[Hashable, dict[str, int]] = {}
    for b in _sorted_nodes(G):
        counts = dict.fromkeys(BROKERAGE_ROLES, 0)
        group_b = group[b]
        targets = [(c, group[c]) for c in succ[b] if c != b]
        for a in pred[b]:
            if a == b:
                continue
            group_a = group[a]
            reached_by_a = succ[a]
            for c, group_c in targets:
                if c != a and c not in reached_by_a:
                    counts[_brokerage_role(group_a, group_b, group_c)] += 1
        result[b] = {**counts, "total": sum(counts.values())}
    return result


def structural_holes(
    G: nx.Graph,
    *,
    weight: str | None = None,
    sample_k: int | None = None,
    seed: int = 0,
) -> dict[Hashable, dict[str, float | int | bool | None]]:
    """Measure each node's position: Burt's constraint and effective size, degree, betweenness.

    Parameters
    ----------
    G
        The network. Burt's measures read a directed graph through mutual weights (the edge
        ``u -> v`` plus the edge ``v -> u``) and sum parallel edges, as Burt and networkx do;
        betweenness follows the direction of a directed graph.
    weight
        Edge attribute holding the tie strength for constraint and effective size (missing
        means 1); None counts every edge as 1. Weights must not be negative. Degree and
        betweenness are always unweighted (networkx would read a weight as a distance there).
    sample_k
        None (the default): exact betweenness (:func:`betweenness`). An explicit opt-in
        number: on a graph with more nodes than that, betweenness is estimated from
        ``sample_k`` source nodes drawn with ``seed`` (networkx).
    seed
        Seed of the sample, so the estimate is the same on every run.

    Returns
    -------
    dict
        Node -> dict, in sorted node order, with

        - ``degree``: number of distinct contacts (in or out), self-loops and parallel edges
          not counted;
        - ``constraint``: Burt's constraint (None for a node without contacts);
        - ``effective_size``: Burt's effective size (None for a node without contacts);
        - ``betweenness``: normalized betweenness centrality (exact unless ``sample_k``);
        - ``articulation_point``: whether removing the node disconnects its component.

    Notes
    -----
    Constraint and effective size give the same values as ``nx.constraint`` and
    ``nx.effective_size``, with two differences. They are computed here in O(sum of squared
    degrees), because without scipy (not a dependency of orgnet) networkx takes time cubic in
    a node's degree (``nx.effective_size`` needs over a minute on a city's co-building
    network). And networkx gives NaN to a node of a directed graph that has in-edges only,
    since it looks for contacts among successors; here such a node is measured like any other,
    and a node with no contact at all gets None (networkx's NaN, which JSON cannot carry).
    """
    mutual = _mutual_weights(G, weight)
    shares = _proportions(mutual)
    constraint = _burt_constraint(shares)
    effective = _burt_effective_size(shares, mutual)
    H = _simple_graph(G, directed=G.is_directed())
    if sample_k is not None and H.number_of_nodes() > sample_k:
        between = nx.betweenness_centrality(H, k=sample_k, normalized=True, seed=seed)
    else:
        between = betweenness(H)
    cut = set(nx.articulation_points(H.to_undirected(as_view=True)))
    return {
        node: {
            "degree": len(mutual[node]),
            "constraint": constraint[node],
            "effective_size": effective[node],
            "betweenness": between[node],
            "articulation_point": node in cut,
        }
        for node in _sorted_nodes(G)
    }


def betweenness(G: nx.Graph) -> dict[Hashable, float]:
    """Exact normalized betweenness centrality of every node, as
    ``nx.betweenness_centrality(G, normalized=True)`` gives it, computed with rustworkx.

    Parameters
    ----------
    G
        The network; direction is followed in a directed graph. Parallel edges count once and
        self-loops not at all.

    Returns
    -------
    dict
        Node -> betweenness, in sorted node order.

    Notes
    -----
    Brandes' algorithm in compiled code, in one thread (see the module docstring): about three
    seconds for a province's co-building network, against half an hour in networkx.

    Examples
    --------
    >>> betweenness(nx.path_graph(3))
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    import rustworkx as rx

    H = _simple_graph(G, directed=G.is_directed())
    nodes = list(H)
    g = rx.PyDiGraph(multigraph=False) if H.is_directed() else rx.PyGraph(multigraph=False)
    index = dict(zip(nodes, g.add_nodes_from(nodes), strict=True))
    # Edges in a canonical order: the sums run in an order fixed by the nodes alone.
    pairs = ((index[u], index[v]) for u, v in H.edges())
    if not H.is_directed():
        pairs = ((min(a, b), max(a, b)) for a, b in pairs)
    g.add_edges_from_no_data(sorted(pairs))
    values = rx.betweenness_centrality(g, normalized=True, endpoints=False,
                                       parallel_threshold=_SERIAL)
    return {node: float(values[index[node]]) for node in nodes}


def bridges(G: nx.Graph) -> list[tuple[Hashable, Hashable]]:
    """List the ties whose removal disconnects the network.

    Parameters
    ----------
    G
        The network, read as undirected; all parallel edges between two nodes make one tie, so
        a pair joined by two kinds of link is still a bridge if nothing else joins its sides.

    Returns
    -------
    list
        Bridges as ``(u, v)`` pairs with ``u`` before ``v``, sorted.
    """
    U = _simple_graph(G, directed=False)
    pairs = (_sorted_nodes(edge) for edge in nx.bridges(U))
    return _sorted_tuples((u, v) for u, v in pairs)


def articulation_points(G: nx.Graph) -> list[Hashable]:
    """List the nodes whose removal disconnects their part of the network.

    Parameters
    ----------
    G
        The network, read as undirected.

    Returns
    -------
    list
        Articulation points (cut vertices), sorted.
    """
    return _sorted_nodes(nx.articulation_points(_simple_graph(G, directed=False)))


def cobuilding_articulation_units(
    G: nx.Graph,
    is_community: Callable[[Hashable], bool],
    is_candidate: Callable[[Hashable], bool],
) -> dict[Hashable, list[tuple[Hashable, ...]]]:
    """Find the candidates that are the only link between groups of communities (``bridge_unit``).

    A candidate qualifies when it is an articulation point and removing it leaves at least two
    parts of its component that each contain a community. Parts without a community (a
    platform hanging off a single unit) do not count.

    Parameters
    ----------
    G
        The co-building network (units, platforms and communities joined by co-building,
        dual-reporting, responsible-unit, claim and membership ties), read as undirected.
        Ties to a community committee must already be ties to its community.
    is_community
        Whether a node is a community (or village).
    is_candidate
        Whether a node may be reported (units and platforms); asked of articulation points only.

    Returns
    -------
    dict
        Qualifying node -> the communities of each part left by its removal, one sorted tuple
        per part that has a community, parts sorted; in sorted node order. A qualifying node
        that is itself a community appears in no part.

    Notes
    -----
    One pass over the block-cut tree of ``G`` (its biconnected components and the cut vertices
    joining them) finds every qualifying node in O(nodes + edges) plus the size of the answer.
    The parts left by removing a cut vertex ``v`` are the subtrees of the tree hanging from each
    block that contains ``v``. The tree is walked depth-first, listing communities in the order
    they are reached, so each subtree's communities are one contiguous run of that list and the
    part on the root side of ``v`` is the rest of its component.
    """
    U = _simple_graph(G, directed=False)
    blocks = list(nx.biconnected_components(U))
    blocks_of: dict[Hashable, list[int]] = defaultdict(list)
    for index, block in enumerate(blocks):
        for node in block:
            blocks_of[node].append(index)
    cut = {node for node, indices in blocks_of.items() if len(indices) > 1}
    candidates = {node for node in cut if is_candidate(node)}
    if not candidates:
        return {}
    community = {node for node in U if is_community(node)}
    walk = _walk_block_cut_tree(blocks, blocks_of, cut, community)

    result: dict[Hashable, list[tuple[Hashable, ...]]] = {}
    for node in _sorted_nodes(candidates):
        here = (_CUT, node)
        start, end = walk.span[here]
        root_start, root_end = walk.span[walk.root[node]]
        parts = [
            walk.slice((_BLOCK, i)) for i in blocks_of[node] if (_BLOCK, i) != walk.parent[here]
        ]
        parts.append(walk.order[root_start:start] + walk.order[end:root_end])
        groups = [tuple(_sorted_nodes(part)) for part in parts if part]
        if len(groups) >= 2:
            result[node] = _sorted_tuples(groups)
    return result


# --- helpers ---------------------------------------------------------------------------------

_BLOCK, _CUT = 0, 1
"""Kinds of block-cut tree nodes: ``(_BLOCK, block index)`` and ``(_CUT, cut vertex)``."""

_TreeNode = tuple[int, Hashable]


@dataclass(frozen=True)
class _TreeWalk:
    """A depth-first walk of a block-cut forest, with the communities in the order reached.

    ``span[t]`` is the run of ``order`` holding the communities of the subtree of ``t``;
    ``parent`` is each tree node's parent (None for a root); ``root`` is each cut vertex's root.
    """

    order: list[Hashable]
    span: dict[_TreeNode, tuple[int, int]]
    parent: dict[_TreeNode, _TreeNode | None]
    root: dict[Hashable, _TreeNode]

    def slice(self, tree_node: _TreeNode) -> list[Hashable]:
        start, end = self.span[tree_node]
        return self.order[start:end]


def _walk_block_cut_tree(
    blocks: list[set[Hashable]],
    blocks_of: Mapping[Hashable, list[int]],
    cut: set[Hashable],
    community: set[Hashable],
) -> _TreeWalk:
    """Walk the block-cut forest iteratively (its depth is unbounded), rooted at blocks."""

    def own_communities(tree_node: _TreeNode) -> Iterable[Hashable]:
        kind, key = tree_node
        if kind == _CUT:
            return (key,) if key in community else ()
        return (n for n in blocks[cast(int, key)] if n in community and n not in cut)

    def neighbours(tree_node: _TreeNode) -> Iterator[_TreeNode]:
        kind, key = tree_node
        if kind == _CUT:
            return ((_BLOCK, index) for index in blocks_of[key])
        return ((_CUT, n) for n in blocks[cast(int, key)] if n in cut)

    order: list[Hashable] = []
    start: dict[_TreeNode, int] = {}
    span: dict[_TreeNode, tuple[int, int]] = {}
    parent: dict[_TreeNode, _TreeNode | None] = {}
    root_of: dict[Hashable, _TreeNode] = {}

    def enter(tree_node: _TreeNode, up: _TreeNode | None) -> None:
        parent[tree_node] = up
        start[tree_node] = len(order)
        order.extend(own_communities(tree_node))

    for index in range(len(blocks)):
        root: _TreeNode = (_BLOCK, index)
        if root in start:
            continue
        enter(root, None)
        stack = [(root, neighbours(root))]
        while stack:
            tree_node, pending = stack[-1]
            child = next((n for n in pending if n != parent[tree_node]), None)
            if child is None:
                span[tree_node] = (start[tree_node], len(order))
                stack.pop()
                continue
            enter(child, tree_node)
            if child[0] == _CUT:
                root_of[child[1]] = root
            stack.append((child, neighbours(child)))
    return _TreeWalk(order, span, parent, root_of)


def _brokerage_role(group_a: Hashable, group_b: Hashable, group_c: Hashable) -> str:
    if group_a == group_c:
        return "coordinator" if group_a == group_b else "itinerant"
    if group_a == group_b:
        return "representative"
    if group_b == group_c:
        return "gatekeeper"
    return "liaison"


def _node_groups(
    G: nx.Graph, partition: Mapping[Hashable, Hashable] | str
) -> Mapping[Hashable, Hashable]:
    group = nx.get_node_attributes(G, partition) if isinstance(partition, str) else partition
    missing = [node for node in G if node not in group]
    if missing:
        where = f"attribute `{partition}`" if isinstance(partition, str) else "`partition`"
        shown = ", ".join(map(repr, _sorted_nodes(missing)[:5]))
        msg = f"{len(missing)} node(s) have no group in {where}, e.g. {shown}"
        raise ValueError(msg)
    return group


def _mutual_weights(G: nx.Graph, weight: str | None) -> dict[Hashable, dict[Hashable, float]]:
    """Node -> contact -> summed weight of every edge between them, either way (no self-loops)."""
    parts: dict[Hashable, dict[Hashable, list[float]]] = {node: {} for node in G}
    edges = (
        G.edges(data=weight, default=1) if weight is not None else ((u, v, 1) for u, v in G.edges())
    )
    for u, v, w in edges:
        if u != v:
            parts[u].setdefault(v, []).append(w)
            parts[v].setdefault(u, []).append(w)
    # Exactly rounded sums (here and below): the same values whatever the order of the edges
    # or of a set, so two runs agree to the last bit (issue 20).
    return {u: {v: math.fsum(ws) for v, ws in contacts.items()} for u, contacts in parts.items()}


def _proportions(
    mutual: dict[Hashable, dict[Hashable, float]],
) -> dict[Hashable, dict[Hashable, float]]:
    """Burt's p_uv: the share of u's ties invested in v."""
    shares = {}
    for u, contacts in mutual.items():
        total = math.fsum(contacts.values())
        shares[u] = {v: (m / total if total else 0.0) for v, m in contacts.items()}
    return shares


def _burt_constraint(
    p: dict[Hashable, dict[Hashable, float]],
) -> dict[Hashable, float | None]:
    """c_u = sum over contacts v of (p_uv + sum over w of p_uw p_wv) squared."""
    constraint: dict[Hashable, float | None] = {}
    for u, p_u in p.items():
        if not p_u:
            constraint[u] = None
            continue
        terms: dict[Hashable, list[float]] = defaultdict(list)
        for w, p_uw in p_u.items():
            for v, p_wv in p[w].items():
                if v in p_u:
                    terms[v].append(p_uw * p_wv)
        constraint[u] = math.fsum((p_uv + math.fsum(terms[v])) ** 2 for v, p_uv in p_u.items())
    return constraint


def _burt_effective_size(
    p: dict[Hashable, dict[Hashable, float]],
    mutual: dict[Hashable, dict[Hashable, float]],
) -> dict[Hashable, float | None]:
    """e_u = sum over contacts v of (1 - sum over w of p_uw m_vw / max_k m_vk)."""
    size: dict[Hashable, float | None] = {}
    for u, p_u in p.items():
        if not p_u:
            size[u] = None
            continue
        terms = []
        for v in p_u:
            m_v = mutual[v]
            strongest = max(m_v.values())
            shared = p_u.keys() & m_v.keys()
            redundancy = (math.fsum(p_u[w] * m_v[w] for w in shared) / strongest
                          if strongest else 0.0)
            terms.append(1 - redundancy)
        size[u] = math.fsum(terms)
    return size


def _simple_graph(G: nx.Graph, *, directed: bool) -> nx.Graph:
    """G without self-loops and parallel edges, nodes in sorted order (so sampling is stable)."""
    H = nx.DiGraph() if directed else nx.Graph()
    H.add_nodes_from(_sorted_nodes(G))
    H.add_edges_from((u, v) for u, v in G.edges() if u != v)
    return H


def _sorted_nodes(nodes: Iterable[Hashable]) -> list[Hashable]:
    """Nodes sorted by value, or by type and repr when their types do not compare."""
    nodes = list(nodes)
    try:
        # Hashable promises no ordering: try it, and fall back below when the types refuse.
        return sorted(cast("list[Any]", nodes))
    except TypeError:
        return sorted(nodes, key=lambda node: (type(node).__name__, repr(node)))


_Tuple = TypeVar("_Tuple", bound=tuple[Hashable, ...])


def _sorted_tuples(items: Iterable[_Tuple]) -> list[_Tuple]:
    """Tuples sorted by value, or element-wise by type and repr when values do not compare."""
    items = list(items)
    try:
        return sorted(items)
    except TypeError:
        return sorted(items, key=lambda t: [(type(n).__name__, repr(n)) for n in t])
