"""The organisation-name evaluation on its report split keeps a floor (eval/organisations.py).

The labelled names come from real registers (eval/data/README.md); the floors sit a little
below the figures the README quotes, so a change that loses ground fails here.
"""

from __future__ import annotations

from eval.organisation_names import build, read
from eval.organisations import RIGHT, WRONG, evaluate


def test_report_split_resolves_right_and_rarely_merges_wrongly() -> None:
    by_kind, overall, wrong = evaluate("report")
    assert overall.total > 2000
    assert overall.share(RIGHT) >= 0.95
    assert overall.share(WRONG) <= 0.005, wrong[:10]
    for kind in ("abbreviation", "short_form", "former_name", "typo", "ccg_rename"):
        assert by_kind[kind].share(RIGHT) >= 0.9, kind
    for kind in ("negative_held_out", "negative_shared_place", "negative_site"):
        assert by_kind[kind].share(WRONG) == 0.0, kind


def test_matching_beats_exact_names_by_far() -> None:
    _, exact, _ = evaluate("report", baseline=True)
    _, matched, _ = evaluate("report")
    assert matched.share(RIGHT) - exact.share(RIGHT) > 0.5


def test_the_committed_labelled_set_is_the_one_the_generator_makes() -> None:
    assert read() == build()


def test_every_variant_of_one_body_falls_on_one_side_of_the_split() -> None:
    sides: dict[str, set[str]] = {}
    for item in read():
        sides.setdefault(item.body, set()).add(item.split)
    assert all(len(split) == 1 for split in sides.values())
