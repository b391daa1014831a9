"""User text becomes a Lucene query with every piece of syntax escaped."""

from __future__ import annotations

import pytest

from graph.queries import lucene


@pytest.mark.parametrize(
    ("term", "escaped"),
    [
        ("falls", "falls"),
        ("co-design", "co\\-design"),
        ("a+b", "a\\+b"),
        ("(x)", "\\(x\\)"),
        ('"quoted"', '\\"quoted\\"'),
        ("title:x", "title\\:x"),
        ("wild*card?", "wild\\*card\\?"),
        ("a&&b||c!", "a\\&\\&b\\|\\|c\\!"),
        ("{[^~]}", "\\{\\[\\^\\~\\]\\}"),
        ("back\\slash/", "back\\\\slash\\/"),
        ("AND", "and"),
        ("OR", "or"),
        ("NOT", "not"),
        ("And", "And"),
    ],
)
def test_escape(term: str, escaped: str) -> None:
    assert lucene.escape(term) == escaped


def test_words_become_whole_and_prefix_terms() -> None:
    assert lucene.query_for("Falls  prevention") == "Falls Falls* prevention prevention*"


def test_short_and_punctuated_words_get_no_prefix_term() -> None:
    assert lucene.query_for("qi co-design") == "qi co\\-design"


def test_operators_and_syntax_are_searched_for_not_obeyed() -> None:
    assert lucene.query_for('falls AND title:"x" NOT -y') == (
        'falls falls* and and* title\\:\\"x\\" not not* \\-y'
    )


@pytest.mark.parametrize("text", ["", "   ", "!!! --- ***", "()"])
def test_text_without_words_is_no_query(text: str) -> None:
    assert lucene.query_for(text) is None


def test_at_most_sixteen_words() -> None:
    text = " ".join(f"w{i}" for i in range(40))
    assert lucene.words(text) == [f"w{i}" for i in range(16)]
