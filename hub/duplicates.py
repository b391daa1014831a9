"""`convener duplicates`: similar projects of a system as CSV or JSON, for people in Excel.

One row per pair, grouped by cluster (the cluster's first project id), strongest first, with
both projects, the score, the kind, the review and the plain-language explanation.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from graph.database import Graph
from graph.impact import recount_scored
from graph.migrate import apply_migrations
from graph.similarity import reads
from graph.similarity.engine import rescore_all
from graph.similarity.reviews import ReviewStatus

COLUMNS = [
    "cluster",
    "score",
    "kind",
    "status",
    "project_a",
    "title_a",
    "organisations_a",
    "systems_a",
    "project_b",
    "title_b",
    "organisations_b",
    "systems_b",
    "explanation",
    "note",
]


async def duplicate_rows(
    graph: Graph,
    *,
    system: str | None,
    min_score: float | None,
    statuses: Sequence[ReviewStatus] | None,
    kinds: Sequence[str] | None,
    rescore: bool,
) -> list[dict[str, Any]]:
    """Rows of the strongest clusters (at most 100, of at most 100 pairs each)."""
    await apply_migrations(graph)
    if rescore:
        await rescore_all(graph)
        await recount_scored(graph)
    clusters = await reads.duplicate_clusters(
        graph,
        system=system,
        min_score=min_score,
        statuses=statuses,
        kinds=kinds,
        first=reads.MAX_PAGE,
    )
    return [_row(cluster.id, pair) for cluster in clusters for pair in cluster.pairs]


def _row(cluster: str, pair: reads.SimilarPair) -> dict[str, Any]:
    return {
        "cluster": cluster,
        "score": pair.score,
        "kind": pair.kind,
        "status": pair.status.value,
        "project_a": pair.a.id,
        "title_a": pair.a.title,
        "organisations_a": "; ".join(pair.a.organisations),
        "systems_a": "; ".join(pair.a.systems),
        "project_b": pair.b.id,
        "title_b": pair.b.title,
        "organisations_b": "; ".join(pair.b.organisations),
        "systems_b": "; ".join(pair.b.systems),
        "explanation": pair.explanation,
        "note": pair.note or "",
    }


def as_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def as_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False)
