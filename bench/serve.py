"""Web application benchmark: simulated inspectors saving answers over HTTP to a real
``inspect serve``, against saves through the store's Python API in the same run.

What it measures (issue 13, "Tests and benchmark")
    For each store (SQLite, served by one worker; PostgreSQL, served by two) and each team
    size (20, then 50 inspectors): a fresh store holds the bundled CRC example and one new
    unpaid work case per inspector, and one user per inspector granted the inspection. Each
    simulated inspector (a thread with its own HTTP connection and session) logs in, opens
    its case page, then for ``--seconds`` saves answers to its own case as the case page
    does (``POST .../answer`` with the answer's version, as htmx sends it, the re-rendered
    question list coming back), question after question, each answer the opposite of the
    last one saved there (so every save is a change), pausing ``--think`` seconds on average
    between answers (default 1 s: a brisk inspector; ``--think 0`` saves flat out and measures
    the server saturated). It prints saves per second over all
    inspectors and the p50 / p95 / p99 latency of one save, seen by the client.

    The peer, in the same run on the same store: one thread saving answers to a case of its
    own through the Python API the handler calls (``store.casepage.save_answer``), for the
    same time: saves per second of the service alone, without HTTP, templates or sessions.
    The ratio printed is HTTP saves/s over Python API saves/s.

What it checks
    Nothing lost: after each phase, every inspector's case in the store holds, for every
    question, the last answer that inspector saved there; the audit holds exactly one
    ``answer`` entry by that inspector for every save answered 200, and no save was refused.
    The exit status is 1 if a check fails, 0 otherwise (a target missed is reported, not an
    error). Target: p95 under 100 ms at 50 inspectors on a 2-core machine.

Run
    python bench/serve.py                       # SQLite and PostgreSQL ($HMIP_TEST_POSTGRES_URL)
    python bench/serve.py --db sqlite --seconds 10 --inspectors 20
The load generator runs on the same machine as the server (2 cores here): its threads take
CPU from the server, so the figures are conservative.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

PASSWORD = "bench password 1"
EXAMPLE = Path(__import__("hmip_inspect.plugins.profiles", fromlist=["x"]).__file__).parent / "examples" / "crc"
VERSION = re.compile(r'data-question="([^"]+)">\s*<input[^>]*>\s*<input[^>]*>\s*<input type="hidden" name="based_on" value="(\d+)">')


def _http():
    try:
        import httpx2 as httpx
    except ImportError:           # pragma: no cover - the test extra brings httpx2
        import httpx  # type: ignore[no-redef]
    return httpx


def make_store(kind: str, pg_server: str | None, folder: Path) -> tuple[str, object]:
    """A fresh store URL and a function that drops it."""
    if kind == "sqlite":
        return f"sqlite:///{folder / 'bench.sqlite'}", lambda: None
    import psycopg
    if not pg_server:
        raise SystemExit("PostgreSQL: set $HMIP_TEST_POSTGRES_URL or give --pg URL")
    database = f"hmip_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')

    def drop() -> None:
        with psycopg.connect(pg_server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    return pg_server.rsplit("/", 1)[0] + "/" + database, drop


def prepare(url: str, inspectors: int) -> tuple[list[str], list[str]]:
    """Users, grants and one new unpaid work case each; returns the users and the questions
    saved: the yes/no questions of the case whose answer no other answer derives or decides
    (a prompt made of parts, and its parts, are left out: toggling them would contradict)."""
    from hmip_inspect.core.plugin.manager import build_plugin_manager
    from hmip_inspect.core.session import Session
    from hmip_inspect.core.store.accounts import Accounts
    from hmip_inspect.core.store.database import open_store
    from hmip_inspect.core.store.fieldwork import Fieldwork, import_folder
    session = Session(pm=build_plugin_manager())
    names = [f"insp{n:02d}" for n in range(1, inspectors + 1)]
    with open_store(url, create=True) as store:
        import_folder(store, session, EXAMPLE, "bench", "bench")
        fieldwork = Fieldwork(store, "bench", session)
        accounts = Accounts(store)
        for name in names:
            accounts.add(name, "inspector", PASSWORD, "bench")
            accounts.grant(name, "bench", "bench")
            fieldwork.start(f"UPW-{name}", "upw", {}, "bench")
        fieldwork.start("UPW-API", "upw", {}, "bench")
        located = fieldwork.schema.questions_of("upw")
        tied = {part for item in located for part in item.question.parts}
        tied |= {fieldwork.schema.index[name].question.id for name in tied if name in fieldwork.schema.index}
        tied |= {item.question.id for item in located if item.question.parts}
        questions = [item.question.id for item in located if item.question.id not in tied
                     and tuple(item.question.answers)[:2] == ("yes", "no") and not item.question.implied]
    return names, questions


class Inspector(threading.Thread):
    def __init__(self, base: str, name: str, questions: list[str], until: float,
                 start_gate: threading.Barrier, think: float, seed: int) -> None:
        super().__init__(daemon=True)
        self.questions = questions
        self.think = think
        self.random = random.Random(seed)
        self.base, self.name, self.until, self.gate = base, name, until, start_gate
        self.latencies: list[float] = []
        self.last: dict[str, str] = {}
        self.refused = 0
        self.error = ""

    def run(self) -> None:
        try:
            self._work()
        except Exception as exc:                     # reported, never silent
            self.error = f"{type(exc).__name__}: {exc}"

    def _work(self) -> None:
        httpx = _http()
        with httpx.Client(base_url=self.base, timeout=60) as client:
            page = client.get("/login").text
            token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
            client.post("/login", data={"csrf": token, "username": self.name, "password": PASSWORD})
            path = f"/inspections/bench/cases/UPW-{self.name}"
            page = client.get(path).text
            csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
            versions = dict(VERSION.findall(page))
            questions = self.questions
            self.gate.wait()
            n = 0
            time.sleep(self.random.uniform(0, self.think))      # not all at once
            while time.monotonic() < self.until:
                question = questions[n % len(questions)]
                n += 1
                value = "no" if self.last.get(question) == "yes" else "yes"
                started = time.perf_counter()
                response = client.post(path + "/answer", headers={"HX-Request": "true"}, data={
                    "csrf": csrf, "question": question, "value": value, "based_on": versions[question]})
                self.latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    self.refused += 1
                    continue
                self.last[question] = value
                versions.update(VERSION.findall(response.text))
                if self.think:      # reading the next question: 0.5 to 1.5 times --think
                    time.sleep(self.think * self.random.uniform(0.5, 1.5))


def api_peer(url: str, seconds: float, questions: list[str]) -> int:
    """Saves through the Python API the handler calls, on its own case, for ``seconds``."""
    from hmip_inspect.core.plugin.manager import build_plugin_manager
    from hmip_inspect.core.session import Session
    from hmip_inspect.core.store.casepage import save_answer
    from hmip_inspect.core.store.database import open_store
    from hmip_inspect.core.store.fieldwork import Fieldwork
    with open_store(url) as store:
        fieldwork = Fieldwork(store, "bench", Session(pm=build_plugin_manager()))
        last: dict[str, str] = {}
        saves = 0
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            question = questions[saves % len(questions)]
            value = "no" if last.get(question) == "yes" else "yes"
            save_answer(fieldwork, "UPW-API", question, value, None, "api")
            last[question] = value
            saves += 1
    return saves


def check(url: str, inspectors: list[Inspector]) -> list[str]:
    from hmip_inspect.core.store.database import open_store
    problems = []
    with open_store(url) as store:
        for inspector in inspectors:
            case, _ = store.case("bench", f"UPW-{inspector.name}")
            for question, value in inspector.last.items():
                if case.answer(question) != value:
                    problems.append(f"{inspector.name}: {question} is {case.answer(question)!r}, "
                                    f"last saved {value!r}")
            entries = [e for e in store.audit_trail("bench", f"UPW-{inspector.name}")
                       if e.action == "answer" and e.who == inspector.name]
            saved = len(inspector.latencies) - inspector.refused
            if len(entries) != saved:
                problems.append(f"{inspector.name}: {saved} saves answered 200, {len(entries)} in the audit")
            if inspector.refused:
                problems.append(f"{inspector.name}: {inspector.refused} saves refused")
            if inspector.error:
                problems.append(f"{inspector.name}: {inspector.error}")
    return problems


def phase(kind: str, pg: str | None, count: int, seconds: float, think: float) -> tuple[dict, list[str]]:
    from web_fixtures import start_server, stop_server
    folder = Path(tempfile.mkdtemp(prefix="hmip-serve-bench-"))
    url, drop = make_store(kind, pg, folder)
    try:
        names, questions = prepare(url, count)
        api_saves = api_peer(url, seconds, questions)
        server, base = start_server(url, workers=1 if kind == "sqlite" else 2)
        try:
            gate = threading.Barrier(count + 1)
            until = time.monotonic() + 3600
            threads = [Inspector(base, name, questions, until, gate, think, seed)
                       for seed, name in enumerate(names)]
            for thread in threads:
                thread.start()
            gate.wait(timeout=300)
            began = time.monotonic()
            for thread in threads:
                thread.until = began + seconds
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - began
        finally:
            stop_server(server)
        latencies = sorted(x for t in threads for x in t.latencies)
        saves = len(latencies)
        quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
        result = {"db": kind, "inspectors": count, "saves": saves, "per_second": saves / elapsed,
                  "p50": quantiles[49] * 1000, "p95": quantiles[94] * 1000, "p99": quantiles[98] * 1000,
                  "api_per_second": api_saves / seconds}
        return result, check(url, threads)
    finally:
        drop()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pg", default=os.environ.get("HMIP_TEST_POSTGRES_URL"))
    parser.add_argument("--inspectors", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--think", type=float, default=1.0,
                        help="Seconds an inspector takes between two answers, on average (0: none).")
    args = parser.parse_args()
    from hmip_inspect.core import logconfig
    logconfig.configure(verbose=False)      # as the CLI does: the in-process peer logs warnings only
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    failed = False
    print(f"each inspector answers a question every {args.think:g} s on average (0.5 to 1.5 times that), "
          f"for {args.seconds:g} s")
    print(f"{'store':<11} {'workers':>7} {'inspectors':>10} {'saves':>6} {'saves/s':>8} {'p50 ms':>7} "
          f"{'p95 ms':>7} {'p99 ms':>7} {'API saves/s':>11} {'HTTP/API':>8}  nothing lost")
    for kind in kinds:
        for count in args.inspectors:
            result, problems = phase(kind, args.pg, count, args.seconds, args.think)
            ok = "yes" if not problems else f"NO ({len(problems)} problems)"
            print(f"{kind:<11} {1 if kind == 'sqlite' else 2:>7} {count:>10} {result['saves']:>6} "
                  f"{result['per_second']:>8.1f} {result['p50']:>7.1f} {result['p95']:>7.1f} "
                  f"{result['p99']:>7.1f} {result['api_per_second']:>11.1f} "
                  f"{result['per_second'] / result['api_per_second']:>8.2f}  {ok}", flush=True)
            for problem in problems[:10]:
                print(f"    {problem}")
            failed = failed or bool(problems)
            if count == max(args.inspectors):
                met = "met" if result["p95"] < 100 else "NOT met"
                print(f"    target p95 < 100 ms at {count} inspectors: {met}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
