"""Terms -> TF-IDF vectors: a term that few projects use says more than one that many use.

Term frequencies are damped (1 + log tf) so a word repeated in a long aim does not swamp the
rest, and vectors are scaled to length one so that cosine similarity is a dot product.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
from scipy.sparse import csr_matrix


def idf(df: int, docs: int) -> float:
    """Smoothed inverse document frequency; a term nobody else uses gets the highest."""
    return math.log((1 + docs) / (1 + df)) + 1.0


def document_frequencies(counts: Sequence[Counter[str]]) -> Counter[str]:
    df: Counter[str] = Counter()
    for one in counts:
        df.update(one.keys())
    return df


def vector(counts: Mapping[str, float], df: Mapping[str, int], docs: int) -> dict[str, float]:
    """One project's unit-length TF-IDF vector; terms unknown to ``df`` count as seen once."""
    raw = {t: (1.0 + math.log(c)) * idf(df.get(t, 1), docs) for t, c in counts.items() if c > 0}
    norm = math.sqrt(sum(w * w for w in raw.values()))
    return {t: w / norm for t, w in raw.items()} if norm else {}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)


def matrix(
    counts: Sequence[Counter[str]], df: Mapping[str, int], docs: int
) -> tuple[csr_matrix, list[str]]:
    """All vectors as rows of a sparse matrix (columns are terms), for the full scan."""
    columns = {term: i for i, term in enumerate(sorted(df))}
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for one in counts:
        for term, weight in vector(one, df, docs).items():
            indices.append(columns[term])
            data.append(weight)
        indptr.append(len(indices))
    shape = (len(counts), len(columns))
    built = csr_matrix(
        (np.asarray(data, dtype=np.float64), np.asarray(indices), np.asarray(indptr)), shape=shape
    )
    return built, list(columns)
