"""Store benchmark: import and rate a national dataset of inspections, against pandas and DuckDB.

What it measures
    A SYNTHETIC national dataset (default: 1,000 CRC inspections of 150 cases each, 100
    domain-two, 35 unpaid work and 15 Through the Gate cases, drawn with a fixed seed) is
    written once as inspection folders (``inspection.toml``, ``cases/*.csv``,
    ``judgements.toml``) in a temporary directory. That is not timed. Then, in one run:

    1. Import. Every folder into a fresh SQLite store through the real path,
       ``hmip_inspect.core.store.fieldwork.import_folder`` (reads, validates every cell, writes in
       one transaction per inspection), against the peers loading the same CSV files:
       DuckDB ``read_csv`` into tables of a DuckDB file on disk (the headline peer: like
       ours it ends with the data in a database a later process can query), and pandas
       ``read_csv`` + ``concat`` (in memory only, kept for reference). The folders are
       imported in 10 batches, the three ways interleaved batch by batch (so that noise on
       the machine falls on all three alike); the totals are compared.

    2. Rating. Every inspection rated from the store, producing the real
       ``InspectionResult`` of each, against peers computing the same key-question figures
       (yes / applicable, per inspection and key question) from the same data. Ours:

       * ``Store.load_all`` (one aggregate query for every inspection) then
         ``rate()`` per inspection (the headline);
       * ``Fieldwork(store, name, session).rate()`` per inspection: what
         ``inspect run --name NAME --db DB`` does for one inspection, repeated.

       Peers, each said to read from disk or from memory:

       * pandas ``read_sql`` of every stored answer from the same SQLite file (one row
         each, from each case's answers by SQLite's ``json_each``), then ``groupby``
         (disk; the target's peer: the same file, the same answers);
       * SQLite alone: one ``GROUP BY`` over the summary judgements, through ``json_each``
         (disk; the floor: the database doing only the counting);
       * DuckDB over its own file from step 1 (columnar, multi-threaded, and held in its
         buffer pool after the first round);
       * pandas ``groupby`` over the answers preloaded in a DataFrame (memory: not like
         for like, ours reads from disk).

       Every side opens its connection once, untimed, as ours keeps its store open.
       Each is timed ``--repeat`` times, interleaved: every round runs every job once
       (after a ``gc.collect()``), each round starting one job later than the last; the
       medians are compared. The target (issue 4): rating within 2x of the peer,
       ``median(ours) / median(pandas from the SQLite file) <= 2``.

What it checks
    For every inspection and key question, our ``InspectionResult`` (both paths) and every
    peer must hold the yes and applicable counts the dataset was written with, and every
    peer's percentage must be ours (whole, half up, and exact to 2 dp); both of our paths
    must give the same results; and a sample of inspections rated from the store must equal
    the same folders rated directly (``Session.run``). The exit status is 1 if any check
    fails (or the store refuses the data), 0 otherwise, whether or not a target is met:
    this is a measurement, not a test.

How to run
    From the environment where hmip-inspect is installed with its ``bench`` extra:

        python bench/store.py --inspections 20        # a quick look
        python bench/store.py                         # 1,000 x 150: about 5 minutes
        python bench/store.py --repeat 7 --json       # steadier medians, numbers as JSON
        python bench/store.py --keep /tmp/national    # keep the folders and stores

Every case is invented; no row describes a real person.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import math
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Mapping

PROFILE = "crc"
SEED = 4
TARGET = 2.0
#: DuckDB: the inspection's folder name in a case file's path (SQL string literal).
FOLDER_PATTERN = r"'([^/\\]+)[/\\]cases[/\\][^/\\]+$'"
#: The import is timed in this many batches of folders, the three ways interleaved.
IMPORT_BATCHES = 10
WHO = "bench"
#: Cases per sample in an inspection of 150 (Thames Valley's split, 14 TTG cases rounded up).
SAMPLE_SPLIT = {"domain2": 100, "upw": 35, "ttg": 15}
#: Case mix per sample: attribute -> (value, weight); shaped on the bundled CRC example.
CASE_MIX: dict[str, dict[str, tuple[tuple[str, int], ...]]] = {
    "domain2": {"gender": (("male", 86), ("female", 14)),
                "disposal": (("community", 62), ("post-custody", 38)),
                "rosh": (("low", 21), ("medium", 74), ("high", 5)),
                "officer_grade": (("PO", 50), ("PSO", 50))},
    "upw": {"gender": (("male", 86), ("female", 14)),
            "disposal": (("upw-only", 57), ("community", 43)),
            "rosh": (("low", 63), ("medium", 37))},
    "ttg": {"gender": (("male", 86), ("female", 14)),
            "disposal": (("post-custody", 1),),
            "rosh": (("low", 43), ("medium", 50), ("high", 7))},
}
#: Domain-one ratings drawn for the lead inspector's judgements ("Good" twice as often).
JUDGEMENT_RATINGS = ("Outstanding", "Good", "Good", "Requires improvement", "Inadequate")
#: A prompt is "yes" this often under a "yes" summary judgement, and under a "no".
PROMPT_YES = {"yes": 0.85, "no": 0.3}

#: (inspection, key question) -> (yes, applicable, then the percentage(s) as a side computed them)
Figures = dict[tuple[str, str], tuple]


class BenchError(Exception):
    """A check failed: the timings would not compare the same work."""


# --------------------------------------------------------------------------------------
# The synthetic dataset
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    root: Path
    folders: tuple[Path, ...]
    split: Mapping[str, int]
    answers: int            # answers written, implied ones included
    key_questions: tuple[str, ...]  # key questions rated from cases
    figures: Figures        # what was written: yes / applicable per inspection, key question
    seconds: float


def sample_sizes(cases: int) -> dict[str, int]:
    """``cases`` shared out as 100 : 35 : 15 (largest remainder), each sample at least one."""
    if cases < len(SAMPLE_SPLIT):
        raise ValueError(f"--cases must be at least {len(SAMPLE_SPLIT)} (one per sample)")
    total = sum(SAMPLE_SPLIT.values())
    exact = {s: cases * n / total for s, n in SAMPLE_SPLIT.items()}
    sizes = {s: max(1, int(x)) for s, x in exact.items()}
    for s in sorted(exact, key=lambda s: exact[s] - int(exact[s]), reverse=True):
        if sum(sizes.values()) >= cases:
            break
        sizes[s] += 1
    while sum(sizes.values()) > cases:
        largest = max(sizes, key=sizes.get)
        sizes[largest] -= 1
    return sizes


def _draw(rng: random.Random, mix: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([value for value, _ in mix], weights=[weight for _, weight in mix])[0]


def _information_answer(rng: random.Random, question) -> str:
    """An answer to an information question: one of its options, several where it takes several."""
    from hmip_inspect.core.catalogue.records import ANSWER_SEPARATOR
    from hmip_inspect.core.inspection.case_schema import NONE

    if question.free:
        return "synthetic note"
    options = list(question.answers)
    if not question.multiple:
        return rng.choice(options)
    if NONE in options and rng.random() < 0.25:
        return NONE
    chosen = rng.sample([o for o in options if o != NONE], k=rng.randint(1, 3))
    return ANSWER_SEPARATOR.join(o for o in options if o in chosen)


def write_dataset(root: Path, inspections: int, cases: int, seed: int, session) -> Dataset:
    """Write the inspection folders; answer every question wherever it applies to the case."""
    from hmip_inspect.core.catalogue.records import Evidence, QuestionKind, RatedBy
    from hmip_inspect.core.inspection.case_schema import CaseSchema
    from hmip_inspect.core.inspection.folder import profile_standards

    start = time.perf_counter()
    profile = session.profile(PROFILE)
    standards = profile_standards(profile, session.catalogue)
    schema = CaseSchema.build(standards, session.catalogue)
    if any(schema.exclusions.values()):
        raise BenchError(f"profile {PROFILE!r} has exclusion rules; the peers here do not model them")
    split = sample_sizes(cases)
    questions = {sample: [located for located in schema.questions_of(sample)
                          if located.key_question.evidence is not Evidence.QUALITATIVE]
                 for sample in split}
    judged = [s.id for s in standards
              if s.rated_by is RatedBy.JUDGEMENT and profile.role(s.id) != "reported"]
    key_questions = tuple(kq.id for s in standards if s.rated_by is RatedBy.CASES
                          for kq in s.rated_key_questions)
    rng = random.Random(seed)
    width = len(str(inspections))
    folders, answers_written = [], 0
    written: dict[tuple[str, str], list[int]] = {}
    for number in range(1, inspections + 1):
        name = f"crc-{number:0{width}d}"
        folder = root / name
        (folder / "cases").mkdir(parents=True)
        _write_text(folder / "inspection.toml", "\n".join([
            "# SYNTHETIC: invented cases for bench/store.py; no row describes a real person.",
            "[inspection]",
            f"provider = {json.dumps(f'Synthetic CRC {number}')}",
            f"profile = {json.dumps(PROFILE)}",
            "synthetic = true",
            'fieldwork = "2019-07"',
            "",
        ]))
        _write_text(folder / "judgements.toml", "".join(
            f"[[judgement]]\nstandard = {json.dumps(sid)}\n"
            f"rating = {json.dumps(rng.choice(JUDGEMENT_RATINGS))}\n"
            f'evidence = "Synthetic evidence summary for standard {sid}."\n\n'
            for sid in judged))
        # How good this provider is at each key question: the share of "yes" summaries.
        quality = {kq: rng.uniform(0.3, 0.95) for kq in key_questions}
        for sample, size in split.items():
            attribute_names = list(CASE_MIX[sample])
            header = ["case_id", "sample", *attribute_names,
                      *(located.question.id for located in questions[sample])]
            rows = []
            for index in range(1, size + 1):
                attributes = {a: _draw(rng, CASE_MIX[sample][a]) for a in attribute_names}
                answers: dict[str, str] = {}
                for located in questions[sample]:
                    kq, question = located.key_question, located.question
                    if not (kq.applies(attributes) and question.applies(attributes)):
                        continue  # not applicable: left empty
                    if question.kind is QuestionKind.SUMMARY:
                        answers[question.id] = "yes" if rng.random() < quality[kq.id] else "no"
                    elif question.kind is QuestionKind.PROMPT:
                        summary = answers.get(kq.id, "yes")
                        answers[question.id] = "yes" if rng.random() < PROMPT_YES[summary] else "no"
                    else:
                        answers[question.id] = _information_answer(rng, question)
                _apply_parts(answers, questions[sample], schema)
                _apply_implied(answers, attributes, sample, schema)
                answers_written += len(answers)
                for kq in key_questions:
                    if kq in answers:
                        counts = written.setdefault((name, kq), [0, 0])
                        counts[0] += answers[kq] == "yes"
                        counts[1] += 1
                rows.append([f"{name}-{sample}-{index:03d}", sample,
                             *(attributes[a] for a in attribute_names),
                             *(answers.get(located.question.id, "") for located in questions[sample])])
            with (folder / "cases" / f"{sample}.csv").open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(header)
                writer.writerows(rows)
        folders.append(folder)
    figures = {key: (yes, n) for key, (yes, n) in written.items()}
    return Dataset(root, tuple(folders), split, answers_written, key_questions, figures,
                   time.perf_counter() - start)


def _apply_parts(answers: dict[str, str], questions, schema) -> None:
    """Answer a prompt made of CARaG parts as its parts give it ("no" if any part is "no",
    "yes" if every part is "yes"), as the store's validator derives and checks it."""
    for located in questions:
        parts = located.question.parts
        if not parts or located.question.id not in answers:
            continue
        given = [answers.get(schema.index[part].question.id, "") for part in parts]
        if not any(given):
            continue
        derived = "no" if "no" in given else "yes" if all(a == "yes" for a in given) else ""
        if derived:
            answers[located.question.id] = derived


def _apply_implied(answers: dict[str, str], attributes: dict[str, str], sample: str, schema) -> None:
    """Give the answer a catalogue rule implies (CARaG T 1.1: no resettlement needs -> yes),
    as the validator works it out (:meth:`CaseSchema.implied_answer`)."""
    for question in schema.implied.get(sample, ()):
        implied = schema.implied_answer(question.id, attributes, answers)
        if implied is not None:
            answers[question.id] = implied


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------


def import_interleaved(store, session, data: Dataset, duck_file: Path,
                       pg_store=None) -> tuple[dict[str, float], int]:
    """Import every folder three ways, a batch of folders at a time, interleaved.

    Returns the seconds each way took in all, and the number of batches.

    Ours: ``import_folder`` per folder. DuckDB: each sample's CSV files of the batch into
    its table (created by the first batch) in ``duck_file``, then a ``CHECKPOINT``. pandas:
    ``read_csv`` per file, ``concat`` per batch and sample, and of the batches at the end.
    The store and the DuckDB file are opened before the clock starts.
    """
    import duckdb
    import pandas as pd
    from hmip_inspect.core.store.fieldwork import import_folder

    def ours(folders: list[Path], first: bool) -> None:
        for folder in folders:
            import_folder(store, session, folder, folder.name, WHO)

    def ours_postgresql(folders: list[Path], first: bool) -> None:
        for folder in folders:
            import_folder(pg_store, session, folder, folder.name, WHO)

    def duck(folders: list[Path], first: bool) -> None:
        for sample in data.split:
            files = [str(folder / "cases" / f"{sample}.csv") for folder in folders]
            into = f"CREATE TABLE {sample} AS" if first else f"INSERT INTO {sample} BY NAME"
            duck_con.execute(
                f"{into} SELECT regexp_extract(filename, {FOLDER_PATTERN}, 1) AS inspection, "
                "* EXCLUDE (filename) "
                "FROM read_csv($files, header = true, all_varchar = true, filename = true)",
                {"files": files})

    def with_pandas(folders: list[Path], first: bool) -> None:
        for sample in data.split:
            parts[sample].append(pd.concat(
                [pd.read_csv(folder / "cases" / f"{sample}.csv", dtype=str).assign(inspection=folder.name)
                 for folder in folders], ignore_index=True))

    parts: dict[str, list] = {sample: [] for sample in data.split}
    duck_con = duckdb.connect(str(duck_file))
    folders = list(data.folders)
    size = math.ceil(len(folders) / IMPORT_BATCHES)
    batches = [folders[i:i + size] for i in range(0, len(folders), size)]
    jobs = [("ours", ours), ("duckdb", duck), ("pandas", with_pandas)]
    if pg_store is not None:     # the same import into PostgreSQL, interleaved with the rest
        jobs.insert(1, ("postgresql", ours_postgresql))
    seconds = {label: 0.0 for label, _ in jobs}
    for number, batch in enumerate(batches):
        shift = number % len(jobs)
        for label, job in jobs[shift:] + jobs[:shift]:
            gc.collect()
            start = time.perf_counter()
            job(batch, number == 0)
            seconds[label] += time.perf_counter() - start
    start = time.perf_counter()
    duck_con.execute("CHECKPOINT")
    seconds["duckdb"] += time.perf_counter() - start
    duck_con.close()
    start = time.perf_counter()
    frames = {sample: pd.concat(chunks, ignore_index=True) for sample, chunks in parts.items()}
    seconds["pandas"] += time.perf_counter() - start
    if sum(len(frame) for frame in frames.values()) != len(folders) * sum(data.split.values()):
        raise BenchError("pandas did not read every case")
    return seconds, len(batches)


# --------------------------------------------------------------------------------------
# Rating: ours
# --------------------------------------------------------------------------------------


def rate_bulk(store, session, names: list[str]) -> dict:
    """Every inspection's InspectionResult, with the answer counts of all of them from one
    aggregate query (``Store.load_all``) and the profile loaded once. The checks before
    rating are those of ``Fieldwork.rate``.
    """
    from hmip_inspect.core.errors import Problems
    from hmip_inspect.core.inspection.folder import check_ready, profile_standards
    from hmip_inspect.core.rating.rate import rate

    profile = session.profile(PROFILE)
    standards = profile_standards(profile, session.catalogue)
    results = {}
    for name, inspection in store.load_all(names).items():
        problems = Problems()
        check_ready(inspection.judgements, {s for s, n in inspection.tallies.samples.items() if n},
                    standards, profile, problems, f"inspection {name!r} (store)")
        problems.raise_if_any(f"inspection {name!r} cannot be rated yet")
        results[name] = rate(inspection, profile, session.catalogue, session.pm)
    return results


def rate_fieldwork(store, session, names: list[str]) -> dict:
    """Every inspection's InspectionResult the way the CLI rates one stored inspection."""
    from hmip_inspect.core.store.fieldwork import Fieldwork

    return {name: Fieldwork(store, name, session).rate()[2] for name in names}


def figures_of(results: Mapping[str, object]) -> Figures:
    """(inspection, key question) -> (yes, applicable), from InspectionResults."""
    return {(name, kq.id): (kq.yes, kq.applicable, kq.percent, kq.exact_percent)
            for name, result in results.items() for standard in result.standards
            for kq in standard.key_questions
            if kq.evidence == "cases" and kq.applicable}


# --------------------------------------------------------------------------------------
# Rating: the peers (each returns its raw result; figures are taken out untimed)
# --------------------------------------------------------------------------------------


def _sqlite(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


#: Every stored answer, one row each: the store keeps a case's answers as one JSON object in its
#: row (migration 0007), which SQLite's ``json_each`` turns into rows.
ANSWERS_SQL = ("SELECT c.inspection_id, a.key AS question_id, a.value "
               "FROM inspected_case c, json_each(c.answers) a WHERE c.excluded = ''")


def peer_pandas_sqlite(con: sqlite3.Connection, key_questions: tuple[str, ...]):
    """pandas: read every stored answer from the SQLite file, then group in pandas."""
    import pandas as pd

    answers = pd.read_sql_query(ANSWERS_SQL, con)
    names = pd.read_sql_query("SELECT id AS inspection_id, name FROM inspection", con)
    return _pandas_group(answers, names, key_questions)


def _pandas_group(answers, names, key_questions):
    summaries = answers[answers["question_id"].isin(key_questions)]
    grouped = (summaries.assign(yes=summaries["value"].eq("yes"))
               .groupby(["inspection_id", "question_id"])["yes"].agg(["sum", "count"]))
    grouped["percent"] = 100 * grouped["sum"] / grouped["count"]
    return grouped.reset_index().merge(names, on="inspection_id")


def peer_pandas_memory(answers, names, key_questions: tuple[str, ...]):
    """pandas: the same grouping over answers already in memory."""
    return _pandas_group(answers, names, key_questions)


def peer_sqlite(con: sqlite3.Connection, key_questions: tuple[str, ...]):
    """SQLite alone: count the summary judgements per inspection and key question."""
    marks = ", ".join("?" * len(key_questions))
    return con.execute(
        "SELECT i.name, a.key, SUM(a.value = 'yes'), COUNT(*), "
        "100.0 * SUM(a.value = 'yes') / COUNT(*) "
        "FROM inspected_case c JOIN inspection i ON i.id = c.inspection_id, json_each(c.answers) a "
        f"WHERE c.excluded = '' AND a.key IN ({marks}) "
        "GROUP BY i.name, a.key", key_questions).fetchall()


def duckdb_sql(data: Dataset, schema_questions: Mapping[str, list[str]]) -> list[str]:
    """Per sample table: yes and applicable counts of each of its key questions, by inspection."""
    queries = []
    for sample, kqs in schema_questions.items():
        if not kqs:
            continue
        columns = ", ".join(f"count(*) FILTER (WHERE \"{kq}\" = 'yes'), count(\"{kq}\"), "
                            f"100.0 * count(*) FILTER (WHERE \"{kq}\" = 'yes') / count(\"{kq}\")"
                            for kq in kqs)
        queries.append(f"SELECT inspection, {columns} FROM {sample} GROUP BY inspection")
    return queries


def peer_duckdb(con, queries: list[str]):
    """DuckDB: the key-question counts from its own file (written by the import step)."""
    return [con.execute(query).fetchall() for query in queries]


def figures_pandas(frame) -> Figures:
    return {(row.name, row.question_id): (int(row.sum), int(row.count), float(row.percent))
            for row in frame.itertuples(index=False)}


def figures_sqlite(rows) -> Figures:
    return {(name, qid): (int(yes), int(n), float(p)) for name, qid, yes, n, p in rows}


def figures_duckdb(results, schema_questions: Mapping[str, list[str]]) -> Figures:
    out: Figures = {}
    tables = [kqs for kqs in schema_questions.values() if kqs]
    for rows, kqs in zip(results, tables):
        for row in rows:
            for position, kq in enumerate(kqs):
                yes, n, percent = row[1 + 3 * position: 4 + 3 * position]
                if n:
                    out[(row[0], kq)] = (int(yes), int(n), float(percent))
    return out


# --------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------


def check_figures(label: str, written: Figures, found: Figures) -> None:
    """yes / applicable for every inspection and key question, as the dataset was written."""
    counts = {key: value[:2] for key, value in found.items()}
    if written != counts:
        missing = sorted(set(written) - set(counts))[:5]
        extra = sorted(set(counts) - set(written))[:5]
        differ = [(k, written[k], counts[k]) for k in sorted(set(written) & set(counts))
                  if written[k] != counts[k]][:5]
        raise BenchError(f"{label}: key-question figures differ from the dataset written; "
                         f"missing {missing}, extra {extra}, different (written, found) {differ}")


def check_percentages(label: str, ours: Figures, peer: Figures) -> None:
    """The peer's percentage is ours: the same whole percentage (half up) and exact one (2 dp)."""
    for key, (_, _, percent) in peer.items():
        published, exact = ours[key][2:]
        if math.floor(percent + 0.5) != published or abs(percent - exact) > 0.005 + 1e-9:
            raise BenchError(f"{label}: {key[1]} of {key[0]} is {percent}%, ours {exact}% "
                             f"(published {published}%)")


def check_against_folders(results: Mapping[str, object], data: Dataset, session, count: int,
                          seed: int) -> list[str]:
    """A sample of stored ratings equal to rating the same folders directly."""
    folders = list(data.folders)
    chosen = {folders[0], folders[-1]} | set(random.Random(seed).sample(folders, min(count, len(folders))))
    for folder in sorted(chosen):
        _, _, direct = session.run(PROFILE, folder)
        if direct.to_dict() != results[folder.name].to_dict():
            raise BenchError(f"inspection {folder.name}: rated from the store differs from rating "
                             f"its folder directly")
    return sorted(folder.name for folder in chosen)


# --------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------


def _timed(job: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    out = job()
    return time.perf_counter() - start, out


def measure(args, root: Path) -> dict:
    import duckdb
    import pandas as pd
    from hmip_inspect.core import logconfig
    from hmip_inspect.core.catalogue.records import RatedBy
    from hmip_inspect.core.inspection.folder import profile_standards
    from hmip_inspect.core.session import Session
    from hmip_inspect.core.store.database import open_store

    logconfig.configure(verbose=False)  # as the CLI does: warnings only
    session = Session()
    profile = session.profile(PROFILE)  # plugins, catalogue and profile loaded once, untimed

    log(f"writing {args.inspections} inspections of {args.cases} cases to {root} ...")
    data = write_dataset(root / "inspections", args.inspections, args.cases, args.seed, session)
    names = [folder.name for folder in data.folders]
    standards = profile_standards(profile, session.catalogue)
    by_sample = {sample: [kq.id for s in standards if s.sample == sample and s.rated_by is RatedBy.CASES
                          for kq in s.rated_key_questions] for sample in data.split}

    db = root / "store.sqlite"
    store = open_store(str(db), create=True)  # created and migrated before the clock starts
    pg_store = None
    if args.db:
        pg_store = open_store(args.db, create=True)
        if pg_store.inspections():
            raise BenchError(f"--db {args.db.rsplit('@', 1)[-1]}: the store is not empty")
    duck_file = root / "peer.duckdb"
    log("importing: ours" + (" (SQLite and PostgreSQL)" if pg_store else "")
        + ", DuckDB and pandas, in interleaved batches ...")
    imports, batches = import_interleaved(store, session, data, duck_file, pg_store)
    if pg_store is not None:
        pg_store.close()

    # Every side keeps its connection open between rounds, as ours keeps its store open.
    sqlite_con = _sqlite(db)
    duck_con = duckdb.connect(str(duck_file), read_only=True)
    # The in-memory peer's data, loaded untimed.
    memory_answers = pd.read_sql_query(ANSWERS_SQL, sqlite_con)
    memory_names = pd.read_sql_query("SELECT id AS inspection_id, name FROM inspection", sqlite_con)
    duck_queries = duckdb_sql(data, by_sample)
    kqs = data.key_questions

    ours_jobs = {
        "bulk": lambda: rate_bulk(store, session, names),
        "fieldwork": lambda: rate_fieldwork(store, session, names),
    }
    peer_jobs = {
        "pandas-sqlite": lambda: peer_pandas_sqlite(sqlite_con, kqs),
        "sqlite": lambda: peer_sqlite(sqlite_con, kqs),
        "duckdb": lambda: peer_duckdb(duck_con, duck_queries),
        "pandas-memory": lambda: peer_pandas_memory(memory_answers, memory_names, kqs),
    }
    to_figures = {
        "pandas-sqlite": figures_pandas, "pandas-memory": figures_pandas,
        "sqlite": figures_sqlite, "duckdb": lambda r: figures_duckdb(r, by_sample),
    }
    times: dict[str, list[float]] = {key: [] for key in (*ours_jobs, *peer_jobs)}
    results: dict[str, Mapping[str, object]] = {}
    log(f"rating: {args.repeat} interleaved rounds ...")
    jobs = [*ours_jobs.items(), *peer_jobs.items()]
    for round_ in range(args.repeat):
        shift = round_ % len(jobs)  # each round starts one job later: no job always follows another
        for label, job in jobs[shift:] + jobs[:shift]:
            gc.collect()
            seconds, out = _timed(job)
            times[label].append(seconds)
            if round_ == 0:  # every result is checked once, outside the clock
                if label in ours_jobs:
                    results[label] = out
                    check_figures(f"ours ({label})", data.figures, figures_of(out))
                else:
                    found = to_figures[label](out)
                    check_figures(label, data.figures, found)
                    check_percentages(label, figures_of(results["bulk"]), found)
            del out
    _same_results(results["bulk"], results["fieldwork"])
    checked = check_against_folders(results["bulk"], data, session, args.verify, args.seed)
    store.close()
    sqlite_con.close()
    duck_con.close()

    scale = measure_scale(args, root, session, db, names)

    medians = {label: statistics.median(values) for label, values in times.items()}
    ours = medians["bulk"]
    return {
        "date": date.today().isoformat(),
        "python": f"{sys.executable} ({platform.python_version()})",
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU(s), {platform.system()} {platform.release()}",
        "libraries": {"pandas": pd.__version__, "duckdb": duckdb.__version__,
                      "sqlite": sqlite3.sqlite_version},
        "inspections": args.inspections,
        "cases": args.cases,
        "split": dict(data.split),
        "answers": data.answers,
        "key_question_figures": len(data.figures),
        "seed": args.seed,
        "repeat": args.repeat,
        "write_s": round(data.seconds, 2),
        "store_mb": round(_size(db) / 1e6, 1),
        "duckdb_mb": round(_size(duck_file) / 1e6, 1),
        "import_batches": batches,
        "import_s": {label: round(value, 3) for label, value in imports.items()},
        "import_ratio": {label: round(imports["ours"] / imports[label], 2)
                         for label in ("duckdb", "pandas")},
        "rating_median_s": {label: round(value, 4) for label, value in medians.items()},
        "rating_min_s": {label: round(min(values), 4) for label, values in times.items()},
        "rating_ratio": {label: round(ours / medians[label], 2) for label in peer_jobs},
        "fieldwork_ratio": {label: round(medians["fieldwork"] / medians[label], 2) for label in peer_jobs},
        "target": TARGET,
        "met": ours / medians["pandas-sqlite"] <= TARGET,
        "verified_against_folders": checked,
        "postgresql_import_ratio": (round(imports["postgresql"] / imports["ours"], 2)
                                    if "postgresql" in imports else None),
        **scale,
    }


def measure_scale(args, root: Path, session, db: Path, names: list[str]) -> dict:
    """The figures of :mod:`store_scale`: report against run in the big store, a big
    inspection's run against the version before, the peak memory of a big import."""
    import store_scale

    out: dict = {}
    if args.cli_repeat < 1:
        return out
    python = sys.executable
    log(f"report against run in the store of {len(names)}: {args.cli_repeat} pairs ...")
    out["report_vs_run"] = store_scale.report_vs_run(python, str(db), names[len(names) // 2],
                                                     args.cli_repeat)
    big = write_dataset(root / "big", 1, args.big_cases, args.seed, session).folders[0]
    log(f"run of a {args.big_cases:,}-case inspection: {args.cli_repeat} pairs ...")
    out["big_run"] = {"cases": args.big_cases,
                      **store_scale.big_run(python, args.baseline_python, big, args.cli_repeat)}
    shutil.rmtree(big.parent, ignore_errors=True)
    huge = write_dataset(root / "huge", 1, args.memory_rows, args.seed, session).folders[0]
    log(f"peak memory of importing {args.memory_rows:,} rows ...")
    out["import_memory"] = {"rows": args.memory_rows,
                            **store_scale.memory(python, args.baseline_python, huge, root / "peak")}
    shutil.rmtree(huge.parent, ignore_errors=True)
    return out


def _same_results(a: Mapping[str, object], b: Mapping[str, object]) -> None:
    for name in a:
        if a[name].to_dict() != b[name].to_dict():
            raise BenchError(f"inspection {name}: the two rating paths disagree")


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


#: Rating peers: what each does, and where it reads from.
PEERS = {
    "pandas-sqlite": ("pandas read_sql + groupby", "disk: the same SQLite file; the target's peer"),
    "sqlite": ("SQLite GROUP BY alone", "disk: the same SQLite file; the floor"),
    "duckdb": ("DuckDB SQL, its own file", "its file from the import step: columnar, cached"),
    "pandas-memory": ("pandas groupby, preloaded", "memory: not like for like"),
}


def report(r: dict) -> str:
    split = ", ".join(f"{n} {s}" for s, n in r["split"].items())
    i, m = r["import_s"], r["rating_median_s"]
    import_head = f"import, {r['import_batches']} interleaved batches, totals"
    rating_head = f"rating, medians of {r['repeat']} interleaved rounds"
    lines = [
        f"date       {r['date']}",
        f"python     {r['python']}",
        f"machine    {r['machine']}",
        f"libraries  pandas {r['libraries']['pandas']}, duckdb {r['libraries']['duckdb']}, "
        f"SQLite {r['libraries']['sqlite']}",
        f"dataset    {r['inspections']} inspections x {r['cases']} cases ({split}), "
        f"{r['answers']:,} answers, seed {r['seed']}; written in {r['write_s']:.1f} s (untimed)",
        f"stores     SQLite {r['store_mb']} MB, DuckDB {r['duckdb_mb']} MB",
        "",
        f"{import_head:<41}seconds  ours/peer",
        f"  ours  import_folder -> SQLite file   {i['ours']:9.2f}",
        f"  peer  DuckDB read_csv -> its file    {i['duckdb']:9.2f}  {r['import_ratio']['duckdb']:9.2f}"
        "  (headline: persisted, like ours)",
        f"  peer  pandas read_csv + concat       {i['pandas']:9.2f}  {r['import_ratio']['pandas']:9.2f}"
        "  (memory only)",
    ]
    if r.get("postgresql_import_ratio") is not None:
        lines.append(f"  ours  import_folder -> PostgreSQL     {i['postgresql']:9.2f}"
                     f"  {r['postgresql_import_ratio']:9.2f}  (PostgreSQL / SQLite, ours; target <= 1.5)")
    lines += [
        "",
        f"{rating_head:<41}seconds  bulk/peer  fieldwork/peer",
        f"  ours  load_all + rate() (bulk)      {m['bulk']:9.3f}",
        f"  ours  Fieldwork.rate() each          {m['fieldwork']:9.3f}",
    ]
    for label, (what, where) in PEERS.items():
        lines.append(f"  peer  {what:<31}{m[label]:9.3f}  {r['rating_ratio'][label]:9.2f}"
                     f"  {r['fieldwork_ratio'][label]:14.2f}  ({where})")
    lines += [
        "",
        f"target     rating within {r['target']:g}x of pandas reading the same SQLite file: "
        f"{r['rating_ratio']['pandas-sqlite']:.2f}, {'met' if r['met'] else 'not met'}",
        *scale_lines(r),
        f"checked    {r['key_question_figures']:,} key-question figures (yes, applicable, percentage) "
        f"equal in ours and every peer; {len(r['verified_against_folders'])} inspections rated "
        "from the store equal to rating their folders",
    ]
    return "\n".join(lines)


def scale_lines(r: dict) -> list[str]:
    lines = []
    if "report_vs_run" in r:
        x = r["report_vs_run"]
        lines.append(f"report     inspect report --name {x['report_s']:.3f} s, inspect run --name "
                     f"{x['run_s']:.3f} s (medians, {x['inspection']}): {x['ratio']:.2f}x, target <= 3, "
                     f"{'met' if x['ratio'] <= 3 else 'not met'}")
        if "first_report_s" in x:
            lines.append(f"           the first report after the import (pooled figures worked out "
                         f"and kept): {x['first_report_s']:.3f} s")
    if "big_run" in r:
        x = r["big_run"]
        before = (f"; before {x['old_s']:.3f} s: {x['speedup']:.2f}x faster, target >= 2, "
                  f"{'met' if x['speedup'] >= 2 else 'not met'}") if "old_s" in x else ""
        lines.append(f"big run    inspect run --inspection ({x['cases']:,} cases) {x['new_s']:.3f} s{before}")
    if "import_memory" in r:
        x = r["import_memory"]
        before = f"; before {x['old_mb']:.0f} MB" if "old_mb" in x else ""
        lines.append(f"memory     inspect import of {x['rows']:,} rows: peak {x['new_mb']:.0f} MB{before}; "
                     f"target < 300 MB, {'met' if x['new_mb'] < 300 else 'not met'}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inspections", type=int, default=1000, help="inspections; default 1000")
    parser.add_argument("--cases", type=int, default=150, help="cases per inspection; default 150")
    parser.add_argument("--repeat", type=int, default=5,
                        help="interleaved rating rounds (medians); default 5")
    parser.add_argument("--verify", type=int, default=10,
                        help="inspections (besides the first and last) rated from their folders "
                             "too and compared; default 10")
    parser.add_argument("--seed", type=int, default=SEED, help=f"dataset seed; default {SEED}")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="write into DIR (new or empty) and keep it; default a temporary directory")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--db", metavar="URL",
                        help="also import into this PostgreSQL store (new or empty), interleaved")
    parser.add_argument("--baseline-python", metavar="PYTHON",
                        help="an interpreter whose environment holds the version to compare with "
                             "(the big run and the import's memory, before and after)")
    parser.add_argument("--big-cases", type=int, default=10_000,
                        help="cases of the big inspection run; default 10000")
    parser.add_argument("--memory-rows", type=int, default=100_000,
                        help="cases of the inspection whose import's peak memory is measured; "
                             "default 100000")
    parser.add_argument("--cli-repeat", type=int, default=5,
                        help="pairs of the command-line measurements; 0 leaves them out; default 5")
    args = parser.parse_args(argv)
    if args.inspections < 1 or args.repeat < 1 or args.verify < 0:
        parser.error("--inspections and --repeat must be at least 1, --verify not negative")
    if args.cases < len(SAMPLE_SPLIT):
        parser.error(f"--cases must be at least {len(SAMPLE_SPLIT)} (one case per sample)")
    if args.keep and args.keep.exists() and any(args.keep.iterdir()):
        parser.error(f"--keep {args.keep}: the folder is not empty")
    root = args.keep or Path(tempfile.mkdtemp(prefix="hmip-bench-store-"))
    root.mkdir(parents=True, exist_ok=True)
    from hmip_inspect.core.errors import InputError
    from store_scale import ScaleError

    try:
        result = measure(args, root)
    except (BenchError, InputError, ScaleError) as exc:  # a check failed, or the store refused the data
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(result, indent=2) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
