"""Retirement: after a complete pull, what the source no longer lists is retired for that
source, unless that would be more than a set share of it (then nothing is, and the run is
flagged)."""

from __future__ import annotations

from graph.ingest.batches import BatchWriter
from graph.ingest.options import IngestOptions
from graph.ingest.runs import SyncSummary


async def retire_missing(
    active: set[str],
    listed: set[str],
    run: SyncSummary,
    writer: BatchWriter,
    dry_run: bool,
    options: IngestOptions,
    unidentified: set[str | None],
) -> None:
    """Retire what the source no longer lists, unless that is too much of it.

    A rejected record that names no ref might be any record of its kind (of any kind when it
    names none), so records of that kind are not retired this time; the run says so.
    """
    missing = sorted(active - listed)
    held = [key for key in missing if None in unidentified or _kind_of(key) in unidentified]
    if held:
        kinds = "records" if None in unidentified else " and ".join(sorted(unidentified)) + "s"
        run.notes.append(
            f"{len(held)} {kinds} missing from this pull were not retired: some rejected "
            "rows name no ref, so they may be those records."
        )
        missing = sorted(set(missing) - set(held))
    if not missing:
        return
    share = len(missing) / len(active)
    if share > options.max_retire_share:
        kept = "a sync would retire none of them" if dry_run else "nothing was retired"
        run.flag_reason = (
            f"this pull would retire {len(missing)} of {len(active)} records "
            f"({share:.0%}), more than the allowed {options.max_retire_share:.0%}; "
            f"{kept}. Check the source, then sync again."
        )
        run.would_retire = missing
        return
    run.would_retire = missing
    if dry_run:
        run.retired = len(missing)
        return
    await writer.retire(missing)
    run.retired = len(missing)
    for key in missing:
        source_id, kind, ref = key.split("|", 2)
        if kind == "project":
            run.changed_projects.append(f"{source_id}:{ref}")


def _kind_of(key: str) -> str:
    return key.split("|", 2)[1]
