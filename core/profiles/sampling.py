"""A profile's ``[sampling]`` table: how ``inspect sample`` draws each sample (eligibility window, strata, confidence level and margin, or a fixed size), read key by key and merged through ``extends``; written back for a profile snapshot."""

from __future__ import annotations

from typing import Any

from ..errors import Problems
from ..tomlfile import Table
from .profile import (
    SAMPLING_UNITS,
    SampleRule,
    SamplingPlan,
    Window,
    confidence_problem,
    margin_problem,
)


def sampling_to_dict(plan: SamplingPlan) -> dict[str, Any]:
    samples: dict[str, Any] = {}
    for name, rule in plan.samples.items():
        keys: dict[str, Any] = {}
        if rule.window is not None:
            keys.update(date_column=rule.window.column, unit=rule.window.unit)
            keys.update({k: v for k, v in (("at_least", rule.window.at_least),
                                           ("at_most", rule.window.at_most)) if v is not None})
        for key in ("strata", "confidence", "margin", "size"):
            value = getattr(rule, key)
            if value is not None:
                keys[key] = list(value) if key == "strata" else value
        samples[name] = keys
    return {"strata": list(plan.strata), "confidence": plan.confidence, "margin": plan.margin,
            "seed": plan.seed, "samples": samples}



def _percentage(table: Table, key: str, check) -> float | None:
    """A whole or decimal number checked by ``check`` (:func:`.sampling.confidence_problem` …)."""
    table.seen.add(key)
    if key not in table.data:
        return None
    value = table.data[key]
    message = check(value)
    if message:
        table.problems.add(f"{table.where} {key}", message)
        return None
    return float(value)


def read_sampling_table(table: Table) -> dict[str, Any]:
    """The keys a ``[sampling]`` table sets, each checked; samples as ``{name: {key: value}}``."""
    out: dict[str, Any] = {
        "strata": table.str_list("strata"),
        "seed": table.int("seed", minimum=0, maximum=2**63 - 1),
        "confidence": _percentage(table, "confidence", confidence_problem),
        "margin": _percentage(table, "margin", margin_problem),
        "samples": {},
    }
    samples = table.table("samples")
    if samples is not None:
        for name in samples.data:
            sample = samples.table(name)
            if sample is not None:
                out["samples"][name] = _read_sample_table(sample)
        samples.finish()
    table.finish()
    return {key: value for key, value in out.items() if value is not None}


def _read_sample_table(table: Table) -> dict[str, Any]:
    values = {
        "date_column": table.str("date_column", nonempty=True),
        "unit": table.str("unit", choices=SAMPLING_UNITS),
        "at_least": table.int("at_least", minimum=0, maximum=1200),
        "at_most": table.int("at_most", minimum=0, maximum=1200),
        "strata": table.str_list("strata"),
        "confidence": _percentage(table, "confidence", confidence_problem),
        "margin": _percentage(table, "margin", margin_problem),
        "size": table.int("size", minimum=1, maximum=100_000),
    }
    table.finish()
    if values["size"] is not None and (values["confidence"] is not None or values["margin"] is not None):
        table.problems.add(table.where, "give either a fixed size or a confidence level and margin "
                                        "of error, not both")
    return {key: value for key, value in values.items() if value is not None}


def merge_sampling(into: dict[str, Any], layer: dict[str, Any]) -> None:
    """A profile's ``[sampling]`` over its parent's: key by key, each sample key by key; a
    fixed size replaces an inherited confidence level and margin, and the other way round."""
    samples = into.setdefault("samples", {})
    for name, keys in layer.pop("samples", {}).items():
        inherited = samples.setdefault(name, {})
        if "size" in keys:
            inherited.pop("confidence", None)
            inherited.pop("margin", None)
        if "confidence" in keys or "margin" in keys:
            inherited.pop("size", None)
        inherited.update(keys)
    into.update(layer)


def sampling_plan(values: dict[str, Any], file: str, problems: Problems) -> SamplingPlan:
    """The merged ``[sampling]`` values as a plan; a window needs its column and a bound."""
    if "strata" in values:
        _check_strata(values["strata"], f"{file} [sampling] strata", problems)
    rules = {}
    for name, keys in values.get("samples", {}).items():
        place = f"{file} [sampling.samples.{name}]"
        bounds = keys.get("at_least"), keys.get("at_most")
        window = None
        if "date_column" in keys:
            if bounds == (None, None):
                problems.add(place, "a window needs at_least, at_most or both (whole numbers of "
                                    "its unit before the fieldwork date)")
            elif None not in bounds and bounds[0] > bounds[1]:
                problems.add(place, f"at_least ({bounds[0]}) must not exceed at_most ({bounds[1]})")
            window = Window(keys["date_column"], keys.get("unit", "months"), *bounds)
        elif bounds != (None, None) or "unit" in keys:
            problems.add(place, "at_least, at_most and unit need date_column (the case date the "
                                "window is on)")
        strata = keys.get("strata")
        if strata is not None:
            _check_strata(strata, f"{place} strata", problems)
        rules[name] = SampleRule(name=name, window=window,
                                 strata=None if strata is None else tuple(strata),
                                 confidence=keys.get("confidence"), margin=keys.get("margin"),
                                 size=keys.get("size"))
    if not rules:
        problems.add(f"{file} [sampling]", "no samples: add a [sampling.samples.<name>] table "
                                            "per sample")
    defaults = SamplingPlan(samples={})
    return SamplingPlan(
        samples=rules,
        strata=tuple(values.get("strata", defaults.strata)),
        seed=values.get("seed", defaults.seed),
        confidence=values.get("confidence", defaults.confidence),
        margin=values.get("margin", defaults.margin),
    )


def _check_strata(strata: list[str], where: str, problems: Problems) -> None:
    for name in sorted({s for s in strata if strata.count(s) > 1}):
        problems.add(where, f"{name!r} is listed twice")
    for name in strata:
        if not name or name in ("case_id", "sample"):
            problems.add(where, f"expected case attribute names (gender, disposal, rosh …), found {name!r}")
