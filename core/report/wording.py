"""The sentences and cells every renderer of the report prints (HTML, Markdown, PDF), written
once here: figures with their intervals and comparators, rating headings, the status line,
narrative by domain."""

from __future__ import annotations

from typing import Any

from .. import stats
from ..rating.rules import percent_of, published_percent

DOMAIN_TITLES = {1: "Organisational delivery", 2: "Case supervision"}
PROFILE_DOMAIN_TITLES = {
    "crc": {3: "CRC-specific work"},
    "nps": {3: "NPS-specific work"},
    "yot": {2: "Court disposals", 3: "Out-of-court disposals", 4: "Resettlement"},
}

#: Marks a standard title or key question whose wording no cited source confirms.
UNCONFIRMED = "(wording not confirmed)"

#: The status of a report that is not signed off.
DRAFT = {"signed_off": False, "signed_off_at": None, "signed_off_by": None}


def domain_title(profile: str, domain: int) -> str:
    """"Case supervision", or "Domain 5" for a domain no report names."""
    return PROFILE_DOMAIN_TITLES.get(profile, {}).get(domain) or DOMAIN_TITLES.get(domain) or f"Domain {domain}"


def slug(text: str) -> str:
    """An HTML id from ``text``: lower case, runs of anything but letters and digits as ``-``."""
    import re
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "x"



def small_group_warning(breakdown: dict[str, Any], small: int) -> str:
    """One sentence naming each group with fewer than ``small`` cases somewhere."""
    if not breakdown["small_groups"]:
        return ""
    parts = []
    for group in breakdown["small_groups"]:
        count = len(group["key_questions"])
        cases = (f"{group['smallest']}" if group["smallest"] == group["largest"]
                 else f"{group['smallest']} to {group['largest']}")
        where = (group["key_questions"][0] if count == 1 else f"{count} key questions")
        parts.append(f"{group['value']}: {cases} case{'s' if group['largest'] != 1 else ''} in {where}")
    return (f"Warning: fewer than {small} cases in a group give unreliable figures; "
            + "; ".join(parts) + ".")


def status_line(status: dict[str, Any]) -> str:
    """The report's status in one sentence, as every renderer prints it."""
    if not status["signed_off"]:
        return "Draft: this inspection has not been signed off."
    who = f" by {status['signed_off_by']}" if status["signed_off_by"] else ""
    when = f" on {status['signed_off_at']}" if status["signed_off_at"] else ""
    return f"Signed off{who}{when}."


# ------------------------------------------------------------------------------------
# Formatting shared by the renderers.
# ------------------------------------------------------------------------------------


def narrative(report: dict[str, Any], domain: int | None) -> tuple[list[str], list[str], list[str]]:
    """The strengths, areas for improvement and recommendations of ``domain`` (None: the
    inspection's own)."""
    findings = [f for f in report["narrative"]["findings"] if f["domain"] == domain]
    return ([f["text"] for f in findings if f["kind"] == "strength"],
            [f["text"] for f in findings if f["kind"] == "improvement"],
            [r["text"] for r in report["narrative"]["recommendations"] if r["domain"] == domain])


def format_interval(interval: dict[str, float] | None) -> str:
    """``55-74%`` (whole percentages), or empty."""
    if not interval:
        return ""
    return f"{interval['low']:.0f}-{interval['high']:.0f}%"


def format_comparison(comparison: dict[str, Any]) -> str:
    """``74% (n=100*) significantly lower``: the figure, its n (* assumed), the wording."""
    percent = comparison["percent"]
    text = f"{percent:g}%"
    if comparison["n"] is not None:
        text += f" (n={comparison['n']}{'*' if comparison['n_assumed'] else ''})"
    if comparison["wording"]:
        text += f" {comparison['wording']}"
    return text


def rating_heading(standard: dict[str, Any]) -> str:
    """``Rating: Good`` as the report prints it, with the role where it is not scored."""
    if standard["rating"] is None:
        return standard["rating_label"]
    tail = " (rated, not scored)" if standard["role"] == "rated" else ""
    return f"Rating: {standard['rating_label']}{tail}"


def indicative_line(standard: dict[str, Any]) -> str:
    """``Indicative rating from the cases: Requires improvement`` where the rating moved."""
    if standard["rated_by"] == "cases" and standard["indicative_rating"] not in (None, standard["rating"]):
        applied = [a for a in standard["adjustments"] if a["applied"]]
        moved = ""
        if applied:
            notes = ", ".join(str(n) for n in standard["footnotes"])
            word = "up" if applied[-1]["direction"] == "up" else "down"
            moved = f"; moved {word} by {applied[-1]['source']} (note {notes})"
        return f"Indicative rating from the cases: {standard['indicative_rating']}{moved}"
    return ""


def key_question_cell(kq: dict[str, Any]) -> str:
    """``65% (65/100)``, or what a key question without a figure holds."""
    if kq["evidence"] == "qualitative":
        return "qualitative evidence only (moderates the indicative rating)"
    if kq["evidence"] == "information":
        return f"information only ({kq['n']} cases)"
    if kq["percent"] is None:
        return "no case it applies to"
    return f"{kq['percent']}% ({kq['yes']}/{kq['n']})"


def prompt_cell(prompt: dict[str, Any]) -> str:
    """A prompt's share of "yes", or an information question's count of each answer."""
    if not prompt["n"]:
        return "not answered"
    counts = "; ".join(f"{answer}: {count}" for answer, count in (prompt.get("counts") or {}).items())
    if counts and prompt["percent"] is not None:
        # a share over some answers only (``not_counted``, per-factor answers), with every count
        return f"{prompt['percent']}% ({counts})"
    if counts:
        return counts
    if prompt["percent"] is None:
        return "free answers"
    return f"{prompt['percent']}%"


def comparator_labels(standard: dict[str, Any], report: dict[str, Any]) -> list[str]:
    """The comparators with a figure for any of ``standard``'s key questions, in report order."""
    given = {c["label"] for kq in standard["key_questions"] for c in kq["comparisons"]}
    return [c["label"] for c in report["comparators"] if c["label"] in given]


def interval_of(yes: int, n: int, confidence: float) -> dict[str, float] | None:
    """The Wilson score interval in percent (0-100), with its confidence level in percent."""
    if not n:
        return None
    interval = stats.wilson(yes, n, confidence)
    return {"low": interval.low * 100, "high": interval.high * 100, "confidence": confidence * 100}


def published_share(yes: int, n: int) -> int | None:
    """The whole percentage as published, or None where nothing applies."""
    return published_percent(percent_of(yes, n)) if n else None


def prompt_comparator_labels(key_question: dict[str, Any]) -> list[str]:
    """The comparators with a figure for any prompt of ``key_question`` (Annex 4's "Previous
    inspection" column, ``[comparator.prompts]``), in the order first met."""
    labels: dict[str, None] = {}
    for prompt in key_question["prompts"]:
        for comparison in prompt.get("comparisons", ()):
            labels.setdefault(comparison["label"], None)
    return list(labels)


def prompt_comparison_cell(prompt: dict[str, Any], label: str) -> str:
    """A prompt's figure in comparator ``label`` (``65%``), or empty where it has none."""
    figure = next((c for c in prompt.get("comparisons", ()) if c["label"] == label), None)
    return f"{figure['percent']:g}%" if figure is not None else ""
