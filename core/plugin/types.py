"""The records a plugin builds or receives, in one place.

Plugins import them from :mod:`hmip_inspect.core` (``from hmip_inspect.core import
Adjustment, Attribute, ReportSection``); this module holds the one record that exists for
plugins alone, :class:`ReportSection`, and names where the others live.

Built by plugins: :class:`~hmip_inspect.core.Attribute` (``hmip_case_attributes``),
:class:`~hmip_inspect.core.Adjustment` (``hmip_rating_adjustments``), :class:`ReportSection`
(``hmip_report_sections``). Received: :class:`~hmip_inspect.core.Standard` (with its key
questions and questions), :class:`~hmip_inspect.core.Rating`,
:class:`~hmip_inspect.core.Inspection` (cases, answer counts, judgements) and
:class:`~hmip_inspect.core.InspectionResult`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..catalogue.records import Attribute, KeyQuestion, Question, Rating, Standard
from ..rating.results import Adjustment

__all__ = ["Adjustment", "Attribute", "KeyQuestion", "Question", "Rating", "ReportSection", "Standard"]


@dataclass(frozen=True)
class ReportSection:
    """A section a plugin adds to the report: plain text and, optionally, one table.

    The core renders it (HTML, Markdown, JSON) and escapes every string; ``header`` and each
    row of ``rows`` have the same number of cells. ``id`` is a short slug, unique within the
    plugin (``resettlement-pathways``); the report prefixes it with the plugin's name.
    """

    id: str
    title: str
    paragraphs: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()

    def problems(self) -> list[str]:
        """Why the core cannot render this section (empty when it can)."""
        out = []
        if not (isinstance(self.id, str) and self.id and self.id.replace("-", "").isalnum()):
            out.append(f"id must be a non-empty slug of letters, digits and '-', found {self.id!r}")
        if not isinstance(self.title, str) or not self.title.strip():
            out.append("title must be non-empty text")
        if not all(isinstance(p, str) for p in self.paragraphs):
            out.append("paragraphs must be text")
        cells = [self.header, *self.rows]
        if not all(isinstance(row, tuple) and all(isinstance(c, str) for c in row) for row in cells):
            out.append("header and rows must be tuples of text")
        elif self.rows and any(len(row) != len(self.header) for row in self.rows):
            out.append(f"every row needs {len(self.header)} cells, as the header has")
        return out

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "paragraphs": list(self.paragraphs),
                "header": list(self.header), "rows": [list(row) for row in self.rows]}
