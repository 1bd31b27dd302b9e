"""Generate the bundled CRC example's SYNTHETIC second assessment (issue 15).

Every answer written by this script is invented, as the example's cases are. It picks ten
cases of the example (seven domain-two, two unpaid-work, one Through the Gate, with a fixed
seed), copies their first assessment and changes some answers the way a second inspector
might judge differently: each summary judgement with probability 0.15, each plain yes/no
prompt with probability 0.06 (prompts derived from CARaG parts, parts themselves and answers
a rule implies are left as they are, so every row stays valid).

Run from the repository root:

    python tools/make_crc_second_assessment.py

It rewrites plugins/profiles/examples/crc/qa/<sample>.csv (or writes them into the folder
given as its argument) and checks them by importing the example and the second assessment
into a throwaway store. tests/test_qa_report.py checks the committed files are its output.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "plugins" / "profiles" / "examples" / "crc"
TARGET = EXAMPLE / "qa"
SEED = 15
PICK = {"domain2": 7, "upw": 2, "ttg": 1}
SUMMARY_CHANGE, PROMPT_CHANGE = 0.15, 0.06


def main(argv: list[str] | None = None) -> int:
    from hmip_inspect.core.session import Session
    from hmip_inspect.core.store.database import open_store
    from hmip_inspect.core.store.fieldwork import Fieldwork, import_folder

    target = Path(argv[0]) if argv else TARGET
    session = Session()
    rng = random.Random(SEED)
    target.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        store = open_store(f"sqlite:///{scratch}/check.sqlite", create=True)
        import_folder(store, session, EXAMPLE, "example", "first assessor (synthetic)")
        fieldwork = Fieldwork(store, "example", session)
        derived = {part for located in fieldwork.schema.by_id.values() for part in located.question.parts}
        plain = {located.question.id for located in fieldwork.schema.by_id.values()
                 if located.question.id != located.key_question.id and not located.question.parts
                 and located.question.id not in derived and located.question.implied is None
                 and tuple(located.question.answers) == ("yes", "no")}
        summaries = {located.question.id for located in fieldwork.schema.by_id.values()
                     if located.question.id == located.key_question.id and located.question.implied is None}
        changed = 0
        for sample, count in PICK.items():
            with (EXAMPLE / "cases" / f"{sample}.csv").open(newline="", encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
            header = list(rows[0])
            picked = sorted(rng.sample(rows, count), key=lambda row: row["case_id"])
            for row in picked:
                for column in header:
                    chance = SUMMARY_CHANGE if column in summaries else PROMPT_CHANGE if column in plain else 0
                    if row[column] in ("yes", "no") and rng.random() < chance:
                        row[column] = {"yes": "no", "no": "yes"}[row[column]]
                        changed += 1
            with (target / f"{sample}.csv").open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, header, lineterminator="\n")
                writer.writeheader()
                writer.writerows(picked)
        imported = fieldwork.import_second_assessment([target], "second assessor (synthetic)")
        report = fieldwork.agreement()
        store.close()
    print(f"wrote {imported} synthetic second assessments ({changed} answers changed) to {target}")
    if report.overall is not None:
        print(f"overall: {report.overall.pairs} pairs, agreement {report.overall.agreement:.2f}, "
              f"kappa {report.overall.kappa}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
