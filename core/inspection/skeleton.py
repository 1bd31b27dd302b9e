"""``inspect init``: an inspection folder ready for fieldwork.

``inspection.toml`` with the profile, one case template per sample whose columns follow the
framework order (case id, sample, the attributes the sample's rules need, then every
question: summary judgement, prompts), and a ``judgements.toml`` listing the judgements the
profile needs, commented out until they are made. Nothing is written into a folder that
already holds files.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..catalogue.index import Catalogue
from ..catalogue.records import Evidence, RatedBy
from ..errors import InputError
from ..profiles.profile import Profile
from .case_files_write import atomic_path
from .case_schema import CaseSchema
from .folder import profile_standards


def template_header(schema: CaseSchema, sample: str) -> list[str]:
    attributes = sorted(set(schema.attributes_of(sample)) | {"gender"})
    return ["case_id", "sample", *attributes,
            *(located.question.id for located in schema.questions_of(sample))]


def write_skeleton(folder: Path, profile: Profile, catalogue: Catalogue, provider: str) -> list[Path]:
    if folder.exists() and any(folder.iterdir()):
        raise InputError(f"{folder} already holds files; init writes only into a new or empty folder")
    standards = profile_standards(profile, catalogue)
    schema = CaseSchema.build(standards, catalogue)
    files: dict[Path, str] = {}
    files[folder / "inspection.toml"] = (
        "[inspection]\n"
        f"provider = {_quoted(provider)}\n"
        f"profile = {_quoted(profile.name)}\n"
        "synthetic = false\n"
        'fieldwork = ""          # e.g. "2026-03"\n'
        'notes = ""\n')
    for sample in sorted(schema.samples):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(template_header(schema, sample))
        files[folder / "cases" / f"{sample}.csv"] = buffer.getvalue()
    lines = ["# Judgements of this inspection. Uncomment and complete each entry once decided.", ""]
    for standard in standards:
        if standard.rated_by is RatedBy.JUDGEMENT:
            lines += [f"# {standard.id} {standard.title}: the lead inspector's rating",
                      "# [[judgement]]", f'# standard = "{standard.id}"',
                      '# rating = "Good"          # Outstanding | Good | Requires improvement | Inadequate',
                      '# evidence = "Evidence summary."', ""]
    for standard in standards:
        qualitative = [kq for kq in standard.key_questions if kq.evidence is Evidence.QUALITATIVE]
        if qualitative:
            lines += [f"# {standard.id} {standard.title}: a moderation on the qualitative evidence of "
                      f"{', '.join(kq.id for kq in qualitative)}, applied only once ratified",
                      "# [[moderation]]", f'# standard = "{standard.id}"',
                      '# direction = "down"       # up | down',
                      '# rationale = "Why: the qualitative evidence the report footnotes."',
                      "# ratified = false", ""]
    lines += ["# A ratings-panel professional judgement on an eligible standard:",
              "# [[panel]]", '# standard = "2.1"', '# direction = "up"', '# rationale = "Why."', ""]
    files[folder / "judgements.toml"] = "\n".join(lines)
    for path, text in files.items():
        with atomic_path(path) as temporary:
            temporary.write_text(text, encoding="utf-8")
    return list(files)


def _quoted(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)
