"""From sample to cases: the cases ``inspect sample`` selects, created in a stored inspection
as cases still being captured (case id, sample, the strata attributes from the population),
all or nothing, audited with the seed and the population file's SHA-256.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import Problems
from .context import FieldworkContext


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


class SelectionService(FieldworkContext):
    def add_selection(self, header: list[str], rows: list[list[str]], population: Path, seeds: set[int],
                      who: str, sizes: dict[str, int] | None = None) -> int:
        """Create the selected cases (``header``/``rows`` as :func:`..sampling.draw.selection_table`
        gives them) as cases in progress; every problem reported and nothing written unless all
        of them can be created. Returns the number of cases created."""
        self.store.ensure_writable(self.name)
        problems = Problems()
        taken = self.store.case_ids(self.name)
        cases = []
        for row in rows:
            values = dict(zip(header, row))
            case_id, sample = values.pop("case_id"), values.pop("sample")
            where = f"selected case {case_id}"
            if case_id in taken:
                problems.add(where, f"already in inspection {self.name!r} ({taken[case_id]} sample)")
                continue
            if sample not in self.schema.samples:
                problems.add(where, f"sample {sample!r} is not one of this inspection's profile "
                                    f"({', '.join(sorted(self.schema.samples))})")
                continue
            attributes = {key: value for key, value in values.items() if value}
            cases.append(self.schema.make_case(case_id, sample, attributes, {}, where, problems,
                                               complete=False))
        problems.raise_if_any(f"no case was added to {self.name!r}")
        seed = ", ".join(str(s) for s in sorted(seeds))
        digest = file_digest(population)
        source = f"inspect sample: population {population.name} (sha256 {digest}), seed {seed}"
        counted: dict[str, int] = {}
        for case in cases:
            counted[case.sample] = counted.get(case.sample, 0) + 1
        self.store.add_selected(self.name, cases, who, source, {
            "seed": seed, "population": {"file": population.name, "sha256": digest},
            "sizes": sizes if sizes is not None else counted})
        return len(cases)
