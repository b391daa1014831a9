"""The shared topic vocabulary: labels, synonyms and broader topics, from a YAML file.

A label that the vocabulary knows (as its label or a synonym, in normal form) resolves to that
topic; any other label becomes a candidate topic, keyed by its normal form so that partners who
spell it alike still meet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from graph.database import Graph
from graph.normalise import slug, topic_key
from graph.version import bump_version

DEFAULT_VOCABULARY = Path(__file__).parent / "vocabulary.yaml"


class VocabularyError(ValueError):
    """The vocabulary file is malformed; the message names the file, the entry and the field."""


class TopicEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: str = Field(min_length=1)
    synonyms: list[str] = []
    broader: list[str] = []


class _VocabularyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topics: list[TopicEntry]

    @model_validator(mode="after")
    def _consistent(self) -> _VocabularyFile:
        ids = [topic.id for topic in self.topics]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"topic ids appear twice: {', '.join(duplicates)}")
        for topic in self.topics:
            unknown = [b for b in topic.broader if b not in ids]
            if unknown:
                raise ValueError(f"topic {topic.id!r} has unknown broader {', '.join(unknown)}")
        return self


@dataclass(frozen=True)
class ResolvedTopic:
    id: str
    label: str
    candidate: bool
    keys: tuple[str, ...]
    synonyms: tuple[str, ...] = ()


class Vocabulary:
    """Topics by id, and every known spelling (in normal form) to its topic."""

    def __init__(self, topics: list[TopicEntry]) -> None:
        self.topics = {topic.id: topic for topic in topics}
        self._by_key: dict[str, TopicEntry] = {}
        for topic in topics:
            for spelling in (topic.label, *topic.synonyms, topic.id.replace("-", " ")):
                self._by_key.setdefault(topic_key(spelling), topic)

    @classmethod
    def load(cls, path: Path = DEFAULT_VOCABULARY) -> Vocabulary:
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            return cls(_VocabularyFile.model_validate(raw).topics)
        except OSError as error:
            raise VocabularyError(f"{path}: cannot read the vocabulary: {error}") from None
        except yaml.YAMLError as error:
            raise VocabularyError(f"{path}: not valid YAML: {error}") from None
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            message = first["msg"].removeprefix("Value error, ")
            raise VocabularyError(f"{path}: {where or 'file'}: {message}") from None

    def keys_of(self, topic: TopicEntry) -> tuple[str, ...]:
        spellings = (topic.label, *topic.synonyms, topic.id.replace("-", " "))
        return tuple(dict.fromkeys(topic_key(s) for s in spellings))

    def resolve(self, label: str) -> ResolvedTopic:
        key = topic_key(label)
        topic = self._by_key.get(key)
        if topic is not None:
            return ResolvedTopic(
                topic.id, topic.label, False, self.keys_of(topic), tuple(topic.synonyms)
            )
        return ResolvedTopic(f"candidate:{slug(key)}", label.strip(), True, (key,))


async def store_vocabulary(graph: Graph, vocabulary: Vocabulary) -> bool:
    """Write every vocabulary topic and its broader links; idempotent; whether anything
    changed. A changed label, synonym or link changes answers (topic pages, what a search
    names), so it bumps the graph's version; storing the same vocabulary again, as every
    sync does, does not."""
    rows = [
        {
            "id": topic.id,
            "label": topic.label,
            "synonyms": topic.synonyms,
            "keys": list(vocabulary.keys_of(topic)),
            "broader": topic.broader,
        }
        for topic in vocabulary.topics.values()
    ]
    topics = await graph.write(
        """
        UNWIND $rows AS row
        MERGE (t:Topic {id: row.id})
        WITH t, row, NOT coalesce(t.label = row.label AND t.synonyms = row.synonyms
                                  AND t.keys = row.keys AND t.candidate = false, false) AS changed
        SET t.label = row.label, t.synonyms = row.synonyms, t.keys = row.keys,
            t.candidate = false
        RETURN count(CASE WHEN changed THEN 1 END) AS changed
        """,
        {"rows": rows},
    )
    links = await graph.write(
        """
        UNWIND $rows AS row
        MATCH (t:Topic {id: row.id})
        CALL (t, row) {
          OPTIONAL MATCH (t)-[old:BROADER]->(b:Topic)
          WHERE NOT b.id IN row.broader
          DELETE old
          RETURN count(old) AS removed
        }
        CALL (t, row) {
          UNWIND row.broader AS broaderId
          MATCH (b:Topic {id: broaderId})
          WHERE NOT EXISTS { (t)-[:BROADER]->(b) }
          MERGE (t)-[:BROADER]->(b)
          RETURN count(*) AS added
        }
        RETURN sum(removed) + sum(added) AS changed
        """,
        {"rows": rows},
    )
    changed = bool(topics[0]["changed"] or links[0]["changed"])
    if changed:
        await bump_version(graph)
    return changed
