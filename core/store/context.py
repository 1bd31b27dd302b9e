"""What every fieldwork service knows: the stored inspection, its profile and its case rules.

:class:`.fieldwork.Fieldwork` fills these in; the services (:mod:`.imports`,
:mod:`.capture`, :mod:`.decisions`, :mod:`.readiness`, :mod:`.snapshots`) use them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..catalogue.index import Located
    from ..catalogue.records import Standard
    from ..errors import Problems
    from ..inspection.cases import Case
    from ..inspection.case_schema import CaseSchema
    from ..inspection.folder import InspectionInfo
    from ..profiles.profile import Profile
    from ..session import Session
    from .database import Store
    from .records import ProfileSnapshot


class FieldworkContext:
    store: Store
    name: str
    session: Session
    info: InspectionInfo
    snapshot: ProfileSnapshot | None
    profile: Profile
    standards: list[Standard]
    schema: CaseSchema

    if TYPE_CHECKING:  # provided by the partner services Fieldwork is composed of
        def attributes_needed(self, sample: str) -> list[str]: ...
        def questions(self, case: Case) -> list[Located]: ...
        def finish(self, case_id: str, who: str) -> list[str]: ...
        def readiness(self) -> Problems: ...
