"""Everyday-path benchmark: the commands a new user runs, on the real candidate pool.

Three set-ups, each in its own throw-away ``CHAINGRAPH_HOME``:

* **shipped** — a fresh install: the bundled graph with the candidate pool shipped in the package;
* **pool** — after ``chaingraph pool build`` from the ChainKnowledgeGraph refdata
  (``../shared/refdata/ChainKnowledgeGraph``: A-share firms with product lines and revenue
  shares), which replaces the shipped pool;
* **import** — the shipped pool plus a list of the same firms (name, full name, stock code,
  products) written as the CSV a planner would import, loaded with ``chaingraph import`` (the
  rows resolve to the pool's firms and add their own product links).

For each it prints the first command after the data changed (it builds the store and the
analysis snapshot) and the cold time of ``targets`` (default: every gap, table), ``report``
(the main job: summary, map and Excel list), ``viz`` and ``company`` as the best of ``--runs``
fresh processes (the machine is shared, so single runs are noisy; the range is printed too),
each as a ratio to the import floor ``python3 -c "import rdflib, networkx"``, in wall time and
in CPU time (user + system: on a machine shared with other work the wall time of both grows
with the load, the CPU time less).  The floor is run before each cold run and the ratio taken
to the best of those runs, so both are measured under the same load (the floor of the start,
best of 5, is printed too).
It prints figures; it is not a test.

    python benchmarks/pool.py                       # every set-up, 3 runs each
    python benchmarks/pool.py --setups pool --runs 5
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale import CLI, child_env, import_floor, load  # noqa: E402

REFDATA = ROOT.parent / "shared" / "refdata" / "ChainKnowledgeGraph"


def cold(args: list[str], home: Path) -> tuple[float, float, str, int]:
    """(wall seconds, CPU seconds, stdout, exit code) of ``chaingraph ARGS`` in a fresh process.

    CPU time (user + system of the process and its threads) is given beside the wall time:
    on a shared machine it varies less."""
    env = child_env(CHAINGRAPH_HOME=str(home))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CLI, *args], env=env, cwd=ROOT, capture_output=True)
    dt = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode:
        print(f"    ! chaingraph {' '.join(args)} -> {proc.returncode}: "
              f"{proc.stderr.decode('utf-8', 'replace').strip()[-300:]}")
    return dt, cpu, proc.stdout.decode("utf-8", "replace"), proc.returncode


def write_import_list(src: Path, out: Path, codes: set[str]) -> int:
    """The refdata firms whose stock codes are in ``codes`` as an import CSV; returns the rows.

    Products are each firm's product lines in the refdata (largest revenue share first, at most
    12), the columns those of ``chaingraph import``."""
    firms = {}
    for line in (src / "company.json").read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            firms.setdefault(str(d["code"]).split(".")[0].zfill(6), d)
    products: dict[str, list[tuple[float, str]]] = {}
    for line in (src / "company_product.json").read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            products.setdefault(d["company_code"].split(".")[0], []).append((-(d.get("rel_weight") or 0), d["product_name"]))
    n = 0
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "full_name", "stock_code", "products"])
        for code in sorted(codes):
            d = firms.get(code.split(".")[0])
            if d is None:
                continue
            names = [p for _, p in sorted(products.get(code.split(".")[0], []))]
            prods = "；".join(dict.fromkeys(p.replace("；", " ").replace(";", " ").replace("、", " ") for p in names))
            w.writerow([d["name"], d["fullname"], code, "；".join(prods.split("；")[:12])])
            n += 1
    return n


def pool_codes(home: Path) -> set[str]:
    """Stock codes of the firms in the pool file ``pool build`` wrote."""
    import re

    text = (home / "data" / "pool" / "chainkg.ttl").read_text(encoding="utf-8")
    return set(re.findall(r'cg:stockCode "([0-9]{6}\.[A-Z]{2})"', text))


def timed(label: str, args: list[str], home: Path, runs: int) -> float:
    """Best of ``runs`` cold runs of ``chaingraph ARGS``, each run right after a run of the import
    floor: the ratios are to the best of those floor runs, measured alongside under the same load
    (on a shared machine the load drifts over a run of this script; the floor measured at the
    start alone made a busy minute look like a slow command)."""
    walls, cpus, floor_walls, floor_cpus, failed = [], [], [], [], False
    for _ in range(runs):
        fw, fc = import_floor(0)
        floor_walls.append(fw)
        floor_cpus.append(fc)
        dt, cpu, _, code = cold(args, home)
        walls.append(dt)
        cpus.append(cpu)
        failed |= code != 0
    best, floor = min(walls), (min(floor_walls), min(floor_cpus))
    flag = "  FAILED" if failed else ""
    print(f"  {label:<36} {best:5.2f} s  {best / floor[0]:4.1f}x floor;  CPU {min(cpus):.2f} s  "
          f"{min(cpus) / floor[1]:4.1f}x floor CPU   (wall {best:.2f}–{max(walls):.2f} s, CPU {min(cpus):.2f}–"
          f"{max(cpus):.2f} s over {runs} runs; floor alongside {floor[0]:.2f} s, CPU {floor[1]:.2f} s){flag}")
    return best


def bench_setup(name: str, work: Path, runs: int, codes: set[str] | None) -> set[str]:
    home = work / f"home-{name}"
    shutil.rmtree(home, ignore_errors=True)
    if name == "shipped":
        print("\n== shipped: a fresh install (bundled graph + the pool shipped in the package)")
        code = 0
    elif name == "pool":
        dt, _, out, code = cold(["pool", "build", str(REFDATA), "--format", "json"], home)
        codes = pool_codes(home)
        firms = json.loads(out)["firms"] if not code else "?"
        print(f"\n== pool: `chaingraph pool build` ({firms:,} listed firms) {dt:.1f} s")
    else:
        csv_path = work / "listed-firms.csv"
        n = write_import_list(REFDATA, csv_path, codes or set())
        dt, _, _, code = cold(["import", str(csv_path)], home)
        print(f"\n== import: `chaingraph import` of {n:,} firms (the pool's firms as a CSV list) {dt:.1f} s")
    if code:
        return codes or set()
    print(f"  ({load()})")
    dt, _, _, _ = cold(["stats", "--format", "json"], home)
    print(f"  {'first command (store + snapshot)':<36} {dt:5.2f} s")
    out = work / f"out-{name}"
    _, _, text, _ = cold(["targets", "--format", "json"], home)
    rows = json.loads(text)["rows"] if text.strip() else []
    print(f"  ({len(rows):,} target rows over {len({r['segment'] for r in rows})} gaps at the default --top)")
    company = rows[0]["name"] if rows else "中京电子"
    timed("cold `targets` (table)", ["targets"], home, runs)
    timed("cold `targets --format json`", ["targets", "--format", "json"], home, runs)
    timed("cold `report`", ["report", "-o", str(out)], home, runs)
    timed("cold `viz`", ["viz", "-o", str(out / "map.html")], home, runs)
    timed(f"cold `company {company}`", ["company", company], home, runs)
    timed("cold `gaps`", ["gaps"], home, runs)
    return codes


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--setups", default="shipped,pool,import", help="Comma-separated: shipped, pool, import.")
    ap.add_argument("--runs", type=int, default=3, help="Cold runs per command (the best is reported).")
    ap.add_argument("--work", type=Path, default=None, help="Working folder (default: a temp dir, removed).")
    a = ap.parse_args(argv)
    if not REFDATA.is_dir():
        print(f"no refdata at {REFDATA}: nothing to measure")
        return 1
    setups = [s.strip() for s in a.setups.split(",") if s.strip()]
    work = a.work or Path(tempfile.mkdtemp(prefix="cg-pool-"))
    floor = import_floor()
    print(f"chaingraph everyday-path benchmark — {os.cpu_count()} CPUs ({load()}), "
          f"Python {sys.version.split()[0]}, import floor (python3 -c 'import rdflib, networkx', best of 5) "
          f"{floor[0]:.2f} s wall, {floor[1]:.2f} s CPU")
    try:
        codes: set[str] | None = None  # the pool's stock codes, for the import list
        for name in ("shipped", "pool", "import"):
            if name in setups:
                if name == "import" and not codes:
                    home = work / "home-codes"
                    cold(["pool", "build", str(REFDATA)], home)
                    codes = pool_codes(home)
                codes = bench_setup(name, work, a.runs, codes)
    finally:
        if a.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        sys.exit(main())
