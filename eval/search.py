"""nDCG@10 and recall@20 of search on labelled queries over the demo region.

    .venv/bin/python -m eval.search [--split report|tune|all] [--show]

Starts a local Neo4j in a temporary directory, syncs the demo region (examples/) over real
HTTP as `convener demo` does, then runs each query of eval/data/search-queries.yaml through
``graph.queries.search`` as an anonymous caller would, projects only, and scores the first
twenty hits against the projects the query's rule judges relevant (the file says the rule).
The judging reads the projects' tags and words here, apart from the search engine.

nDCG@10 counts a relevant project at rank r as 1/log2(r+1), divided by the best possible for
that query; recall@20 is the share of relevant projects in the first twenty, out of at most
twenty (a query with more relevant projects than that is not counted short).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from eval.demo_region import scratch_graph, sync_demo
from graph.database import Graph
from graph.queries import search
from graph.vocabulary import Vocabulary

QUERIES = Path(__file__).parent / "data" / "search-queries.yaml"
NDCG_AT = 10
RECALL_AT = 20
GROUPS = ("topic", "synonym", "misspelt", "words", "multi")


class Concept(BaseModel):
    """One thing a query is about: met by a tag (or a narrower one) or by words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    topics: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()


class LabelledQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1)
    group: str = Field(pattern="^(" + "|".join(GROUPS) + ")$")
    split: str = Field(pattern="^(tune|report)$")
    about: tuple[Concept, ...] = Field(min_length=1)


class _QueriesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    queries: list[LabelledQuery]


def read_queries(path: Path = QUERIES) -> list[LabelledQuery]:
    """The labelled queries; a malformed file is refused naming the query and the field."""
    try:
        return _QueriesFile.model_validate(yaml.safe_load(path.read_text("utf-8"))).queries
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ValueError(f"{path}: {where}: {first['msg']}") from None


def plain_words(text: str) -> tuple[str, ...]:
    """Lower-case runs of letters and digits, accents dropped, a plural "s" dropped."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return tuple(
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        for w in re.findall(r"[a-z0-9]+", ascii_text)
    )


def _contains(words: Sequence[str], phrase: Sequence[str]) -> bool:
    size = len(phrase)
    return any(tuple(words[i : i + size]) == tuple(phrase) for i in range(len(words) - size + 1))


@dataclass(frozen=True)
class JudgedProject:
    """A demo project as the rules see it: its texts' words and its topics with their
    broader ones."""

    id: str
    texts: tuple[tuple[str, ...], ...]
    topics: frozenset[str]

    def meets(self, concept: Concept) -> bool:
        return bool(self.topics & set(concept.topics)) or any(
            _contains(words, plain_words(phrase))
            for phrase in concept.phrases
            for words in self.texts
        )


def _with_broader(tags: Iterable[str], vocabulary: Vocabulary) -> frozenset[str]:
    found: set[str] = set()
    todo = [t for t in tags if t in vocabulary.topics]
    while todo:
        topic = todo.pop()
        if topic not in found:
            found.add(topic)
            todo.extend(vocabulary.topics[topic].broader)
    return frozenset(found)


async def demo_projects(graph: Graph, vocabulary: Vocabulary) -> list[JudgedProject]:
    rows = await graph.read(
        """
        MATCH (p:Project) WHERE p.retiredAt IS NULL
        OPTIONAL MATCH (p)-[a:ABOUT]->(t:Topic) WHERE a.retiredAt IS NULL
        RETURN p.id AS id, p.title AS title, p.aim AS aim, collect(t.id) AS tags
        """
    )
    return [
        JudgedProject(
            row["id"],
            tuple(plain_words(text) for text in (row["title"], row["aim"]) if text),
            _with_broader(row["tags"], vocabulary),
        )
        for row in rows
    ]


def relevant(query: LabelledQuery, projects: Iterable[JudgedProject]) -> frozenset[str]:
    return frozenset(p.id for p in projects if all(p.meets(c) for c in query.about))


def ndcg(ranked: Sequence[str], wanted: frozenset[str], k: int = NDCG_AT) -> float:
    gain = sum(1 / math.log2(rank + 2) for rank, id in enumerate(ranked[:k]) if id in wanted)
    best = sum(1 / math.log2(rank + 2) for rank in range(min(len(wanted), k)))
    return gain / best if best else 0.0


def recall(ranked: Sequence[str], wanted: frozenset[str], k: int = RECALL_AT) -> float:
    return len(set(ranked[:k]) & wanted) / min(len(wanted), k) if wanted else 0.0


@dataclass(frozen=True)
class Outcome:
    query: LabelledQuery
    wanted: frozenset[str]
    ranked: tuple[str, ...]

    @property
    def ndcg(self) -> float:
        return ndcg(self.ranked, self.wanted)

    @property
    def recall(self) -> float:
        return recall(self.ranked, self.wanted)


async def ranked_projects(graph: Graph, text: str) -> tuple[str, ...]:
    """The first RECALL_AT projects search gives an anonymous caller for ``text``."""
    hits = await search.search(
        graph,
        text,
        kinds=("project",),
        public_only=True,
        may_read_bios=False,
        limit=RECALL_AT,
    )
    return tuple(hit["item"]["id"] for hit in hits)


async def evaluate(
    graph: Graph, queries: Sequence[LabelledQuery], vocabulary: Vocabulary | None = None
) -> list[Outcome]:
    """Each query's outcome on the projects ``graph`` holds (the demo region, synced)."""
    projects = await demo_projects(graph, vocabulary or Vocabulary.load())
    outcomes = []
    for query in queries:
        wanted = relevant(query, projects)
        if not wanted:
            raise ValueError(f"{query.text!r}: no demo project is relevant by its rule")
        outcomes.append(Outcome(query, wanted, await ranked_projects(graph, query.text)))
    return outcomes


@dataclass(frozen=True)
class Figures:
    queries: int
    ndcg: float
    recall: float


def figures(outcomes: Sequence[Outcome]) -> Figures:
    count = len(outcomes)
    return Figures(
        count,
        sum(o.ndcg for o in outcomes) / count if count else 0.0,
        sum(o.recall for o in outcomes) / count if count else 0.0,
    )


def by_group(outcomes: Sequence[Outcome]) -> dict[str, Figures]:
    """Figures per group of query, then ``all``."""
    table = {g: figures([o for o in outcomes if o.query.group == g]) for g in GROUPS}
    table["all"] = figures(outcomes)
    return table


def in_split(queries: Iterable[LabelledQuery], split: str) -> list[LabelledQuery]:
    return [q for q in queries if split == "all" or q.split == split]


async def _run(split: str, show: bool) -> None:
    async with scratch_graph() as graph:
        await sync_demo(graph)
        outcomes = await evaluate(graph, in_split(read_queries(), split))
    print(f"split: {split}")
    if show:
        for o in outcomes:
            missed = sorted(o.wanted - set(o.ranked))
            print(
                f"  {o.query.text!r:<44} nDCG@10 {o.ndcg:.3f}  recall@20 {o.recall:.3f}"
                f"  ({len(o.wanted)} relevant; missed {len(missed)})"
            )
    print(f"{'group':<10}{'queries':>8}{'nDCG@10':>10}{'recall@20':>11}")
    for group, f in by_group(outcomes).items():
        print(f"{group:<10}{f.queries:>8}{f.ndcg:>10.3f}{f.recall:>11.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["report", "tune", "all"], default="report")
    parser.add_argument("--show", action="store_true", help="each query's figures")
    args = parser.parse_args()
    asyncio.run(_run(args.split, args.show))


if __name__ == "__main__":
    main()
