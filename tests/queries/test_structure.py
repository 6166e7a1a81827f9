"""Tests of queries.algorithms.structure on textbook graphs with numbers worked out by hand."""



from __future__ import annotations

import itertools
import math
import random

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from queries.algorithms.structure import (
    BROKERAGE_ROLES,
    articulation_points,
    betweenness,
    bridges,
    cobuilding_articulation_units,
    gould_fernandez_brokerage,
    structural_holes,
)

# --- helpers -----------------------------------------------------------------------------------


def _zero() -> dict[str, int]:
    return {**dict.fromkeys(BROKERAGE_ROLES, 0), "total": 0}


def _roles(**counts: int) -> dict[str, int]:
    return {**_zero(), **counts, "total": sum(counts.values())}


def _brute_force_brokerage(G: nx.Graph, group: dict) -> dict:
    """O(n^3) reference: every ordered triple of distinct nodes, straight from the definition."""
    directed = G.is_directed()

    def edge(u: object, v: object) -> bool:
        return G.has_edge(u, v) if directed else G.has_edge(u, v) or G.has_edge(v, u)

    result = {n: _zero() for n in G}
    for a, b, c in itertools.permutations(G, 3):
        if edge(a, b) and edge(b, c) and not edge(a, c):
            ga, gb, gc = group[a], group[b], group[c]
            if ga == gb == gc:
                role = "coordinator"
            elif ga == gc:
                role = "itinerant"
            elif ga == gb:
                role = "representative"
            elif gb == gc:
                role = "gatekeeper"
            else:
                role = "liaison"
            result[b][role] += 1
            result[b]["total"] += 1
    return result


@st.composite
def _graphs(draw: st.DrawFn, *, directed: bool) -> nx.Graph:
    n = draw(st.integers(min_value=0, max_value=9))
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(range(n))
    pairs = list(itertools.product(range(n), repeat=2)) if n else []
    if pairs:
        # self-loops included on purpose: they must never count
        G.add_edges_from(draw(st.lists(st.sampled_from(pairs), max_size=30)))
    for node in G:
        G.nodes[node]["street"] = draw(st.integers(min_value=0, max_value=2))
    return G


# --- Gould–Fernandez brokerage -----------------------------------------------------------------

# Groups: X = {1, 2, 3}, Y = {4, 5, 7}, Z = {6}.
# Edges: 1→2, 2→3, 4→1, 1→5, 3→6, 6→4, 4→5, 1→4, 4→6, 1→7.
#
# Every two-path a→b→c (a ≠ c), broker by broker (pred(b) × succ(b)):
#   b=1  pred {4}, succ {2, 4, 5, 7}
#        4→1→2  no 4→2   Y X X  gatekeeper
#        4→1→4  a = c    skipped
#        4→1→5  4→5 exists       not brokerage (closed triad)
#        4→1→7  no 4→7   Y X Y  itinerant
#   b=2  pred {1}, succ {3}
#        1→2→3  no 1→3   X X X  coordinator
#   b=3  pred {2}, succ {6}
#        2→3→6  no 2→6   X X Z  representative
#   b=4  pred {1, 6}, succ {1, 5, 6}
#        6→4→1  no 6→1   Z Y X  liaison
#        6→4→5  no 6→5   Z Y Y  gatekeeper
#        6→4→6  a = c    skipped
#        1→4→1  a = c    skipped
#        1→4→5  1→5 exists       not brokerage (closed triad)
#        1→4→6  no 1→6   X Y Z  liaison
#   b=5  no successors; b=7  no successors
#   b=6  pred {3, 4}, succ {4}
#        3→6→4  no 3→4   X Z Y  liaison
#        4→6→4  a = c    skipped
GF_GROUPS = {1: "X", 2: "X", 3: "X", 4: "Y", 5: "Y", 6: "Z", 7: "Y"}
GF_EDGES = [(1, 2), (2, 3), (4, 1), (1, 5), (3, 6), (6, 4), (4, 5), (1, 4), (4, 6), (1, 7)]
GF_EXPECTED = {
    1: _roles(gatekeeper=1, itinerant=1),
    2: _roles(coordinator=1),
    3: _roles(representative=1),
    4: _roles(liaison=2, gatekeeper=1),
    5: _zero(),
    6: _roles(liaison=1),
    7: _zero(),
}


def test_gould_fernandez_hand_example() -> None:
    G = nx.DiGraph(GF_EDGES)
    result = gould_fernandez_brokerage(G, GF_GROUPS)
    assert result == GF_EXPECTED
    assert list(result) == [1, 2, 3, 4, 5, 6, 7]
    assert list(result[1]) == [*BROKERAGE_ROLES, "total"]


def test_gould_fernandez_closing_edge_removes_brokerage() -> None:
    # Removing 4→5 opens 4→1→5 (Y X Y: itinerant at 1); 6→4→5 stays a gatekeeper path.
    G = nx.DiGraph(GF_EDGES)
    G.remove_edge(4, 5)
    result = gould_fernandez_brokerage(G, GF_GROUPS)
    assert result[1] == _roles(gatekeeper=1, itinerant=2)
    # 4 loses 6→4→5 (edge gone); 1→4→5 is gone too.
    assert result[4] == _roles(liaison=2)


def test_gould_fernandez_reads_partition_attribute_and_multigraph() -> None:
    G = nx.MultiDiGraph([*GF_EDGES, (1, 2), (2, 2)])  # a parallel edge and a self-loop
    nx.set_node_attributes(G, GF_GROUPS, "street")
    assert gould_fernandez_brokerage(G, "street") == GF_EXPECTED


def test_gould_fernandez_undirected_counts_both_directions() -> None:
    # Path x1 - x2 - y1: two-paths x1→x2→y1 (X X Y representative) and y1→x2→x1 (Y X X
    # gatekeeper). Path a - b - c in one group: a→b→c and c→b→a, two coordinators.
    G = nx.Graph([("x1", "x2"), ("x2", "y1"), ("a", "b"), ("b", "c")])
    groups = {"x1": "X", "x2": "X", "y1": "Y", "a": "A", "b": "A", "c": "A"}
    result = gould_fernandez_brokerage(G, groups)
    assert result["x2"] == _roles(representative=1, gatekeeper=1)
    assert result["b"] == _roles(coordinator=2)
    # A triangle is closed: nobody brokers.
    triangle = gould_fernandez_brokerage(nx.complete_graph(3), dict.fromkeys(range(3), 0))
    assert all(roles == _zero() for roles in triangle.values())


def test_gould_fernandez_missing_group() -> None:
    G = nx.DiGraph(GF_EDGES)
    with pytest.raises(ValueError, match=r"1 node\(s\) have no group in `partition`, e\.g\. 7"):
        gould_fernandez_brokerage(G, {n: g for n, g in GF_GROUPS.items() if n != 7})
    with pytest.raises(ValueError, match="attribute `street`"):
        gould_fernandez_brokerage(G, "street")


@settings(max_examples=200, deadline=None)
@given(_graphs(directed=True))
def test_gould_fernandez_matches_brute_force_directed(G: nx.DiGraph) -> None:
    group = nx.get_node_attributes(G, "street")
    assert gould_fernandez_brokerage(G, group) == _brute_force_brokerage(G, group)


@settings(max_examples=200, deadline=None)
@given(_graphs(directed=False))
def test_gould_fernandez_matches_brute_force_undirected(G: nx.Graph) -> None:
    group = nx.get_node_attributes(G, "street")
    result = gould_fernandez_brokerage(G, group)
    assert result == _brute_force_brokerage(G, group)
    for roles in result.values():
        assert roles["representative"] == roles["gatekeeper"]
        assert roles["coordinator"] % 2 == roles["itinerant"] % 2 == roles["liaison"] % 2 == 0


# --- Burt's structural holes -------------------------------------------------------------------


def test_structural_holes_star() -> None:
    # Star: centre 0 with three unconnected alters. p_0j = 1/3, no indirect paths, so
    # constraint(0) = 3 × (1/3)^2 = 1/3 and effective size = 3 − 2·0/3 = 3.
    # A leaf has one contact: p = 1, its indirect term p_0j·p_j0 needs j ≠ 0 — none —
    # so constraint = 1^2 = 1 and effective size = 1 − 0 = 1.
    # Betweenness of the centre: it lies on all 3 alter pairs, normalized by C(3, 2) = 3 → 1.
    result = structural_holes(nx.star_graph(3))
    assert result[0]["constraint"] == pytest.approx(1 / 3)
    assert result[0]["effective_size"] == pytest.approx(3.0)
    assert result[0]["degree"] == 3
    assert result[0]["betweenness"] == pytest.approx(1.0)
    assert result[0]["articulation_point"] is True
    for leaf in (1, 2, 3):
        assert result[leaf] == {
            "degree": 1,
            "constraint": pytest.approx(1.0),
            "effective_size": pytest.approx(1.0),
            "betweenness": 0.0,
            "articulation_point": False,
        }


def test_structural_holes_triangle() -> None:
    # Closed triad: p_ij = 1/2; indirect via the third node k: p_ik·p_kj = 1/2 · 1/2 = 1/4.
    # constraint = 2 × (1/2 + 1/4)^2 = 2 × 9/16 = 1.125.
    # effective size = n − 2t/n = 2 − 2·1/2 = 1 (Borgatti); no betweenness, no cut vertex.
    result = structural_holes(nx.complete_graph(3))
    for node in range(3):
        assert result[node]["constraint"] == pytest.approx(1.125)
        assert result[node]["effective_size"] == pytest.approx(1.0)
        assert result[node]["betweenness"] == 0.0
        assert result[node]["articulation_point"] is False


def test_structural_holes_isolates_are_none() -> None:
    # networkx gives NaN to an isolate and to a node with only a self-loop; JSON needs None.
    G = nx.Graph([(0, 1)])
    G.add_node(2)
    G.add_edge(3, 3)
    result = structural_holes(G)
    for node in (2, 3):
        assert result[node] == {
            "degree": 0,
            "constraint": None,
            "effective_size": None,
            "betweenness": 0.0,
            "articulation_point": False,
        }
    assert math.isnan(nx.constraint(G)[2])
    assert math.isnan(nx.effective_size(G)[3])


def test_structural_holes_parallel_edges_add_up() -> None:
    # a–b twice and a–c once: p_ab = 2/3, p_ac = 1/3, b and c not tied:
    # constraint(a) = (2/3)^2 + (1/3)^2 = 5/9, the same as weight 2 on a–b.
    multi = nx.MultiGraph([("a", "b"), ("a", "b"), ("a", "c")])
    weighted = nx.Graph()
    weighted.add_edge("a", "b", strength=2)
    weighted.add_edge("a", "c", strength=1)
    assert structural_holes(multi)["a"]["constraint"] == pytest.approx(5 / 9)
    assert structural_holes(weighted, weight="strength")["a"]["constraint"] == pytest.approx(5 / 9)
    assert structural_holes(multi)["a"]["degree"] == 2


def test_structural_holes_directed_sink_is_measured() -> None:
    # 0→1, 0→2: node 1 has an in-edge only. Mutual weights make it a contact of 0 either way,
    # so constraint(1) = 1 (one contact), where networkx says NaN.
    G = nx.DiGraph([(0, 1), (0, 2)])
    result = structural_holes(G)
    assert result[1]["constraint"] == pytest.approx(1.0)
    assert result[0]["constraint"] == pytest.approx(0.5)  # 2 × (1/2)^2
    assert math.isnan(nx.constraint(G)[1])


def _random_graph(seed: int, *, directed: bool, weighted: bool) -> nx.Graph:
    rng = random.Random(seed)
    G = nx.gnp_random_graph(25, 0.2, seed=seed, directed=directed)
    G.add_nodes_from([100, 101])  # isolates
    if weighted:
        for u, v in G.edges():
            G[u][v]["w"] = rng.randint(1, 5)
    return G


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("seed", range(5))
def test_structural_holes_agree_with_networkx(seed: int, directed: bool, weighted: bool) -> None:
    G = _random_graph(seed, directed=directed, weighted=weighted)
    weight = "w" if weighted else None
    result = structural_holes(G, weight=weight)
    nx_constraint = nx.constraint(G, weight=weight)
    nx_size = nx.effective_size(G, weight=weight)
    nx_betweenness = nx.betweenness_centrality(G)
    for node in G:
        if math.isnan(nx_constraint[node]):  # isolates, and sinks of a digraph (see above)
            assert G.out_degree(node) == 0 if directed else G.degree(node) == 0
            continue
        assert result[node]["constraint"] == pytest.approx(nx_constraint[node])
        assert result[node]["effective_size"] == pytest.approx(nx_size[node])
        assert result[node]["betweenness"] == pytest.approx(nx_betweenness[node])
    assert list(result) == sorted(G)


def test_structural_holes_betweenness_sampling_is_an_explicit_opt_in() -> None:
    G = nx.gnp_random_graph(60, 0.08, seed=3)
    exact = structural_holes(G)
    # Sampling every node is exact betweenness.
    everyone = structural_holes(G, sample_k=60)
    for node in G:
        assert everyone[node]["betweenness"] == pytest.approx(exact[node]["betweenness"])
    # A real sample is an estimate, but the same on every run and whatever the insertion order.
    sampled = structural_holes(G, sample_k=15, seed=7)
    shuffled = nx.Graph()
    shuffled.add_nodes_from(sorted(G, reverse=True))
    shuffled.add_edges_from(reversed(list(G.edges())))
    again = structural_holes(shuffled, sample_k=15, seed=7)
    assert [sampled[n]["betweenness"] for n in G] == pytest.approx(
        [again[n]["betweenness"] for n in G]
    )
    assert any(sampled[n]["betweenness"] != exact[n]["betweenness"] for n in G)


@pytest.mark.parametrize("directed", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_exact_betweenness_is_networkx_exact_result(directed: bool, seed: int) -> None:
    G = nx.gnm_random_graph(40 + 10 * seed, 90, seed=seed, directed=directed)
    G.add_edge(0, 0)  # a self-loop never counts
    G.add_nodes_from(["isolated", "alone"] if seed % 2 else [])
    mine = betweenness(G)
    H = nx.DiGraph() if directed else nx.Graph()
    H.add_nodes_from(G)
    H.add_edges_from((u, v) for u, v in G.edges() if u != v)
    theirs = nx.betweenness_centrality(H, normalized=True)
    assert set(mine) == set(theirs)
    for node, value in theirs.items():
        assert mine[node] == pytest.approx(value, abs=1e-12)
    assert betweenness(G) == mine  # one thread: the same to the last bit on every call


def test_exact_betweenness_of_tiny_graphs() -> None:
    assert betweenness(nx.Graph()) == {}
    assert betweenness(nx.path_graph(2)) == {0: 0.0, 1: 0.0}
    assert betweenness(nx.star_graph(3)) == pytest.approx({0: 1.0, 1: 0.0, 2: 0.0, 3: 0.0})


# --- bridges and articulation points -----------------------------------------------------------


def test_bridges_and_articulation_points() -> None:
    # Triangle a-b-c, then c–d and d–e hanging off it: c–d and d–e are bridges, c and d cut
    # vertices; the triangle's edges are not bridges.
    G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("d", "c"), ("e", "d")])
    assert bridges(G) == [("c", "d"), ("d", "e")]
    assert articulation_points(G) == ["c", "d"]
    # Read as undirected; a second kind of link between c and d is the same tie.
    M = nx.MultiDiGraph(G.edges())
    M.add_edge("c", "d")
    M.add_edge("e", "e")
    assert bridges(M) == [("c", "d"), ("d", "e")]
    assert articulation_points(M) == ["c", "d"]
    assert bridges(nx.cycle_graph(4)) == []
    assert articulation_points(nx.cycle_graph(4)) == []


# --- bridge units of the co-building network ---------------------------------------------------


def _is_community(node: str) -> bool:
    return node.startswith("C")


def _is_unit_or_platform(node: str) -> bool:
    return node.startswith(("U", "P"))


def _bridge_units(G: nx.Graph) -> dict:
    return cobuilding_articulation_units(G, _is_community, _is_unit_or_platform)


def test_bridge_unit_between_two_communities() -> None:
    # C1 – U – C2: removing U leaves {C1} and {C2}, each with a community.
    assert _bridge_units(nx.path_graph(["C1", "U", "C2"])) == {"U": [("C1",), ("C2",)]}


def test_unit_cutting_off_a_leaf_platform_is_not_a_bridge_unit() -> None:
    # C1 – U – P: U is a cut vertex, but the part it cuts off ({P}) has no community.
    G = nx.Graph([("C1", "U"), ("U", "P"), ("C1", "U2")])
    assert articulation_points(G) == ["C1", "U"]
    assert _bridge_units(G) == {}


def test_cycle_has_no_bridge_unit() -> None:
    # C1 – U1 – C2 – U2 – C1: every node has a second way round.
    assert _bridge_units(nx.cycle_graph(["C1", "U1", "C2", "U2"])) == {}


def test_bridge_units_in_a_tree_of_blocks() -> None:
    # Block {C1, U1, C2, U} (a 4-cycle), then U – P, P – C3, P – C4, P – U3 – C5, U – P9 (leaf).
    #   U  separates {C1, C2} | {C3, C4, C5}             ({P9} has no community)
    #   P  separates {C1, C2} | {C3} | {C4} | {C5}
    #   U3 separates {C1, C2, C3, C4} | {C5}
    #   C3, C4, C5 are leaves; C1, C2 are not cut vertices.
    G = nx.Graph([("C1", "U1"), ("U1", "C2"), ("C2", "U"), ("U", "C1"), ("U", "P"), ("U", "P9")])
    G.add_edges_from([("P", "C3"), ("P", "C4"), ("P", "U3"), ("U3", "C5")])
    assert _bridge_units(G) == {
        "P": [("C1", "C2"), ("C3",), ("C4",), ("C5",)],
        "U": [("C1", "C2"), ("C3", "C4", "C5")],
        "U3": [("C1", "C2", "C3", "C4"), ("C5",)],
    }


def test_bridge_unit_candidates_and_communities_that_are_cut_vertices() -> None:
    # C1 – C0 – C2 with C0 a candidate too: C0's own community is in neither part.
    # C2 – U – C3: U separates {C0, C1, C2} from {C3}; C2 is a cut vertex but no candidate.
    G = nx.MultiDiGraph([("C1", "C0"), ("C0", "C2"), ("U", "C2"), ("U", "C3"), ("U", "C3")])
    result = cobuilding_articulation_units(G, _is_community, lambda n: n in {"C0", "U"})
    assert result == {"C0": [("C1",), ("C2", "C3")], "U": [("C0", "C1", "C2"), ("C3",)]}


def _brute_force_bridge_units(G: nx.Graph, community: set, candidate: set) -> dict:
    """Remove each candidate and recount the components of what is left of its component."""
    result = {}
    for node in sorted(candidate):
        component = nx.node_connected_component(G, node) - {node}
        rest = G.subgraph(component)
        parts = [sorted(part & community) for part in nx.connected_components(rest)]
        groups = sorted(tuple(part) for part in parts if part)
        if len(groups) >= 2:
            result[node] = groups
    return result


@pytest.mark.parametrize("seed", range(40))
def test_bridge_units_match_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    G = nx.random_labeled_tree(30, seed=seed) if seed % 2 else nx.gnm_random_graph(30, 34, seed)
    G.add_edges_from(rng.sample(list(itertools.combinations(range(30), 2)), seed % 5))
    community = set(rng.sample(range(30), 8))
    candidate = set(range(30)) - community if seed % 3 else set(range(30))
    expected = _brute_force_bridge_units(G, community, candidate)
    result = cobuilding_articulation_units(G, community.__contains__, candidate.__contains__)
    assert result == expected
    assert list(result) == sorted(result)
