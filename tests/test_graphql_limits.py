"""Every query is bounded (depth, tokens, aliases, page size, cost) and says what to change;
internal errors reach clients masked, with an id that is logged with the real error."""

from __future__ import annotations

import logging

import pytest

from graph.database import Graph
from schema import limits
from schema.limits import MAX_ALIASES, MAX_COST, MAX_DEPTH
from tests.test_api_fixture import run, run_with_errors


async def test_depth_over_the_limit_is_refused(graph: Graph) -> None:
    nested = "broader { " * 10 + "id" + " }" * 10
    query = f"{{ projects {{ edges {{ node {{ topics {{ {nested} }} }} }} }} }}"
    errors = await run_with_errors(graph, query)
    assert errors == [f"'anonymous' exceeds maximum operation depth of {MAX_DEPTH}"]


async def test_too_many_aliases_are_refused(graph: Graph) -> None:
    query = "{ " + " ".join(f"a{i}: systems {{ id }}" for i in range(MAX_ALIASES + 1)) + " }"
    errors = await run_with_errors(graph, query)
    assert errors == [f"{MAX_ALIASES + 1} aliases found. Allowed: {MAX_ALIASES}"]


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


async def test_each_document_is_validated_once_and_refused_every_time(
    graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The validation cache is keyed by the parsed document itself (the parser cache hands out
    one object per text): the same text is validated once, and its errors come every time."""
    validated: list[object] = []
    real = limits.validate_document

    def counting(schema: object, document: object, rules: object) -> object:
        validated.append(document)
        return real(schema, document, rules)  # type: ignore[arg-type]

    monkeypatch.setattr(limits, "validate_document", counting)
    query = "{ systems { validatedOnce } }"
    for _ in range(3):
        assert await run_with_errors(graph, query) == [
            "Cannot query field 'validatedOnce' on type 'System'."
        ]
    assert len(validated) == 1
    other = "{ systems { id } }  # validated once too"
    for _ in range(2):
        assert "systems" in await run(graph, other)
    assert len(validated) == 2


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
    with caplog.at_level(logging.ERROR, logger="schema.limits"):
        errors = await run_with_errors(graph, '{ project(id: "bad") { title startDate } }')
    assert len(errors) == 1
    assert errors[0].startswith("Internal error (id ")
    assert "last spring" not in errors[0] and "isoformat" not in errors[0]
    error_id = errors[0].split("(id ")[1].split(")")[0]
    logged = [r for r in caplog.records if getattr(r, "error_id", None) == error_id]
    assert len(logged) == 1 and logged[0].exc_info is not None
