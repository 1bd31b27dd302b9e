"""Fieldwork on a stored inspection: import, case capture and decisions, each checked first.

:class:`Fieldwork` ties a stored inspection to its profile's rules (:class:`.case_schema.CaseSchema`)
so that every change is validated before the store records it:

* importing a folder or case files (CSV, XLSX, JSON): all of it is checked, every problem
  reported, and nothing is written unless all of it is valid;
* capturing a case question by question (``inspect case add`` / ``edit``): the questions
  that apply to the case, in framework order, each answer saved as it is given, so a case
  can be left and resumed; the case is complete once every summary judgement it needs is in;
* judgements, moderations and panel decisions, checked as ``judgements.toml`` entries are;
* undo and correction (:mod:`.corrections`), progress and readiness (:mod:`.progress`), and
  the cases a sample draw selects (:mod:`.selection`), each audited and refused once signed off.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalogue.records import Standard
from ..inspection.case_schema import CaseSchema
from ..inspection.folder import profile_standards
from ..session import Session
from .capture import CaptureService
from .corrections import CorrectionService
from .database import Store
from .decisions import DecisionService
from .imports import ImportService, import_folder
from .progress import ProgressService
from .qa import QAService
from .readiness import ReadinessService
from .selection import SelectionService
from .snapshots import ProfileService, plugin_versions, take_snapshot

__all__ = ["Fieldwork", "import_folder", "plugin_versions", "take_snapshot"]


@dataclass
class Fieldwork(ImportService, CaptureService, CorrectionService, DecisionService, ReadinessService,
                ProgressService, SelectionService, ProfileService, QAService):
    """A stored inspection with the rules of its profile."""

    store: Store
    name: str
    session: Session

    def __post_init__(self) -> None:
        self.info = self.store.info(self.name)
        self.snapshot = self.store.snapshot(self.name)
        if self.snapshot is not None:
            self.profile = self.session.profile_from_text(
                self.snapshot.toml, f"the profile of inspection {self.name!r} as recorded")
        else:  # imported before profiles were recorded: the current one, until adopted
            self.profile = self.session.profile(self.info.profile)
        self.standards: list[Standard] = profile_standards(self.profile, self.session.catalogue)
        self.schema = CaseSchema.build(self.standards, self.session.catalogue)
