"""Held-out extraction quality: articles about other parks and firms than the seeds.

The floors sit slightly below the scores reached, so a regression fails.  Rules were tuned
on the dev half (01–05) only; the test half (06–10) is a check, never a tuning target.
"""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("extraction_heldout", ROOT / "benchmarks" / "extraction_heldout.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

FLOORS = {
    ("heldout", "dev"): {"firms": 0.97, "alias links": 0.95, "referral": 0.95, "supply": 0.95,
                         "relocation": 0.95, "visit": 0.95, "project": 0.92},
    ("heldout", "test"): {"firms": 0.97, "alias links": 0.88, "referral": 0.83, "supply": 0.95,
                          "relocation": 0.95, "visit": 0.95, "project": 0.92},
    # heldout2 was written before the second round; its test half was measured once, at the end
    ("heldout2", "dev"): {"firms": 0.97, "alias links": 0.95, "referral": 0.95, "supply": 0.95,
                          "relocation": 0.95, "visit": 0.95, "project": 0.90},
    ("heldout2", "test"): {"firms": 0.95, "alias links": 0.95, "referral": 0.80, "supply": 0.83,
                           "relocation": 0.95, "visit": 0.88, "project": 0.62},
}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def scores(request):
    set_name, split = request.param
    return request.param, bench.run(split, set_name=set_name)


@pytest.mark.slow  # extraction scoring
def test_heldout_f1_floors(scores):
    which, res = scores
    low = {k: round(res[k][1][2], 2) for k, floor in FLOORS[which].items() if res[k][1][2] < floor}
    assert not low, f"{which}: F1 below floor: {low}"


def test_heldout_gold_is_consistent():
    import json

    paths = [p for d, _ in bench.SETS.values() for p in sorted(d.glob("*.gold.json"))]
    assert len(paths) == 18
    for gold_path in paths:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        names = {f["name"] for f in gold["firms"]}
        for r in gold["relations"]:
            assert r["type"] in ("referral", "supply", "relocation", "visit", "investment", "project")
            firm_ends = {"referral": ("source", "target"), "supply": ("source", "target"),
                         "relocation": ("source",), "investment": ("source",), "visit": ("target",)}
            for end in firm_ends[r["type"]]:
                assert r[end] in names, (gold_path.name, r)
