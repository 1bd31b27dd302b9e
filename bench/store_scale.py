"""The national-scale figures of issue 16, measured by ``bench/store.py`` beside its import and
rating figures: each as a ratio against a peer measured in the same run, interleaved.

* ``inspect report --name`` against ``inspect run --name`` of the same inspection in the big
  store (target: at most 3x): the report pools the all-providers comparator from the store;
  the very first report after the import (timed apart) works out and keeps every other
  inspection's figures, the next ones read them;
* ``inspect run --inspection`` of a 10,000-case inspection, this version against the one
  before (``--baseline-python``, an interpreter of an environment holding it; target: at
  least 2x faster);
* the peak memory of ``inspect import`` of a 100,000-row inspection folder into a new SQLite
  store (target: under 300 MB), this version and the one before, each in its own process
  (``resource.getrusage`` of the child: its maximum resident set).

Every command runs as a fresh process, with the same interpreter for both sides of a ratio
(or the baseline's for the "before" side), after a warm-up run of each; the pairs alternate
which goes first. Standard library only.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

#: Runs the CLI as ``inspect`` would, with any interpreter that has hmip-inspect installed.
CLI = "import sys; sys.argv[0] = 'inspect'; from hmip_inspect.core.cli import main; main()"
#: Runs a command in a child and prints the child's peak resident set in KiB (Linux: ru_maxrss).
PEAK = ("import resource, subprocess, sys; "
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE); "
        "sys.stderr.write(done.stderr.decode()[-2000:]) if done.returncode else None; "
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


class ScaleError(Exception):
    """A command failed: its figure would not measure the work."""


def _cli(python: str, *args: str) -> list[str]:
    return [python, "-c", CLI, *args]


def _once(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise ScaleError(f"{' '.join(command[3:])} failed: {done.stderr.decode()[-500:]}")
    return seconds


def paired(a: list[str], b: list[str], repeat: int) -> tuple[float, float]:
    """Median seconds of ``a`` and of ``b``, run ``repeat`` times each, alternating which goes
    first, after one warm-up run of each."""
    _once(a)
    _once(b)
    times: dict[int, list[float]] = {0: [], 1: []}
    for round_ in range(repeat):
        order = (0, 1) if round_ % 2 == 0 else (1, 0)
        for side in order:
            times[side].append(_once((a, b)[side]))
    return statistics.median(times[0]), statistics.median(times[1])


def report_vs_run(python: str, db: str, name: str, repeat: int) -> dict:
    """``inspect report --name`` (HTML, to a file) against ``inspect run --name`` (JSON)."""
    out = Path(db).with_name("report.html") if "://" not in db else Path("/dev/null")
    report_command = _cli(python, "report", "--name", name, "--db", db, "--output", str(out))
    first = _once(report_command)   # the store keeps no pooled figures yet: it works them out
    run, report = paired(_cli(python, "run", "--name", name, "--db", db, "--format", "json"),
                         report_command, repeat)
    return {"run_s": round(run, 3), "report_s": round(report, 3), "ratio": round(report / run, 2),
            "first_report_s": round(first, 3), "inspection": name}


def big_run(python: str, baseline: str | None, folder: Path, repeat: int) -> dict:
    """``inspect run --inspection`` of a big folder: this version, and the baseline's."""
    args = ("run", "--inspection", str(folder), "--format", "json")
    if baseline is None:
        return {"new_s": round(statistics.median(_once(_cli(python, *args)) for _ in range(repeat)), 3)}
    old, new = paired(_cli(baseline, *args), _cli(python, *args), repeat)
    return {"old_s": round(old, 3), "new_s": round(new, 3), "speedup": round(old / new, 2)}


def peak_import(python: str, folder: Path, scratch: Path) -> float:
    """Peak resident memory (MB) of ``inspect import FOLDER`` into a new SQLite store."""
    scratch.mkdir(parents=True, exist_ok=True)
    db = scratch / f"peak-{time.monotonic_ns()}.sqlite"
    done = subprocess.run([sys.executable, "-c", PEAK,
                           *_cli(python, "import", str(folder), "--db", str(db), "--name", "peak")],
                          capture_output=True, text=True)
    status, _, kib = done.stdout.partition(" ")     # nothing where the measuring child failed
    if done.returncode or status != "0":
        raise ScaleError(f"import of {folder} failed: {done.stderr[-500:]}")
    for path in scratch.glob(db.name + "*"):
        path.unlink()
    return round(int(kib) / 1024, 1)


def memory(python: str, baseline: str | None, folder: Path, scratch: Path) -> dict:
    out = {"new_mb": peak_import(python, folder, scratch)}
    if baseline is not None:
        out["old_mb"] = peak_import(baseline, folder, scratch)
    return out
