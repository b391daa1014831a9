"""Which pairs are worth scoring, without comparing every project with every other.

Blocking by key terms: each project is represented by its few highest-weighted terms (its
"keys"), and only projects sharing a key are compared. Rare, telling terms are what a key is
made of, so the work grows with how many projects share each key, not with the square of the
corpus. Very common keys (used by more than ``max_block`` projects) block nothing. For each
project the ``shortlist`` others sharing the most key weight are compared exactly (cosine on the
full vectors, all at once in sparse algebra), and its ``top_k`` closest become candidates.

The same keys are stored on each project (``simKeys``) and indexed in Neo4j's full-text index,
so the incremental path finds a new project's candidates with one index query.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix

KEYS_PER_PROJECT = 8
SHORTLIST = 30
TOP_K = 5
MAX_BLOCK = 5000
CHUNK_ROWS = 2000
MIN_COSINE = 0.3
PART_ROWS = 10_000  # rows a worker process shortlists at a time
PARALLEL_FROM = 20_000  # rows; below, starting worker processes costs more than it saves
MAX_WORKERS = 4

log = logging.getLogger(__name__)
_ROOT = str(Path(__file__).resolve().parents[2])  # where the graph package is


def key_matrix(vectors: csr_matrix, keys: int = KEYS_PER_PROJECT) -> csr_matrix:
    """Each row with only its ``keys`` largest weights kept."""
    rows = vectors.tocsr(copy=True)
    for i in range(rows.shape[0]):
        start, end = rows.indptr[i], rows.indptr[i + 1]
        if end - start > keys:
            row = rows.data[start:end]
            cut = np.argpartition(row, end - start - keys)[: end - start - keys]
            row[cut] = 0.0
    rows.eliminate_zeros()
    return rows


def block_keys(keys: csr_matrix, max_block: int = MAX_BLOCK) -> csr_matrix:
    """Drop keys so common that blocking on them would compare nearly everything."""
    users = np.bincount(keys.indices, minlength=keys.shape[1])
    common = users > max_block
    if not common.any():
        return keys
    kept = keys.tocoo()
    mask = ~common[kept.col]
    return csr_matrix((kept.data[mask], (kept.row[mask], kept.col[mask])), shape=keys.shape)


def candidate_pairs(
    vectors: csr_matrix,
    *,
    top_k: int = TOP_K,
    shortlist: int = SHORTLIST,
    min_cosine: float = MIN_COSINE,
    keys_per_project: int = KEYS_PER_PROJECT,
    max_block: int = MAX_BLOCK,
    workers: int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j) sharing a key, each project's ``top_k`` closest, with exact cosines.

    The rows are shortlisted in parts, each part's pairs scored exactly. With ``workers`` > 1
    (by default one per CPU, from ``PARALLEL_FROM`` rows) the parts run in that many processes
    at once while this one waits (its event loop, if any, goes on writing). Either way the
    pairs and their cosines are the same: a pair's cosine is computed in its canonical order
    (i < j), whichever part finds it.
    """
    # The keys' product only ranks the shortlist: single precision is plenty, and half the memory.
    keys = block_keys(key_matrix(vectors, keys_per_project), max_block).astype(np.float32)
    keys_t = keys.T.tocsr()
    n = keys.shape[0]
    if workers is None:
        workers = default_workers(n)
    if workers > 1:
        found = _in_processes(keys, keys_t, vectors, shortlist, workers)
    else:
        found = [_part(keys, keys_t, vectors, 0, n, shortlist)]
    codes = np.concatenate([codes for codes, _ in found])
    cos = np.concatenate([cos for _, cos in found])
    if len(codes) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    order = np.argsort(codes, kind="stable")  # each pair once, i < j, in code order
    codes, cos = codes[order], cos[order]
    first = np.r_[True, codes[1:] != codes[:-1]]
    codes, cos = codes[first], cos[first]
    lo_ids, hi_ids = codes // n, codes % n
    keep = cos >= min_cosine
    return closest(lo_ids[keep], hi_ids[keep], cos[keep], top_k)


def default_workers(rows: int) -> int:
    """One process per CPU this process may use, for corpora large enough to pay for them."""
    if rows < PARALLEL_FROM:
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), MAX_WORKERS))


def _in_processes(
    keys: csr_matrix, keys_t: csr_matrix, vectors: csr_matrix, shortlist: int, workers: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """``_part`` over every row, in ``workers`` processes of this module at once (rows dealt
    out ``PART_ROWS`` at a time, in turn, so that each gets a like share of the work).

    Processes of their own (``python -m graph.similarity.candidates``), not ``multiprocessing``:
    its start methods either fork a process that has threads (the hub's) or import the
    caller's main module again in each worker, which runs any script without a main guard a
    second time. The matrices go through a scratch file, the pairs come back the same way.
    """
    n = keys.shape[0]
    parts = [(start, min(start + PART_ROWS, n)) for start in range(0, n, PART_ROWS)]
    shares = [parts[k::workers] for k in range(workers)]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [_ROOT, os.environ.get("PYTHONPATH")])),
    }
    with tempfile.TemporaryDirectory(prefix="convener-candidates-") as scratch:
        given = Path(scratch) / "matrices.pickle"
        given.write_bytes(pickle.dumps((keys, keys_t, vectors, shortlist), protocol=5))
        outputs = [Path(scratch) / f"pairs-{k}.pickle" for k in range(workers)]
        running = [
            subprocess.Popen(
                [sys.executable, "-m", __name__, str(given), str(out), json.dumps(share)],
                env=env,
                stderr=subprocess.PIPE,
            )
            for share, out in zip(shares, outputs, strict=True)
        ]
        errors = [proc.communicate()[1] for proc in running]
        if any(proc.returncode for proc in running):
            failed = next(e for proc, e in zip(running, errors, strict=True) if proc.returncode)
            log.warning("candidate workers failed, finding candidates here: %s", failed[-2000:])
            return [_part(keys, keys_t, vectors, 0, n, shortlist)]
        return [part for out in outputs for part in pickle.loads(out.read_bytes())]


def _worker(given: str, out: str, share: str) -> None:
    """A worker process: the pairs of its share of the rows, into ``out``."""
    keys, keys_t, vectors, shortlist = pickle.loads(Path(given).read_bytes())
    found = [
        _part(keys, keys_t, vectors, begin, end, shortlist) for begin, end in json.loads(share)
    ]
    Path(out).write_bytes(pickle.dumps(found, protocol=5))


def _part(
    keys: csr_matrix,
    keys_t: csr_matrix,
    vectors: csr_matrix,
    begin: int,
    end: int,
    shortlist: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct pairs (as codes ``i * n + j``, i < j) that rows ``begin`` to ``end``
    shortlist, with their exact cosines."""
    firsts: list[np.ndarray] = []
    seconds: list[np.ndarray] = []
    for start in range(begin, end, CHUNK_ROWS):
        shared = (keys[start : min(start + CHUNK_ROWS, end)] @ keys_t).tocsr()
        for local in range(shared.shape[0]):
            i = start + local
            lo, hi = shared.indptr[local], shared.indptr[local + 1]
            cols, vals = shared.indices[lo:hi], shared.data[lo:hi]
            keep = cols != i
            cols, vals = cols[keep], vals[keep]
            if len(cols) > shortlist:
                best = np.argpartition(vals, len(vals) - shortlist)[-shortlist:]
                cols = cols[best]
            firsts.append(np.full(len(cols), i, dtype=np.int64))
            seconds.append(cols.astype(np.int64))
    if not firsts:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    a, b = np.concatenate(firsts), np.concatenate(seconds)
    n = vectors.shape[0]
    codes = _distinct(np.minimum(a, b) * n + np.maximum(a, b))
    if len(codes) == 0:
        return codes, np.zeros(0)
    lo_ids, hi_ids = codes // n, codes % n
    cos = np.asarray(vectors[lo_ids].multiply(vectors[hi_ids]).sum(axis=1)).ravel()
    return codes, cos


def _distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique`` by sorting: numpy 2.4's hashing took 5 s on the 3 million pairs of a
    100k-project scan, a sort takes 0.2 s."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def closest(
    firsts: np.ndarray, seconds: np.ndarray, cos: np.ndarray, top_k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs among each project's ``top_k`` closest (a pair stays if either side keeps it).

    Each pair's place in the order "closest first, ties by position" becomes one integer, so
    that one sort by project and that place ranks every project's pairs (a sort on three keys,
    one of them a float, took 3 s at 100k projects)."""
    m = len(cos)
    if m == 0:
        return firsts, seconds, cos
    place = np.empty(m, dtype=np.int64)
    place[np.argsort(-cos, kind="stable")] = np.arange(m)
    rows = np.concatenate([firsts, seconds]).astype(np.int64)
    which = np.concatenate([np.arange(m), np.arange(m)])
    order = np.argsort(rows * m + place[which], kind="stable")
    rows, which = rows[order], which[order]
    position = np.arange(len(rows))
    starts = np.maximum.accumulate(np.where(np.r_[True, rows[1:] != rows[:-1]], position, 0))
    kept = _distinct(which[position - starts < top_k])
    return firsts[kept], seconds[kept], cos[kept]


def row_keys(vectors: csr_matrix, terms: list[str], row: int, keys: int = KEYS_PER_PROJECT) -> str:
    """A project's keys as the space-separated text stored in ``simKeys``."""
    lo, hi = vectors.indptr[row], vectors.indptr[row + 1]
    cols, vals = vectors.indices[lo:hi], vectors.data[lo:hi]
    order = np.argsort(-vals, kind="stable")[:keys]
    return " ".join(sorted(terms[c] for c in cols[order]))


if __name__ == "__main__":
    _worker(*sys.argv[1:4])
