"""Unpaid work (CRC inspections): standard 4.1, rated from the unpaid-work case sample.

Key questions 4.1.1, 4.1.2 and 4.1.4 give the indicative rating from the cases. Key question
4.1.3 is judged on qualitative evidence (observations, provider evidence, meetings) and may
move that rating one band up or down, but only when the ratings panel ratifies the lead
inspector's proposal (seed 002, Annex 2 "Rating unpaid work"; seed 003, addendum). An
inspection records the proposal as a ``[[moderation]]`` in ``judgements.toml``; this plugin
turns it into an adjustment, and the core applies it.
"""

from pathlib import Path

from hmip_inspect.core import Adjustment, Inspection, Standard, hookimpl

#: The qualitative key question whose evidence moderates the indicative rating.
MODERATING_KEY_QUESTION = "4.1.3"


@hookimpl
def hmip_catalogues() -> list[Path]:
    return [Path(__file__).with_name("standards.toml")]


@hookimpl
def hmip_rating_adjustments(standard: Standard, inspection: Inspection) -> list[Adjustment] | None:
    if not any(kq.id == MODERATING_KEY_QUESTION for kq in standard.key_questions):
        return None
    return [
        Adjustment(
            direction=moderation.direction,
            rationale=moderation.rationale,
            source=f"qualitative moderation ({MODERATING_KEY_QUESTION})"
            + ("" if moderation.ratified else ", not ratified by the panel"),
            applied=moderation.ratified,
            basis=moderation.where,
        )
        for moderation in inspection.moderations
        if moderation.standard == standard.id
    ]
