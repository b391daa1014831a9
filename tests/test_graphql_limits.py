"""Every query is bounded (depth, tokens, aliases, page size, cost) and says what to change;
internal errors reach clients masked, with an id that is logged with the real error."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from graphql import FragmentDefinitionNode, parse

from graph.database import Graph
from schema.extensions.cost import MAX_COST
from schema.extensions.fragments import fragment_definitions, measure_fragments, spreads_in
from schema.extensions.limits import MAX_ALIASES, MAX_DEPTH, MAX_REPEATS
from tests.test_api_fixture import run, run_with_errors


async def test_depth_over_the_limit_is_refused(graph: Graph) -> None:
    nested = "broader { " * 10 + "id" + " }" * 10
    query = f"{{ projects {{ edges {{ node {{ topics {{ {nested} }} }} }} }} }}"
    errors = await run_with_errors(graph, query)
    assert errors == [
        f"This query nests fields more than {MAX_DEPTH} levels deep, the limit. Ask for fewer "
        "levels at once, and fetch deeper items by id in a second query."
    ]
    named = await run_with_errors(graph, "query Deep " + query)
    assert named[0].startswith("The query `Deep` nests fields more than")


async def test_depth_at_the_limit_is_allowed(graph: Graph) -> None:
    """Twelve levels below the root field run; thirteen do not."""
    nested = "broader { " * 8 + "id" + " }" * 8
    query = f"{{ projects {{ edges {{ node {{ topics {{ {nested} }} }} }} }} }}"
    assert await run(graph, query) == {"projects": {"edges": []}}


async def test_too_many_aliases_are_refused(graph: Graph) -> None:
    query = "{ " + " ".join(f"a{i}: systems {{ id }}" for i in range(MAX_ALIASES + 1)) + " }"
    errors = await run_with_errors(graph, query)
    assert errors == [
        f"This query uses {MAX_ALIASES + 1} aliases (fragments counted wherever they are "
        f"spread); the limit is {MAX_ALIASES}. Use fewer aliases, or send several queries."
    ]


@pytest.mark.parametrize(
    ("field", "times"), [("__typename", 1980), ("about { name }", 490), ("a: about { name }", 330)]
)
async def test_a_field_repeated_hundreds_of_times_is_refused_with_a_reason(
    graph: Graph, field: str, times: int
) -> None:
    """Not "Validation aborted.": merging the repeats would compare every pair of them."""
    query = "{ " + " ".join([field] * times) + " }"
    errors = await run_with_errors(graph, query)
    name = field.split(":")[0].split(" ")[0]
    assert errors == [
        f"`{name}` is asked for {times} times in one selection; the limit is {MAX_REPEATS}. "
        "Ask for each field once (aliases give different arguments their own names)."
    ]


async def test_a_field_repeated_within_the_limit_runs(graph: Graph) -> None:
    inline = " ".join(["... on Query { __typename }"] * (MAX_REPEATS - 1))
    assert await run(graph, f"{{ __typename {inline} }}") == {"__typename": "Query"}


def fragment_bomb(levels: int, leaf: str) -> str:
    """Fragments that each spread the next one twice: ``levels`` levels, 2**levels leaves."""
    lines = ["query Bomb { ...L0 }"]
    lines += [f"fragment L{i} on Query {{ ...L{i + 1} ...L{i + 1} }}" for i in range(levels)]
    lines.append(f"fragment L{levels} on Query {{ {leaf} }}")
    return "\n".join(lines)


@pytest.mark.parametrize("levels", [30, 60])
async def test_fragments_spread_twice_per_level_are_refused_not_expanded(
    graph: Graph, levels: int
) -> None:
    """Two to the sixtieth fields in 2 KB: refused by the cost limit without expanding them
    (an expanding check would not finish); nothing reaches the database."""
    graph.round_trips = 0
    errors = await run_with_errors(graph, fragment_bomb(levels, "systems { id }"))
    assert len(errors) == 1
    assert errors[0].startswith("The query `Bomb` would cost ")
    assert f"over the limit of {MAX_COST}" in errors[0]
    assert graph.round_trips == 0


@pytest.mark.parametrize("levels", [30, 60])
async def test_aliases_multiplied_by_fragments_are_counted_once_per_fragment(
    graph: Graph, levels: int
) -> None:
    errors = await run_with_errors(graph, fragment_bomb(levels, "a: about { name }"))
    assert errors == [
        f"The query `Bomb` uses {2**levels} aliases (fragments counted wherever they are "
        f"spread); the limit is {MAX_ALIASES}. Use fewer aliases, or send several queries."
    ]


@pytest.mark.parametrize("levels", [30, 60])
async def test_depth_through_nested_fragments_is_measured_once_per_fragment(
    graph: Graph, levels: int
) -> None:
    """Each level nests one field deeper and spreads the next fragment twice."""
    lines = ["query Deep { systems { ...L0 } }"]
    lines += [
        f"fragment L{i} on System {{ organisations {{ systems {{ ...L{i + 1} ...L{i + 1} }} }} }}"
        for i in range(levels)
    ]
    lines.append(f"fragment L{levels} on System {{ id }}")
    errors = await run_with_errors(graph, "\n".join(lines))
    assert errors[0].startswith("The query `Deep` nests fields more than")


def test_each_fragment_is_measured_once_however_often_it_is_spread() -> None:
    """The measure of a fragment is made once: 61 fragments, 61 measures, for 2**60 spreads."""
    document = parse(fragment_bomb(60, "id"))
    made: list[str] = []

    def measure(fragment: FragmentDefinitionNode, measured: Callable[[str], int]) -> int:
        made.append(fragment.name.value)
        inner = [measured(name) for name in spreads_in(fragment.selection_set)]
        return sum(inner) or 1

    sizes = measure_fragments(fragment_definitions(document), measure, 0)
    assert sorted(made) == sorted(f"L{i}" for i in range(61))
    assert sizes["L0"] == 2**60


def test_a_cycle_of_fragments_is_measured_without_looping() -> None:
    document = parse("query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }")
    sizes = measure_fragments(
        fragment_definitions(document),
        lambda fragment, measured: 1 + sum(measured(n) for n in spreads_in(fragment.selection_set)),
        0,
    )
    assert sizes == {"B": 1, "A": 2}


async def test_a_cycle_of_fragments_is_refused_by_validation(graph: Graph) -> None:
    errors = await run_with_errors(
        graph, "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"
    )
    assert errors == ["Cannot spread fragment 'A' within itself via 'B'."]


async def test_too_many_tokens_are_refused(graph: Graph) -> None:
    query = "{ systems { " + "id " * 2100 + "} }"
    errors = await run_with_errors(graph, query)
    assert errors == ["Syntax Error: Document contains more than 2000 tokens. Parsing aborted."]


async def test_a_page_over_one_hundred_is_refused_before_running(graph: Graph) -> None:
    errors = await run_with_errors(graph, "{ projects(first: 101) { totalCount } }")
    assert errors == [
        "Pages are at most 100 items: `projects` asks for 101. Ask for 100 or fewer and "
        "follow `pageInfo.endCursor`."
    ]
    graph.round_trips = 0
    errors = await run_with_errors(
        graph,
        "query ($n: Int) { systems { organisations(first: $n) { id } } }",
        n=500,
    )
    assert errors[0].startswith("Pages are at most 100 items: `organisations` asks for 500.")
    assert graph.round_trips == 0


async def test_a_cached_document_is_still_costed_with_each_requests_variables(
    graph: Graph,
) -> None:
    """Parsing and validation are cached per document; the cost depends on the variables, so
    the same document is refused, allowed and refused again as its page size changes."""
    query = "query ($n: Int) { systems { organisations(first: $n) { id } } }"
    for n, refused in ((5, False), (500, True), (5, False), (500, True)):
        if refused:
            errors = await run_with_errors(graph, query, n=n)
            assert errors[0].startswith(
                f"Pages are at most 100 items: `organisations` asks for {n}"
            )
        else:
            assert "systems" in await run(graph, query, n=n)
    # A document that fails validation fails every time it is sent, not only the first.
    for _ in range(2):
        assert await run_with_errors(graph, "{ systems { nosuchfield } }") == [
            "Cannot query field 'nosuchfield' on type 'System'."
        ]


async def test_nested_lists_that_multiply_past_the_budget_are_refused(graph: Graph) -> None:
    query = """{ projects(first: 100) { edges { node {
        people(first: 100) { person { projects(first: 100) { project { id } } } } } } } }"""
    errors = await run_with_errors(graph, query)
    assert len(errors) == 1
    assert errors[0].startswith("This query would cost ")
    assert f"over the limit of {MAX_COST}: ask for fewer items" in errors[0]


async def test_an_ordinary_explorer_query_is_within_the_budget(graph: Graph) -> None:
    data = await run(
        graph,
        """{ projects(first: 50) { totalCount edges { node { title
             organisations { organisation { name } } topics { label }
             people { person { name organisations { name } } } } } }
           whoElse(topic: "falls") { person { name } } }""",
    )
    assert data == {"projects": {"totalCount": 0, "edges": []}, "whoElse": []}


async def test_internal_errors_are_masked_and_logged_with_an_id(
    graph: Graph, caplog: pytest.LogCaptureFixture
) -> None:
    # A partner value of the wrong type in the database: the date serialiser fails on it.
    await graph.write("CREATE (:Project {id: 'bad', title: 'Bad', startDate: 'last spring'})")
    with caplog.at_level(logging.ERROR, logger="schema.extensions.masking"):
        errors = await run_with_errors(graph, '{ project(id: "bad") { title startDate } }')
    assert len(errors) == 1
    assert errors[0].startswith("Internal error (id ")
    assert "last spring" not in errors[0] and "isoformat" not in errors[0]
    error_id = errors[0].split("(id ")[1].split(")")[0]
    logged = [r for r in caplog.records if getattr(r, "error_id", None) == error_id]
    assert len(logged) == 1 and logged[0].exc_info is not None
