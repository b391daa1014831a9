"""Ingestion's Cypher: the statements built from fixed tables are exactly these, each naming
only its own labels and types, and every batch statement takes its values as parameters."""

from __future__ import annotations

import re
from pathlib import Path

from graph.ingest import statements
from graph.ingest.statements import (
    CREATE_ASSERTIONS,
    LINKS,
    PRUNE,
    UPDATE_ASSERTIONS,
    batch_statements,
)

KINDS = ["organisation", "person", "project", "resource"]


def names(statement: str) -> list[str]:
    """Labels and relationship types, in the order the statement names them."""
    return re.findall(r"\w*:([A-Z][\w|]*)", statement)


def test_assertion_statements_one_per_label() -> None:
    assert list(CREATE_ASSERTIONS) == KINDS
    assert list(UPDATE_ASSERTIONS) == KINDS
    labels = ["Organisation", "Person", "Project", "Resource"]
    assert [names(s) for s in CREATE_ASSERTIONS.values()] == [
        ["Source", label, "ASSERTS"] for label in labels
    ]
    assert [names(s) for s in UPDATE_ASSERTIONS.values()] == [
        ["ASSERTS", label] for label in labels
    ]


def test_link_statements_one_per_link_type() -> None:
    assert list(LINKS) == [
        ("PART_OF", "Organisation", "System"),
        ("WORKS_FOR", "Person", "Organisation"),
        ("INTERESTED_IN", "Person", "Topic"),
        ("RUN_BY", "Project", "Organisation"),
        ("IN_PARTNERSHIP_WITH", "Project", "Organisation"),
        ("ABOUT", "Project", "Topic"),
        ("WORKS_ON", "Person", "Project"),
        ("PUBLISHED_BY", "Resource", "Organisation"),
        ("ABOUT", "Resource", "Topic"),
        ("FROM", "Resource", "Project"),
    ]
    for (rel, start, end), statement in LINKS.items():
        assert names(statement) == [start, end, rel]
        assert "MERGE (a)-[r:" + rel + " {source: $source}]->(b)" in statement


def test_prune_statements_drop_only_the_links_a_kind_implies() -> None:
    assert {kind: names(statement) for kind, statement in PRUNE.items()} == {
        "organisation": ["Organisation", "PART_OF"],
        "person": ["Person", "WORKS_FOR|INTERESTED_IN"],
        "project": ["Project", "RUN_BY|IN_PARTNERSHIP_WITH|ABOUT|WORKS_ON"],
        "resource": ["Resource", "PUBLISHED_BY|ABOUT|FROM"],
    }


def test_batch_statements_keep_their_plan_and_take_values_as_parameters() -> None:
    listed = batch_statements()
    assert len(listed) == len(set(listed)) == 34
    for statement in listed:
        assert statement.startswith("CYPHER replan=skip\n"), statement
        assert "'" not in statement and '"' not in statement, statement


def test_every_statement_of_the_package_is_in_its_statements_module() -> None:
    package = Path(statements.__file__).parent
    for path in package.glob("*.py"):
        if path.name == "statements.py":
            continue
        text = path.read_text()
        for clause in ("MATCH (", "MERGE (", "UNWIND $", "CREATE ("):
            assert clause not in text, f"{path.name} holds Cypher ({clause!r})"
