"""Importing into the store: a whole inspection folder, or case files into a stored
inspection; all of it is checked first, every problem reported, and nothing is written unless
all of it is valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Problems
from ..inspection.case_files import case_files
from ..inspection.cases import read_case_files
from ..inspection.folder import Inspection, load_inspection, read_info
from ..session import Session
from .context import FieldworkContext
from .database import ProfileSnapshot, Store
from .snapshots import take_snapshot


@dataclass(frozen=True)
class PreparedFolder:
    """An inspection folder checked in full and ready to store, with the profile it records."""

    folder: Path
    inspection: Inspection
    snapshot: ProfileSnapshot


def prepare_folder(session: Session, folder: Path) -> PreparedFolder:
    """Read and check an inspection folder (every problem at once) before any store is opened,
    so a bad folder never leaves a new, empty store behind.

    The profile is resolved now and kept with the inspection (:func:`take_snapshot`), so its
    rating does not change when the profile file or a plugin changes later.
    """
    problems = Problems()
    info = read_info(folder, problems)
    problems.raise_if_any(f"inspection {folder} has problems")
    assert info is not None  # read_info returns None only with a problem, which raised
    profile_ref = info.profile
    if not Path(profile_ref).is_absolute() and profile_ref.endswith(".toml"):
        profile_ref = str(folder / profile_ref)
    profile = session.profile(profile_ref)
    inspection = load_inspection(folder, profile, session.catalogue, complete=False)
    return PreparedFolder(folder, inspection, take_snapshot(session, profile, profile_ref))


def store_folder(store: Store, prepared: PreparedFolder, name: str, who: str) -> int:
    """Create inspection ``name`` from a prepared folder, all or nothing; the number of cases."""
    inspection = prepared.inspection
    store.create(name, inspection.info, list(inspection.cases), inspection.judgements, who,
                 source=f"folder {prepared.folder}", snapshot=prepared.snapshot)
    return len(inspection.cases)


def import_folder(store: Store, session: Session, folder: Path, name: str, who: str) -> int:
    """Create inspection ``name`` from an inspection folder; return the number of cases."""
    return store_folder(store, prepare_folder(session, folder), name, who)


class ImportService(FieldworkContext):
    def import_files(self, paths: list[Path], who: str, *, replace: bool = False,
                     in_progress: bool = False) -> int:
        """Add the cases of case files; all or nothing. Returns the number of cases added.

        With ``replace``, a case whose id is already in the store replaces it (each
        replacement audited with the answers it replaced) instead of being refused. With
        ``in_progress``, a case missing summary judgements is imported as still being captured
        (finished with ``inspect case edit``) instead of being refused."""
        files: list[Path] = []
        for path in paths:
            files += case_files(path) if path.is_dir() else [path]
        problems = Problems()
        if not files:
            problems.add(", ".join(map(str, paths)), "no case files (*.csv, *.xlsx, *.json)")
        self.store.ensure_writable(self.name)
        first_seen = {} if replace else {case_id: f"the store ({sample} sample)"
                                         for case_id, sample in self.store.case_ids(self.name).items()}
        cases = read_case_files(files, self.schema, problems, first_seen, complete=not in_progress)
        problems.raise_if_any(f"nothing was imported into {self.name!r}")
        unfinished = frozenset(case.case_id for case in cases if in_progress and self._unfinished(case))
        source = ", ".join(str(f) for f in files)
        if replace:
            self.store.replace_cases(self.name, cases, who, source=source, in_progress=unfinished)
        else:
            self.store.add_cases(self.name, cases, who, source=source, in_progress=unfinished)
        return len(cases)

    def _unfinished(self, case) -> bool:
        """Whether a case still lacks something a complete case has (a summary judgement)."""
        problems = Problems()
        self.schema.make_case(case.case_id, case.sample, dict(case.attributes), dict(case.answers),
                              "", problems)
        return bool(problems)
