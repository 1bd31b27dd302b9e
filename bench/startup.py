"""Start-up benchmark for ``inspect run --profile crc --format json``.

What it measures
    The wall-clock time of the CLI's main job, rating the bundled synthetic CRC
    inspection and printing it as JSON, run as a fresh process each time (so it
    includes interpreter start-up, imports, plugin discovery, catalogue and profile
    loading, rating and rendering).

Why a baseline
    An absolute time in milliseconds says little: it moves with the machine, its
    load and the Python version. So each run also times, in the same interpreter,

        python -c "import typer, pluggy, structlog"

    that is, the interpreter starting and importing the three libraries the
    framework is built on, which no version of this CLI can avoid. The figure
    reported is ``median(inspect) / median(baseline)``; the target is 1.4 or
    less: the framework's own work (its modules, plugins, TOML catalogues and the
    rating itself) should add at most 40% to what the interpreter spends
    importing its three libraries.

    Both sides run from compiled bytecode. The libraries have it from pip; an editable
    install of this project does not, and where ``PYTHONDONTWRITEBYTECODE`` is set
    (as on this workplace's machines) the interpreter would recompile every module of
    the project on every run. So the benchmark first compiles the installed package
    (``compileall``, what pip does for a regular install) and measures the CLI as
    users of an installed release run it.

    The parsed catalogues are kept in the user's cache folder (``core/tomlfile.py``), so
    the warm-up runs fill it and the timed runs read from it, as a user's second and later
    runs do; ``--no-cache`` times every run as a first run after an install.

    The two commands are interleaved (A, B, A, B, ...) after a few warm-up runs
    of each, so that noise on the machine (other processes, CPU frequency, disk
    cache) falls on both alike; the median of each discards the outliers.

How to run
    From the environment where hmip-inspect is installed:

        python bench/startup.py                 # 21 pairs, human-readable
        python bench/startup.py --repeats 51    # more pairs, steadier medians
        python bench/startup.py --json          # the numbers as JSON
        python bench/startup.py --no-cache      # every run parses the catalogues

    The ``inspect`` console script beside ``sys.executable`` is used; failing
    that, the CLI is run as ``python -c "from hmip_inspect.core.cli.app import main;
    main()" ...`` (the module has no ``__main__`` block, so ``python -m`` would
    not run it). The exit status is 0 whatever the ratio: this is a measurement,
    not a test. It is non-zero only if the ``inspect`` command fails, or if its
    output is not JSON with ``overall.score``.

Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

TARGET = 1.4
BASELINE_CODE = "import typer, pluggy, structlog"
CLI_ARGS = ["run", "--profile", "crc", "--format", "json"]
FALLBACK_CODE = "from hmip_inspect.core.cli.app import main; main()"


class BenchError(Exception):
    """The command under test failed; the benchmark cannot report a meaningful time."""


def _same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _script_interpreter(script: Path) -> str | None:
    """The interpreter named on a console script's ``#!`` line, if it has one."""
    try:
        with open(script, "rb") as fh:
            first = fh.readline(4096)
    except OSError:
        return None
    if not first.startswith(b"#!"):
        return None
    parts = first[2:].decode(errors="replace").strip().split()
    return parts[0] if parts else None


def inspect_command() -> tuple[list[str], str]:
    """The command line for ``inspect`` (without its arguments) and how it was found.

    Prefers the installed console script in the same scripts folder as
    ``sys.executable`` (so it runs under the same interpreter as the baseline);
    falls back to running the CLI's ``main`` through ``sys.executable -c``.
    """
    folders = []
    for folder in (Path(sys.executable).parent, sysconfig.get_path("scripts")):
        if folder and str(folder) not in folders:
            folders.append(str(folder))
    for folder in folders:
        found = shutil.which("inspect", path=folder)
        if not found:
            continue
        interpreter = _script_interpreter(Path(found))
        # A console script made for another interpreter would not be a fair comparison.
        if interpreter is None or _same_file(interpreter, sys.executable) or os.name == "nt":
            return [found], f"console script {found}"
    return [sys.executable, "-c", FALLBACK_CODE], f"{sys.executable} -c {FALLBACK_CODE!r}"


def _time(cmd: list[str], check_output: bool, env: dict[str, str] | None = None) -> float:
    """Run ``cmd`` once; return its wall-clock time in seconds."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise BenchError(f"{shlex.join(cmd)} exited with status {proc.returncode}\n"
                         f"{proc.stderr.decode(errors='replace').strip()}")
    if check_output:
        try:
            data = json.loads(proc.stdout)
            score = data["overall"]["score"]
        except (ValueError, KeyError, TypeError) as exc:
            raise BenchError(f"{shlex.join(cmd)}: stdout is not JSON with overall.score ({exc!r})\n"
                             f"{proc.stdout[:500].decode(errors='replace')}") from None
        if not isinstance(score, (int, float)):
            raise BenchError(f"{shlex.join(cmd)}: overall.score is {score!r}, not a number")
    return elapsed


def compile_package() -> None:
    """Compile hmip_inspect's modules to bytecode, as a regular (non-editable) install does."""
    import compileall
    import importlib.util

    for name in ("hmip_inspect.core", "hmip_inspect.plugins"):
        spec = importlib.util.find_spec(name)
        for location in spec.submodule_search_locations or ():
            compileall.compile_dir(location, quiet=1)


def measure(repeats: int, warmup: int, cache: bool = True) -> dict:
    cli, how = inspect_command()
    inspect_cmd = cli + CLI_ARGS
    baseline_cmd = [sys.executable, "-c", BASELINE_CODE]
    env = None if cache else {**os.environ, "HMIP_CACHE_DIR": ""}

    # Warm-up: fill the OS file cache and write any missing .pyc files. The
    # inspect output is checked on every run, warm-up included.
    for _ in range(warmup):
        _time(inspect_cmd, check_output=True, env=env)
        _time(baseline_cmd, check_output=False)

    inspect_times: list[float] = []
    baseline_times: list[float] = []
    for _ in range(repeats):
        inspect_times.append(_time(inspect_cmd, check_output=True, env=env))
        baseline_times.append(_time(baseline_cmd, check_output=False))

    inspect_ms = statistics.median(inspect_times) * 1000
    baseline_ms = statistics.median(baseline_times) * 1000
    ratio = inspect_ms / baseline_ms
    return {
        "python": sys.executable,
        "python_version": sys.version.split()[0],
        "inspect_command": how,
        "inspect_args": CLI_ARGS,
        "baseline_command": f"{sys.executable} -c {BASELINE_CODE!r}",
        "repeats": repeats,
        "warmup": warmup,
        "catalogue_cache": cache,
        "inspect_median_ms": round(inspect_ms, 1),
        "baseline_median_ms": round(baseline_ms, 1),
        "inspect_min_ms": round(min(inspect_times) * 1000, 1),
        "baseline_min_ms": round(min(baseline_times) * 1000, 1),
        "ratio": round(ratio, 2),
        "target": TARGET,
        "met": ratio <= TARGET,
    }


def report(r: dict) -> str:
    return "\n".join([
        f"python     {r['python']} ({r['python_version']})",
        f"inspect    {r['inspect_command']} {' '.join(r['inspect_args'])}",
        f"baseline   {r['baseline_command']}",
        f"runs       {r['repeats']} interleaved pairs after {r['warmup']} warm-up runs of each"
        f"{'' if r['catalogue_cache'] else ' (no catalogue cache)'}",
        "",
        f"inspect   median {r['inspect_median_ms']:8.1f} ms  (min {r['inspect_min_ms']:.1f})",
        f"baseline  median {r['baseline_median_ms']:8.1f} ms  (min {r['baseline_min_ms']:.1f})",
        f"ratio     {r['ratio']:.2f}  (target <= {r['target']}: {'met' if r['met'] else 'NOT met'})",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", "-n", type=int, default=21,
                        help="timed (inspect, baseline) pairs; default 21")
    parser.add_argument("--warmup", type=int, default=2,
                        help="untimed warm-up runs of each command first; default 2")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--no-cache", action="store_true",
                        help="time inspect without its parsed-catalogue cache (a first run)")
    args = parser.parse_args(argv)
    compile_package()
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if args.warmup < 0:
        parser.error("--warmup must not be negative")
    try:
        result = measure(args.repeats, args.warmup, cache=not args.no_cache)
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
