"""The topic vocabulary: loaded with clear errors, stored with its broader links."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.database import Graph
from graph.vocabulary import Vocabulary, VocabularyError, store_vocabulary


def test_the_shipped_vocabulary_loads_and_knows_the_common_topics() -> None:
    vocabulary = Vocabulary.load()
    for label, topic in [
        ("Falls", "falls"),
        ("sepsis screening", "sepsis"),
        ("Discharge to assess", "discharge"),
        ("Link workers", "social-prescribing"),
        ("Staff health & wellbeing", "staff-wellbeing"),
    ]:
        resolved = vocabulary.resolve(label)
        assert (resolved.id, resolved.candidate) == (topic, False), label


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("topics: [{id: a, label: A}, {id: a, label: B}]", "topic ids appear twice: a"),
        ("topics: [{id: a, label: A, broader: [zz]}]", "topic 'a' has unknown broader zz"),
        ("topics: [{id: a, lable: A}]", "topics.0.label: Field required"),
        ("topics: [{id: 'Not An Id', label: A}]", "topics.0.id"),
        ("topics: [unclosed", "not valid YAML"),
    ],
)
def test_a_bad_vocabulary_file_is_named_with_the_entry(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "vocabulary.yaml"
    path.write_text(text)
    with pytest.raises(VocabularyError) as error:
        Vocabulary.load(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)


async def test_storing_the_vocabulary_twice_gives_one_set_of_topics(graph: Graph) -> None:
    vocabulary = Vocabulary.load()
    await store_vocabulary(graph, vocabulary)
    await store_vocabulary(graph, vocabulary)
    topics = await graph.read("MATCH (t:Topic) RETURN count(t) AS n")
    assert topics[0]["n"] == len(vocabulary.topics)
    broader = await graph.read(
        "MATCH (:Topic {id: 'falls'})-[:BROADER]->(b) RETURN b.id AS id ORDER BY id"
    )
    assert broader == [{"id": "older-people"}, {"id": "patient-safety"}]
    links = await graph.read("MATCH ()-[r:BROADER]->() RETURN count(r) AS n")
    assert links[0]["n"] == sum(len(t.broader) for t in vocabulary.topics.values())
