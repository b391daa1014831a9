"""User text becomes a Lucene query with every piece of syntax escaped; the fuzzy terms we add
match exactly the words ``lucene.within_edits`` accepts (checked against the real index)."""

from __future__ import annotations

import pytest

from graph.database import Graph
from graph.queries import lucene, search


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


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("sepsiss", "sepsiss sepsiss* sepsiss~1"),
        ("Falls", "Falls Falls* Falls~1"),
        ("dischage", "dischage dischage* dischage~2"),
        ("fall qi", "fall fall* qi"),  # under five letters: as written
        ("news2 4AT", "news2 news2* 4AT 4AT*"),  # not letters alone
        ("co-design", "co\\-design"),
        ('sepsis~9 "x"~2', 'sepsis\\~9 \\"x\\"\\~2'),  # a typed ~ is escaped, never ours
    ],
)
def test_search_adds_a_fuzzy_term_for_words_of_five_letters_or_more(text: str, query: str) -> None:
    assert lucene.query_for(text, fuzzy=True) == query


def test_a_very_long_word_is_no_misspelling() -> None:
    assert lucene.fuzzy_edits("a" * lucene.MAX_FUZZY_LENGTH) == 2
    assert lucene.fuzzy_edits("a" * (lucene.MAX_FUZZY_LENGTH + 1)) == 0


def test_filters_search_words_as_written() -> None:
    """The projects' and resources' `text` filters keep their meaning: no fuzzy terms."""
    assert lucene.query_for("sepsiss") == "sepsiss sepsiss*"


@pytest.mark.parametrize(
    ("term", "word", "edits", "within"),
    [
        ("sepsis", "sepsis", 0, True),
        ("sepsiss", "sepsis", 1, True),  # a letter deleted
        ("sepis", "sepsis", 1, True),  # inserted
        ("sepxis", "sepsis", 1, True),  # replaced
        ("spesis", "sepsis", 1, True),  # two neighbours swapped
        ("spesiss", "sepsis", 1, False),
        ("spesiss", "sepsis", 2, True),
        ("falls", "fall", 1, True),
        ("falls", "calls", 1, True),
        ("falls", "false", 1, False),
        ("ab", "abcd", 1, False),  # lengths too far apart
    ],
)
def test_within_edits(term: str, word: str, edits: int, within: bool) -> None:
    assert lucene.within_edits(term, word, edits) is within
    assert lucene.within_edits(word, term, edits) is within


# Words one edit from "sepsis", "falls" and "discharge" (and a few two away), for checking the
# reasons search gives against what Lucene's fuzzy terms really match.
def _one_edit(word: str) -> set[str]:
    deleted = {word[:i] + word[i + 1 :] for i in range(len(word))}
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    replaced = {word[:i] + "x" + word[i + 1 :] for i in range(len(word))}
    inserted = {word[:i] + "q" + word[i:] for i in range(len(word) + 1)}
    return deleted | swapped | replaced | inserted


async def test_reasons_match_misspellings_exactly_as_lucene_does(graph: Graph) -> None:
    """Every word one edit from three words, some two away and some further, indexed as project
    titles: for each query word, the titles Neo4j's Lucene index finds with our fuzzy term are
    exactly those ``lucene.within_edits`` accepts, which is what ``search.why`` shows."""
    bases = ["sepsis", "falls", "discharge"]
    words = {w for base in bases for w in _one_edit(base)} | {
        "sepsiss", "spesiss", "dicsharged", "dischrage", "charged", "fall", "calls", "ca",
    }  # fmt: skip
    await graph.write(
        "UNWIND $words AS word CREATE (:Project {id: word, title: word})",
        {"words": sorted(words)},
    )
    for query in [*bases, "sepsiss", "dischage", "spesis"]:
        edits = lucene.fuzzy_edits(query)
        rows = await graph.read(
            "CALL db.index.fulltext.queryNodes('project_text', $q) YIELD node RETURN node.id AS id",
            {"q": f"{query}~{edits}"},
        )
        found = {row["id"] for row in rows}
        expected = {w for w in words if w.isalpha() and lucene.within_edits(query, w, edits)}
        assert found == expected, (query, sorted(found ^ expected))


async def _found(graph: Graph, text: str, *, public_only: bool) -> set[str]:
    """The projects a search of every kind finds."""
    hits = await search.search(graph, text, public_only=public_only, may_read_bios=False, limit=20)
    return {hit["item"]["id"] for hit in hits if hit["kind"] == "project"}


async def test_a_word_the_hub_holds_as_typed_is_looked_for_one_edit_away(graph: Graph) -> None:
    """Two edits find the misspellings of a long word, and they are the costliest terms Lucene
    is asked for: a word some record holds as typed is looked for a letter away at most (its
    plural or singular), a word none holds two away, as before."""
    titles = {"j1": "Discharge planning", "j2": "Discharges audit", "j3": "Dicsharged notes"}
    await graph.write(
        "UNWIND keys($titles) AS id CREATE (:Project {id: id, title: $titles[id]})",
        {"titles": titles},
    )
    assert lucene.within_edits("discharge", "dicsharged", 2)
    assert not lucene.within_edits("discharge", "dicsharged", 1)
    assert await _found(graph, "discharge", public_only=True) == {"j1", "j2"}
    assert await _found(graph, "dischage", public_only=True) == {"j1", "j2"}  # one edit

    # Without the word as typed in the hub, two edits again.
    await graph.write("MATCH (p:Project) WHERE p.id IN ['j1', 'j2'] SET p.retiredAt = datetime()")
    assert await _found(graph, "discharge", public_only=True) == {"j3"}


async def test_only_what_the_caller_may_see_decides_how_far_a_word_is_looked_for(
    graph: Graph,
) -> None:
    """A person not listed, whose role holds the word as typed, does not narrow what the public
    finds (that would tell them someone unlisted holds it); for a caller who may see them, the
    word is held."""
    await graph.write(
        """CREATE (:Project {id: 'j1', title: 'Welbeign champions'})
           CREATE (:Person {id: 'p1', name: 'Kit Lowe', role: 'Wellbeing lead', public: false})"""
    )
    assert lucene.fuzzy_edits("wellbeing") == 2 and lucene.within_edits("wellbeing", "welbeign", 2)
    assert await _found(graph, "wellbeing", public_only=True) == {"j1"}
    assert await _found(graph, "wellbeing", public_only=False) == set()
    await graph.write("MATCH (p:Person {id: 'p1'}) SET p.public = true")
    assert await _found(graph, "wellbeing", public_only=True) == set()
