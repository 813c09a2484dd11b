"""Scale benchmark: embedded store vs plain rdflib, cold CLI vs warm library, and a SPARQL server.

For each size it generates a synthetic province (``benchmarks/synth.py``: firms with segments,
segment links, supply and referral ties) and prints, side by side: load throughput of the store
build vs ``rdflib.Graph().parse`` of the same file (ratio); ``chaingraph build`` (store plus
analysis snapshot) against pyoxigraph's own ``bulk_load`` of the same files; the cold CLI
(best wall and CPU time of ``--runs`` fresh processes, each as a ratio to the import floor
``python3 -c "import rdflib, networkx"``) of ``stats``, ``gaps``, ``targets`` for one segment,
the default ``targets`` (every gap, table and JSON), ``viz`` and ``report``; warm library calls;
peak RSS.  The machine is often shared: the load average is printed, and CPU time (user +
system) varies much less with the load than wall time.
With ``--pool N`` a candidate pool is generated too; with Virtuoso installed the same commands
run against a throw-away server (loaded through the Graph Store protocol), and ``targets`` for
one segment is timed against the pool there.  It prints figures; it is not a test.

    python benchmarks/scale.py --sizes 1000,10000 --pool 0          # quick
    python benchmarks/scale.py --sizes 1000,10000,100000 --pool 1000000
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
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

import synth  # noqa: E402

# The child reports its own peak RSS (VmHWM): rusage's ru_maxrss of a child started by fork
# includes the parent's size at the fork (Linux folds the old mm's high-water mark in at exec).
CLI = ("import atexit, sys\n"
       "def _hwm():\n"
       "    for line in open('/proc/self/status'):\n"
       "        if line.startswith('VmHWM:'): sys.stderr.write('\\n@@VmHWM ' + line.split()[1] + '\\n')\n"
       "atexit.register(_hwm)\n"
       "from chaingraph.cli import run; run()")


def child_env(**extra) -> dict:
    """The environment of a timed child: like an installed package, modules are loaded from
    compiled bytecode (a ``PYTHONDONTWRITEBYTECODE`` set in this shell would make every
    command compile chaingraph's modules again: 0.1-0.2 s), kept in a cache folder outside
    the source tree (``PYTHONPYCACHEPREFIX``)."""
    env = dict(os.environ, **extra)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "chaingraph-bench-pycache"))
    return env


def import_floor(runs: int = 5) -> tuple[float, float]:
    """Best wall and CPU time (user + system) of a fresh ``python3 -c "import rdflib, networkx"``
    (what any command pays)."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(runs + 1):  # the first run compiles into the bytecode cache
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import rdflib, networkx"], check=True, env=child_env())
        best = min(best, time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best_cpu = min(best_cpu, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return best, best_cpu


def load() -> str:
    """The load averages (1, 5, 15 min): how busy the machine was."""
    return "load average " + ", ".join(f"{x:.1f}" for x in os.getloadavg())


def cold(args: list[str], home: Path, *, stderr: list | None = None, cpu: list | None = None) -> tuple[float, float, int]:
    """(seconds, peak RSS MB of that process, exit code) of ``chaingraph ARGS`` in a fresh process.

    ``stderr``, when given, receives the process's stderr text; ``cpu`` the process's CPU
    seconds (user + system)."""
    env = child_env(CHAINGRAPH_HOME=str(home))
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CLI, *args], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    dt = time.perf_counter() - t
    code = os.waitstatus_to_exitcode(status)
    hwm = re.search(r"@@VmHWM (\d+)", err)
    peak = int(hwm.group(1)) / 1024 if hwm else usage.ru_maxrss / 1024
    err = re.sub(r"\n?@@VmHWM \d+\n?", "", err)
    proc.returncode = code
    if stderr is not None:
        stderr.append(err)
    if cpu is not None:
        cpu.append(usage.ru_utime + usage.ru_stime)
    if code:
        print(f"    ! chaingraph {' '.join(args)} -> {code}: {err.strip()[-300:]}")
    return dt, peak, code


def warm(fn, repeat: int = 2) -> float:
    fn()
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def library_calls(graph, park: str, segment: str):
    from chaingraph.analysis.context import build_context
    from chaingraph.analysis.gaps import find_gaps

    def gaps():
        return find_gaps(build_context(graph, park=park))

    def targets():
        from chaingraph.analysis.targets import rank_targets, target_facts

        ctx = build_context(graph, park=park)
        return rank_targets(ctx, segment=segment, top=10, facts=target_facts(graph, [segment]))

    return gaps, targets


def row(label: str, value: str) -> None:
    print(f"  {label:<44} {value}")


BUILD_RUNS = 3
"""Store builds timed per size (the ratio is given for the slowest and the fastest)."""


FLOOR = (0.0, 0.0)
"""Import floor (wall, CPU) measured at the start of the run (:func:`import_floor`)."""


def timed(label: str, args: list[str], home: Path, runs: int) -> None:
    """Best wall and CPU time of ``runs`` cold runs, each as a ratio to the import floor."""
    walls, cpus, peaks, failed = [], [], [], False
    for _ in range(runs):
        cpu: list[float] = []
        dt, rss, code = cold(args, home, cpu=cpu)
        walls.append(dt)
        cpus.append(cpu[0])
        peaks.append(rss)
        failed |= code != 0
    w, c = min(walls), min(cpus)
    row(label, f"{w:5.2f} s {w / FLOOR[0]:4.1f}x floor; CPU {c:5.2f} s {c / FLOOR[1]:4.1f}x floor CPU; "
               f"peak {max(peaks):.0f} MB  (wall {w:.2f}–{max(walls):.2f}, CPU {c:.2f}–{max(cpus):.2f} over {runs})"
               + ("  FAILED" if failed else ""))


BULK_CPU = [0.0]
"""CPU seconds (user + system, every thread) of the last :func:`bulk_load_time`."""


def bulk_load_time(d: Path, store_dir: Path) -> float:
    """Seconds pyoxigraph's own ``bulk_load`` takes for the files ``chaingraph build`` loads
    (bundled + the synthetic folder) into a fresh on-disk store (its CPU seconds: :data:`BULK_CPU`)."""
    import pyoxigraph as ox

    from chaingraph.store import GraphSource

    shutil.rmtree(store_dir, ignore_errors=True)
    files = GraphSource(data_dirs=(d,), include_user=False).files()
    before = resource.getrusage(resource.RUSAGE_SELF)
    t = time.perf_counter()
    st = ox.Store(str(store_dir))
    for f in files:
        st.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE, base_iri=Path(f).resolve().as_uri())
    st.flush()
    dt = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_SELF)
    BULK_CPU[0] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    del st
    shutil.rmtree(store_dir, ignore_errors=True)
    return dt


def bench_size(n: int, work: Path, seed: int, rdflib_max: int, runs: int = 2) -> None:
    import rdflib

    from chaingraph.store import disk
    from chaingraph.store import GraphSource, open_graph

    d = work / f"province-{n}"
    d.mkdir(parents=True, exist_ok=True)
    info = synth.write_province(d / "province.ttl", n, seed=seed)
    size_mb = (d / "province.ttl").stat().st_size / 1e6
    print(f"\n== {n:,} firms: {info['triples']:,} triples ({size_mb:.0f} MB N-Triples), {info['parks']} parks, "
          f"{info['segment_links']:,} segment links; {load()}")

    builds = []
    for _ in range(BUILD_RUNS):  # disk writes make single runs vary by 20 %
        t = time.perf_counter()
        b = disk.build_store([d / "province.ttl"], root=work / f"store-{n}", force=True)
        builds.append(time.perf_counter() - t)
    fast, slow = min(builds), max(builds)
    row(f"store build (Oxigraph bulk load, {BUILD_RUNS} runs)",
        f"{fast:.2f}–{slow:.2f} s  {b.triples / slow:,.0f}–{b.triples / fast:,.0f} triples/s")
    if info["triples"] <= rdflib_max:
        t = time.perf_counter()
        rdflib.Graph().parse(d / "province.ttl", format="turtle")
        t_rdf = time.perf_counter() - t
        row("plain rdflib.Graph().parse", f"{t_rdf:.2f} s  {info['triples'] / t_rdf:,.0f} triples/s")
        row("ratio build / rdflib (slowest–fastest build)", f"{t_rdf / slow:.1f}–{t_rdf / fast:.1f}x faster")
    else:
        row("plain rdflib.Graph().parse", f"skipped (> --rdflib-max {rdflib_max:,} triples)")

    t_bulk = bulk_load_time(d, work / f"bulk-{n}")
    row("pyoxigraph's own bulk_load of the same files", f"{t_bulk:.2f} s (CPU {BULK_CPU[0]:.1f} s)")

    home = work / f"home-{n}"
    base = ["--no-user-data", "--data", str(d)]
    said: list[str] = []
    cpu: list[float] = []
    t_cli, rss, _ = cold([*base, "build"], home, stderr=said, cpu=cpu)
    row("cold `chaingraph build` (bundled + synthetic)",
        f"{t_cli:.2f} s (CPU {cpu[0]:.1f} s)  {t_cli / t_bulk:.1f}x bulk_load (CPU {cpu[0] / BULK_CPU[0]:.1f}x)  "
        f"peak {rss:.0f} MB")
    m = re.search(r"store built: .* in ([0-9.]+) s", "".join(said))
    row("  of which the store", f"{m.group(1)} s" if m else "?")
    m = re.search(r"indexed .* in ([0-9.]+) s", "".join(said))
    beside = re.search(r"indexed .* beside the load \(([0-9.]+) s beside it", "".join(said))
    if beside:  # made from the files parsed in a thread beside the bulk load (part of the store's time)
        row("  of which the analysis snapshot (once per build)",
            f"{beside.group(1)} s after the pass over the files, beside the load")
    else:
        row("  of which the analysis snapshot (once per build)", f"{m.group(1)} s" if m else "?")
    park = ["--park", info["park_label"]]
    out = work / f"out-{n}"
    for label, cmd in (
        ("stats", ["stats", "--format", "json"]),
        ("gaps", ["gaps", *park, "--format", "json"]),
        ("targets one segment --top 10", ["targets", "--segment", info["segment"], "--top", "10", *park, "--format", "json"]),
        ("targets (default: every gap, table)", ["targets", *park]),
        ("targets --format json", ["targets", *park, "--format", "json"]),
        ("viz", ["viz", *park, "-o", str(out / "map.html")]),
        ("report", ["report", *park, "-o", str(out / "report")]),
    ):
        timed(f"cold `{label}`", [*base, *cmd], home, runs)

    os.environ["CHAINGRAPH_HOME"] = str(home)
    t = time.perf_counter()
    graph = open_graph(GraphSource(data_dirs=(d,), include_user=False))
    row("open store in-process", f"{(time.perf_counter() - t) * 1000:.0f} ms")
    gaps, targets = library_calls(graph, info["park_label"], info["segment"])
    t = time.perf_counter()
    gaps()
    row("first library gaps (loads the snapshot)", f"{time.perf_counter() - t:.2f} s")
    row("warm library gaps (build_context + find_gaps)", f"{warm(gaps):.2f} s")
    row("warm library targets (one segment)", f"{warm(targets):.2f} s")
    row("peak RSS of this process so far", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


SETTLE = 30
"""Seconds the server is left alone after the load before commands are timed (see bench_server)."""


def bench_server(work: Path, sizes: list[int], pool: int, seed: int) -> None:
    try:
        sys.path.insert(0, str(ROOT / "tests"))
        from test_remote_virtuoso import Virtuoso
    except Exception as exc:  # pragma: no cover
        print(f"\n(no Virtuoso launcher: {exc})")
        return
    if shutil.which("virtuoso-t") is None:
        print("\n(virtuoso-t not installed: server figures skipped)")
        return
    n = sizes[0]
    d = work / f"server-{n}"
    d.mkdir(parents=True, exist_ok=True)
    info = synth.write_province(d / "province.ttl", n, seed=seed)
    if pool:
        t = time.perf_counter()
        p = synth.write_pool(d / "pool.ttl", pool, seed=seed + 4)
        print(f"\n== server: {n:,} firms + pool of {pool:,} candidates ({info['triples'] + p['triples']:,} triples; "
              f"generated in {time.perf_counter() - t:.0f} s)")
    else:
        print(f"\n== server: {n:,} firms ({info['triples']:,} triples)")
    home = work / "home-server"
    with Virtuoso(buffers=200000) as v:
        gsp = v.endpoint.rsplit("/", 1)[0] + "/sparql-graph-crud"
        base = ["--no-user-data", "--data", str(d), "--endpoint", v.endpoint]
        t_l, rss, _ = cold([*base, "build", "--graph-store", gsp, "--format", "json"], home)
        row("load via Graph Store protocol (cold CLI)", f"{t_l:.1f} s  peak {rss:.0f} MB")
        # Virtuoso samples its indexes again shortly after a bulk load; a plan compiled before
        # that can be several times slower and stays cached for that query text.
        time.sleep(SETTLE)
        for cmd in (["company", "合成企业1"], ["gaps"], ["targets", "--segment", info["segment"], "--top", "10"]):
            extra = [] if cmd[0] == "company" else ["--park", info["park_label"]]
            runs = [cold([*base, *cmd, *extra, "--format", "json"], home) for _ in range(3)]
            times = sorted(r[0] for r in runs)
            failed = "" if all(r[2] == 0 for r in runs) else " (failed)"
            row(f"cold CLI `{cmd[0]}` against Virtuoso (3 runs)",
                f"{times[0]:.2f}–{times[-1]:.2f} s  peak {max(r[1] for r in runs):.0f} MB{failed}")


def main(argv=None) -> int:
    global FLOOR, BUILD_RUNS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000", help="Firm counts, comma-separated.")
    ap.add_argument("--pool", type=int, default=1_000_000, help="Candidate pool size on the server (0: none).")
    ap.add_argument("--no-server", action="store_true", help="Skip the Virtuoso figures.")
    ap.add_argument("--rdflib-max", type=int, default=5_000_000, help="Skip plain rdflib parsing above this many triples.")
    ap.add_argument("--quick", action="store_true", help="1k and 10k firms, a 10k-candidate pool on the server.")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=2, help="Cold runs per command (the best is reported).")
    ap.add_argument("--build-runs", type=int, default=BUILD_RUNS, help="Store builds timed per size.")
    ap.add_argument("--work", type=Path, default=None, help="Working folder (default: a temp dir, removed).")
    a = ap.parse_args(argv)
    if a.quick:
        a.sizes, a.pool = "1000,10000", min(a.pool, 10_000)
    sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
    work = a.work or Path(tempfile.mkdtemp(prefix="cg-scale-"))
    FLOOR, BUILD_RUNS = import_floor(), a.build_runs
    print(f"chaingraph scale benchmark — {os.cpu_count()} CPUs ({load()}), Python {sys.version.split()[0]}, "
          f"work dir {work}; import floor (python3 -c 'import rdflib, networkx', best of 5) "
          f"{FLOOR[0]:.2f} s wall, {FLOOR[1]:.2f} s CPU")
    try:
        for n in sizes:
            bench_size(n, work, a.seed, a.rdflib_max, a.runs)
        if not a.no_server:
            bench_server(work, sizes, a.pool, a.seed)
    finally:
        if a.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        sys.exit(main())
