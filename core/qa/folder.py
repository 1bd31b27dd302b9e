"""A second assessment kept in an inspection folder (``qa/``, beside ``cases/``), and the
checks every second assessment passes, whether imported into the store or read from a folder:
each of its cases is a case of the inspection, of the same sample and with the same
attributes (the second assessor judges the same case; its facts are not theirs to change).

The bundled CRC example ships one (synthetic), so ``inspect report --profile crc`` shows the
report's "Quality assurance" section without a store. A folder does not say who assessed a
case: the pairs are named "first assessment" and "second assessment".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..catalogue.index import Catalogue
from ..errors import Problems, shown
from ..inspection.case_files import case_files
from ..inspection.case_reading import read_case_files
from ..inspection.case_schema import CaseSchema
from ..inspection.cases import Case
from ..inspection.folder import Inspection, profile_standards
from ..profiles.profile import Profile
from .agreement import KEY_QUESTION, PROMPT, AgreementReport, AssessedTwice, Question, measure

#: The folder of an inspection that holds its second assessment.
QA_FOLDER = "qa"


def qa_questions(schema: CaseSchema) -> list[Question]:
    """The questions agreement is computed for, in framework order: every key question's
    summary judgement and every prompt with listed answers (free text is left out)."""
    return [Question(located.question.id,
                     KEY_QUESTION if located.question.id == located.key_question.id else PROMPT,
                     located.question.text, tuple(located.question.answers))
            for located in schema.by_id.values()
            if not located.question.free and not located.question.per_factor_of]


def check_second(second: Sequence[Case], first: Mapping[str, Case], inspection: str,
                 problems: Problems) -> None:
    """Each case of a second assessment is a case of ``first`` (by id), of the same sample
    and with the same attributes; every problem named by file and row."""
    for case in second:
        where, own = case.source or f"case {case.case_id}", first.get(case.case_id)
        if own is None:
            problems.add(where, f"case {shown(case.case_id)} is not in inspection {inspection!r}: a "
                                "second assessment is of a drawn or existing case")
            continue
        if own.sample != case.sample:
            problems.add(where, f"case {case.case_id} is in the {own.sample!r} sample, not {case.sample!r}")
        for attribute, value in sorted(case.attributes.items()):
            if value and own.attributes.get(attribute, "") != value:
                problems.add(f"{where} column {attribute!r}", f"case {case.case_id} has {attribute} "
                             f"{shown(own.attributes.get(attribute, ''))}; the second assessment "
                             "assesses the same case")


def folder_agreement(inspection: Inspection, profile: Profile, catalogue: Catalogue) -> AgreementReport | None:
    """Agreement between an inspection folder's cases and the second assessment in its
    ``qa/`` folder; None where it has none. InputError naming every problem otherwise."""
    folder, cases = inspection.folder, inspection.cases
    directory = folder / QA_FOLDER if folder is not None else None
    files = case_files(directory) if directory is not None and directory.is_dir() else []
    if not files:
        return None
    problems = Problems()
    schema = CaseSchema.build(profile_standards(profile, catalogue), catalogue)
    second = read_case_files(files, schema, problems, {}, relative_to=folder)
    first = {case.case_id: case for case in cases}
    check_second(second, first, str(folder), problems)
    problems.raise_if_any(f"the second assessment in {directory} has problems")
    pairs = [AssessedTwice(str(folder), case.case_id, case.sample, "first assessment", "second assessment",
                           dict(first[case.case_id].answers), dict(case.answers)) for case in second]
    return measure(pairs, qa_questions(schema))
