"""Importing into the store: a whole inspection folder, or case files into a stored
inspection; all of it is checked first, every problem reported, and nothing is written unless
all of it is valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ..catalogue.index import Catalogue
from ..catalogue.records import Standard
from ..errors import Problems
from ..inspection.case_files import case_files
from ..inspection.case_reading import iter_cases, read_case_files
from ..inspection.cases import Case
from ..inspection.folder import Inspection, load_inspection, profile_standards, read_info
from ..session import Session
from .context import FieldworkContext
from .database import ProfileSnapshot, Store
from .snapshots import take_snapshot


#: Case files larger than this in all (bytes) are checked in flat memory and read again as
#: they are stored, instead of kept in memory between (issue 16: a 100,000-row import).
STREAM_BYTES = 4_000_000


def gather_case_files(paths: list[Path], problems: Problems) -> list[Path]:
    """The case files named by ``paths`` (a folder stands for the case files in it); none at
    all is a problem recorded in ``problems``."""
    files: list[Path] = []
    for path in paths:
        files += case_files(path) if path.is_dir() else [path]
    if not files:
        problems.add(", ".join(map(str, paths)), "no case files (*.csv, *.xlsx, *.json)")
    return files


@dataclass(frozen=True)
class PreparedFolder:
    """An inspection folder checked in full and ready to store, with the profile it records.

    A big folder's cases are not kept (``inspection.cases`` is empty): :func:`store_folder`
    reads and checks them again, with the same rules, as it writes them."""

    folder: Path
    inspection: Inspection
    snapshot: ProfileSnapshot
    standards: tuple[Standard, ...] = ()
    catalogue: Catalogue | None = None      #: set when the cases are read again as they are stored


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
    directory = folder / "cases"
    big = directory.is_dir() and sum(p.stat().st_size for p in case_files(directory)) > STREAM_BYTES
    inspection = load_inspection(folder, profile, session.catalogue, complete=False, keep_cases=not big)
    snapshot = take_snapshot(session, profile, profile_ref)
    if not big:
        return PreparedFolder(folder, inspection, snapshot)
    return PreparedFolder(folder, inspection, snapshot,
                          tuple(profile_standards(profile, session.catalogue)), session.catalogue)


def store_folder(store: Store, prepared: PreparedFolder, name: str, who: str) -> int:
    """Create inspection ``name`` from a prepared folder, all or nothing; the number of cases."""
    inspection = prepared.inspection
    cases: Iterable[Case] = list(inspection.cases)
    if prepared.catalogue is not None:      # checked already, in flat memory: read again as stored
        cases = _checked_again(prepared)
    return store.create(name, inspection.info, cases, inspection.judgements, who,
                        source=f"folder {prepared.folder}", snapshot=prepared.snapshot)


def _checked_again(prepared: PreparedFolder) -> Iterator[Case]:
    """The cases of a big folder, read and checked again as they are written: a problem now
    (the files changed since they were checked) raises inside the store's transaction, so
    nothing is written."""
    assert prepared.catalogue is not None
    problems = Problems()
    yield from iter_cases(prepared.folder, list(prepared.standards), prepared.catalogue, problems,
                          required=False, stream=True)
    problems.raise_if_any(f"inspection {prepared.folder} has problems")


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
        problems = Problems()
        files = gather_case_files(paths, problems)
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
