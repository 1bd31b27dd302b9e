"""``inspect report``: the inspection report as HTML, Markdown or JSON.

Registered in :mod:`.cli`; like every command there it imports the core lazily, so only typer,
the standard library and :mod:`.errors` load when the CLI starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, List, Optional

import typer

from ..errors import InputError

REPORT_FORMATS = ("html", "markdown", "json", "pdf")


def report(
    profile: Annotated[Optional[str], typer.Option(
        "--profile", "-p",
        help="Built-in profile name (see 'inspect profiles') or path to a profile TOML file.")] = None,
    inspection: Annotated[Optional[Path], typer.Option(
        "--inspection", "-i", help="Inspection folder; default: the profile's bundled example.",
        file_okay=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="html, markdown, json or pdf (needs --output and the pdf extra).")] = "html",
    by: Annotated[Optional[List[str]], typer.Option(
        "--by", help="Break key questions down by this case attribute (e.g. gender); repeatable.")] = None,
    small_group: Annotated[int, typer.Option(
        "--small-group", help="Flag sub-groups with fewer cases than this.")] = 10,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write the report to this file (atomically) instead of standard output.",
        dir_okay=False)] = None,
    name: Annotated[Optional[str], typer.Option(
        "--name", "-n", help="Report on this inspection from the store (see --db); without an "
                             "all-providers comparator of its own it is compared with the store's "
                             "other inspections of its profile.")] = None,
    db: Annotated[Optional[str], typer.Option(
        "--db", help="Store: a SQLite path or postgresql://... (default: $HMIP_DB, else "
                     "inspections.sqlite).")] = None,
) -> None:
    """The inspection report: ratings, key questions with intervals and comparators,
    footnotes, prompts and sub-groups."""
    if fmt not in REPORT_FORMATS:
        raise InputError(f"--format: expected one of {', '.join(REPORT_FORMATS)}, found {fmt!r}")
    if fmt == "pdf" and output is None:
        raise InputError("--format pdf writes a binary file: give --output FILE.pdf "
                         "(a PDF is not written to the terminal or standard output)")
    from ..report.model import build_report
    from ..session import Session

    session = Session()
    if name is not None:
        if profile is not None or inspection is not None:
            raise InputError("--name reports on a stored inspection with its own profile: "
                             "give it without --inspection or --profile")
        from ..store.fieldwork import Fieldwork
        from ..store.reporting import stored_report
        from .options import open_db
        model, notes = stored_report(Fieldwork(open_db(db), name, session), by=by or (),
                                     small_group=small_group)
        for note in notes:
            typer.echo(note, err=True)
    else:
        chosen, loaded, result = session.run(profile, inspection)
        from ..qa.folder import folder_agreement
        from ..report.quality import quality_section
        quality = quality_section(folder_agreement(loaded, chosen, session.catalogue), chosen.kappa_warning)
        model = build_report(result, loaded, chosen, None, by=by or (), small_group=small_group,
                             status=None, sections=session.report_sections(chosen, loaded, result),
                             quality=quality)
    if fmt == "pdf":
        from ..report.html import render_html
        from ..report.pdf import render_pdf
        assert output is not None  # checked above
        _write(output, render_pdf(render_html(model)))
        typer.echo(f"report written to {output}", err=True)
        return
    text = _render(model, fmt)
    if output is None:
        typer.echo(text, nl=False)
        return
    _write(output, text)
    typer.echo(f"report written to {output}", err=True)


def _render(model: dict, fmt: str) -> str:
    if fmt == "json":
        import json
        return json.dumps(model, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        from ..report.markdown import render_markdown
        return render_markdown(model)
    from ..report.html import render_html
    return render_html(model)


def _write(target: Path, text: str | bytes) -> None:
    """Write through a temporary file beside ``target``, replacing it only when complete; the
    file gets the permissions a plain write would give it (:func:`.case_files_write.atomic_path`)."""
    from ..inspection.case_files_write import atomic_path
    try:
        with atomic_path(target) as temporary:
            if isinstance(text, bytes):
                temporary.write_bytes(text)
            else:
                temporary.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"--output {target}: cannot be written: {exc.strerror or exc}") from None


def register(app: typer.Typer, handle_errors: Any) -> None:
    app.command()(handle_errors(report))
