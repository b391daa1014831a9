"""Right, wrong merge and left apart for organisation names, per variant kind.

    .venv/bin/python -m eval.organisations [--split report|tune|all]

Loads the registers of eval/data (less the held-out bodies) into the same index ingestion
uses (graph.resolution.OrganisationIndex), then resolves every labelled name of the split
without its code (eval/organisation_names.py says how the names were made). A name labelled
with a body is *right* when it resolves to that body, a *wrong merge* when it resolves to
another, *left apart* when it resolves to none (new, or ambiguous). A name labelled with no
body (a hard negative) is right when left apart and a wrong merge otherwise. Tune rules and
thresholds on ``--split tune`` only; ``report`` is what the README and the test quote.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass, field

from connectors.records import OrganisationRecord
from eval.organisation_names import bodies, held_out_codes, read, register_rows
from graph.organisations.matcher import NameMatcher
from graph.resolution import OrganisationIndex

RIGHT, WRONG, APART = "right", "wrong merge", "left apart"


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, outcome: str) -> float:
        return self.counts[outcome] / self.total if self.total else 0.0


def register_index(baseline: bool = False) -> OrganisationIndex:
    """The evaluation's register, as a hub knows it after syncing the register sources.

    ``baseline``: exact normalised names only, as resolution was before name matching.
    """
    index = OrganisationIndex(aliases={})
    held_out = held_out_codes(bodies())
    for row in register_rows(held_out):
        record = OrganisationRecord.model_validate(row)
        match = index.resolve(record.name, record.ods_code, record.org_type)
        index.learn(match.id, record)
        for key in index.name_keys(record.name, record.aliases):
            index.remember(match.id, key, record.ods_code)
    if baseline:
        index.matcher = NameMatcher()
    return index


def outcome(index: OrganisationIndex, name: str, expected: str) -> tuple[str, str | None]:
    found, _ = index.find(name, None)
    got = found.id.removeprefix("ods:") if found else None
    if got is None:
        return (RIGHT if not expected else APART), None
    return (RIGHT if got == expected else WRONG), got


def evaluate(
    split: str = "report", baseline: bool = False
) -> tuple[dict[str, Tally], Tally, list[tuple[str, ...]]]:
    index = register_index(baseline)
    by_kind: dict[str, Tally] = {}
    overall = Tally()
    wrong: list[tuple[str, ...]] = []
    for item in read():
        if split != "all" and item.split != split:
            continue
        result, got = outcome(index, item.name, item.expected)
        by_kind.setdefault(item.variant, Tally()).counts[result] += 1
        overall.counts[result] += 1
        if result == WRONG:
            wrong.append((item.variant, item.name, item.expected or "(apart)", got or ""))
    return by_kind, overall, wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["report", "tune", "all"], default="report")
    parser.add_argument("--show-wrong", action="store_true", help="list every wrong merge")
    parser.add_argument(
        "--baseline", action="store_true", help="exact normalised names only (before matching)"
    )
    args = parser.parse_args()
    by_kind, overall, wrong = evaluate(args.split, args.baseline)
    print(f"split: {args.split}" + (" (baseline: exact names only)" if args.baseline else ""))
    print(f"{'variant kind':<24}{'names':>7}{'right':>9}{'wrong merge':>13}{'left apart':>12}")
    for kind, tally in sorted(by_kind.items()):
        print(_row(kind, tally))
    print(_row("overall", overall))
    if args.show_wrong:
        for variant, name, expected, got in wrong:
            print(f"  wrong merge [{variant}] {name!r}: expected {expected}, got {got}")


def _row(label: str, tally: Tally) -> str:
    return (
        f"{label:<24}{tally.total:>7}{tally.share(RIGHT):>9.1%}"
        f"{tally.share(WRONG):>13.2%}{tally.share(APART):>12.1%}"
    )


if __name__ == "__main__":
    main()
