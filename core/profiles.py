"""Inspection profiles: TOML files that assemble plugins and standards into an inspection type.

A profile (see ``plugins/profiles/crc.toml``) has a ``[profile]`` table naming its plugins,
framework edition and scored standards (``standards``), standards rated beside them but not
counted in the score (``rated_beside``: the youth resettlement standard) and standards whose
key-question figures are reported without a rating (``reported``: Probation Service
outcomes and statutory victim work), and a ``[rating]`` table with the key-question bands, the
professional-judgement window, the rounding rule and, optionally, the overall bands (derived
from the number of standards when absent). ``extends`` names another profile (built-in name
or path) whose values it starts from; ``add_plugins`` / ``add_standards`` append to the
inherited lists. Explicit overall bands are inherited only while the standards are unchanged.

An optional ``[sampling]`` table says how ``inspect sample`` draws the case sample (see
:mod:`.sampling`): default ``strata``, ``seed``, ``confidence`` (per cent) and ``margin``
(percentage points), and per sample ``[sampling.samples.<name>]`` an eligibility window
(``date_column``, ``unit``, ``at_least``, ``at_most``) and its own ``strata``,
``confidence``, ``margin`` or fixed ``size``. Through ``extends`` it is inherited key by
key, each sample's keys one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, NamedTuple

from .errors import InputError, PluginError, Problems
from .plugins import PluginManager, call_each
from .rules import ROUNDING_RULES, KeyQuestionBands, OverallBands
from .standards import Rating
from .tomlfile import Table, read_toml, tomllib

PROFILE_KEYS = ("name", "title", "description", "edition", "extends", "plugins", "standards",
                "rated_beside", "reported", "add_plugins", "add_standards", "example")
BAND_KEYS = {"inadequate": Rating.INADEQUATE, "requires_improvement": Rating.REQUIRES_IMPROVEMENT,
             "good": Rating.GOOD, "outstanding": Rating.OUTSTANDING}

#: ``[sampling]`` defaults, from seed 002 Annex 2: "a confidence level of 80 per cent (with a
#: margin of error of 5)"; "ratios in relation to gender, type of disposal and risk of
#: serious harm level matched those in the eligible population".
SAMPLING_UNITS = ("months", "weeks")
DEFAULT_STRATA = ("gender", "disposal", "rosh")
DEFAULT_CONFIDENCE = 80.0   #: per cent
DEFAULT_MARGIN = 5.0        #: percentage points
DEFAULT_SEED = 1


def confidence_problem(value: Any) -> str | None:
    """Why ``value`` is not a usable confidence level in per cent, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 50 <= value < 100:
        return ("expected a confidence level in per cent, at least 50 and below 100 (e.g. 80), "
                f"found {value!r}")
    return None


def margin_problem(value: Any) -> str | None:
    """Why ``value`` is not a usable margin of error in percentage points, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 50:
        return ("expected a margin of error in percentage points, above 0 and at most 50 (e.g. 5), "
                f"found {value!r}")
    return None


class Window(NamedTuple):
    """A sample's eligibility: the case's ``column`` date lies at least ``at_least`` and at most
    ``at_most`` units (``months`` or ``weeks``) before the fieldwork date, both ends included;
    a bound left out is open (``at_least = 3`` alone: "begun at least three months
    previously"). :mod:`.sampling` applies it."""

    column: str
    unit: str = "months"
    at_least: int | None = None
    at_most: int | None = None


class SampleRule(NamedTuple):
    """How one sample (``domain2``, ``upw`` …) is drawn; None falls back on the plan's value."""

    name: str
    window: Window | None = None    #: None: every listed case is eligible
    strata: tuple[str, ...] | None = None
    confidence: float | None = None
    margin: float | None = None
    size: int | None = None         #: a fixed size instead of a confidence level (seed 002: TTG)


class SamplingPlan(NamedTuple):
    """A profile's ``[sampling]`` table: defaults and one rule per sample, in the file's order."""

    samples: Mapping[str, SampleRule]
    strata: tuple[str, ...] = DEFAULT_STRATA
    seed: int = DEFAULT_SEED
    confidence: float = DEFAULT_CONFIDENCE
    margin: float = DEFAULT_MARGIN

    def strata_of(self, rule: SampleRule) -> tuple[str, ...]:
        return self.strata if rule.strata is None else rule.strata

    def columns(self) -> tuple[str, ...]:
        """Every stratum attribute of every sample, the plan's own first."""
        names = list(self.strata)
        for rule in self.samples.values():
            names += rule.strata or ()
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    edition: str
    plugins: tuple[str, ...]
    standards: tuple[str, ...]
    key_question_bands: KeyQuestionBands
    overall_bands: OverallBands
    bands_derived: bool
    judgement_window: int
    rounding: str
    path: Path
    description: str = ""
    example: Path | None = None
    rated_beside: tuple[str, ...] = ()  #: rated, shown, not counted in the score
    reported: tuple[str, ...] = ()      #: key-question figures reported, no rating
    sampling: SamplingPlan | None = None  #: how ``inspect sample`` draws the cases
    #: what the profile rests on that no seed states (``assumptions`` in ``[profile]``);
    #: a profile that ``extends`` another adds its own to those it inherits
    assumptions: tuple[str, ...] = ()

    @property
    def max_score(self) -> int:
        return 3 * len(self.standards)

    @property
    def all_standards(self) -> tuple[str, ...]:
        """Every standard the inspection covers, in the order it reports them."""
        return self.standards + self.rated_beside + self.reported

    def role(self, standard_id: str) -> str:
        """``scored``, ``rated`` (beside the score) or ``reported``."""
        if standard_id in self.rated_beside:
            return "rated"
        return "reported" if standard_id in self.reported else "scored"


def builtin_profiles(pm: PluginManager) -> dict[str, Path]:
    """Profile name -> file, for every profile a plugin ships; a clash names both plugins.

    A shipped profile is named by its file (``crc.toml`` is ``crc``), so listing them reads
    no file; :func:`load_profile` checks the ``[profile] name`` inside agrees.
    """
    found: dict[str, tuple[str, Path]] = {}
    for plugin, paths in call_each(pm, "hmip_profiles"):
        for path in map(Path, paths):
            name = path.stem
            if name in found:
                raise PluginError(plugin, f"profile {name!r} is also shipped by plugin {found[name][0]!r}")
            found[name] = (plugin, path)
    return {name: path for name, (_, path) in sorted(found.items())}


def _looks_like_path(ref: str) -> bool:
    return ref.endswith(".toml") or "/" in ref or "\\" in ref


def resolve(ref: str, known: dict[str, Path], relative_to: Path | None = None) -> Path:
    """A profile reference (built-in name or path to a TOML file) as a file path."""
    if _looks_like_path(ref):
        path = Path(ref).expanduser()
        if relative_to is not None and not path.is_absolute():
            path = relative_to / path
        if not path.is_file():
            raise InputError(f"profile file {path} not found")
        return path
    if ref not in known:
        raise InputError(f"unknown profile {ref!r}; available: {', '.join(known) or 'none'} "
                         "(or give a path to a profile TOML file)")
    return known[ref]


def _raw_chain(path: Path, known: dict[str, Path], problems: Problems,
               seen: tuple[Path, ...] = ()) -> list[tuple[Path, dict[str, Any]]]:
    """The profile at ``path`` and its ancestors through ``extends``, base first."""
    if path.resolve() in seen:
        raise InputError(f"{path}: profile extends itself through {' -> '.join(map(str, seen))}")
    data = read_toml(path, problems)
    if data is None:
        problems.raise_if_any("profile cannot be read")
    extends = data.get("profile", {}).get("extends") if isinstance(data.get("profile"), dict) else None
    chain: list[tuple[Path, dict[str, Any]]] = []
    if isinstance(extends, str) and extends.strip():
        parent = resolve(extends.strip(), known, relative_to=path.parent)
        chain = _raw_chain(parent, known, problems, seen + (path.resolve(),))
    return chain + [(path, data)]


def load_profile(ref: str, pm: PluginManager) -> Profile:
    """Load a profile by built-in name or path, following ``extends``; every problem at once."""
    known = builtin_profiles(pm)
    problems = Problems()
    chain = _raw_chain(resolve(ref, known), known, problems)
    return _profile_from_chain(chain, ref, {path: name for name, path in known.items()}, problems)


def load_profile_text(text: str, label: str) -> Profile:
    """A profile from TOML text that stands alone (no ``extends``): the snapshot an inspection
    in the store keeps (:func:`profile_to_toml`). ``label`` names it in messages."""
    problems = Problems()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{label}: not valid TOML: {exc}") from None
    head = data.get("profile")
    if isinstance(head, dict) and "extends" in head:
        problems.add(f"{label} [profile] extends", "a recorded profile is already resolved")
    return _profile_from_chain([(Path(label), data)], label, {}, problems)


def profile_to_toml(profile: Profile) -> str:
    """The profile as one TOML document with everything resolved: what ``extends`` inherited,
    the overall bands (derived ones written out) and the sampling plan. Loading it back with
    :func:`load_profile_text` gives the same profile."""
    import tomli_w

    head: dict[str, Any] = {"name": profile.name, "title": profile.title}
    if profile.description:
        head["description"] = profile.description
    head.update(edition=profile.edition, plugins=list(profile.plugins), standards=list(profile.standards))
    if profile.rated_beside:
        head["rated_beside"] = list(profile.rated_beside)
    if profile.reported:
        head["reported"] = list(profile.reported)
    if profile.assumptions:
        head["assumptions"] = list(profile.assumptions)
    bands = profile.key_question_bands
    rating: dict[str, Any] = {
        "rounding": profile.rounding,
        "judgement_window": profile.judgement_window,
        "key_question_bands": {"requires_improvement": bands.requires_improvement, "good": bands.good,
                               "outstanding": bands.outstanding},
        "overall_bands": {key: [low, high] for key, rating in BAND_KEYS.items()
                          for band, low, high in profile.overall_bands.ranges if band is rating},
    }
    document: dict[str, Any] = {"profile": head, "rating": rating}
    if profile.sampling is not None:
        document["sampling"] = _sampling_to_dict(profile.sampling)
    return tomli_w.dumps(document)


def _sampling_to_dict(plan: SamplingPlan) -> dict[str, Any]:
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


def _profile_from_chain(chain: list[tuple[Path, dict[str, Any]]], ref: str, shipped_as: dict[Path, str],
                        problems: Problems) -> Profile:

    merged: dict[str, Any] = {}
    rating: dict[str, Any] = {}
    sampling: dict[str, Any] = {}
    for path, data in chain:
        top = Table(data, path.name, problems)
        head = top.table("profile")
        if head is None:
            problems.add(path.name, "missing the [profile] table")
            continue
        values = _read_profile_table(head)
        shipped = shipped_as.get(path)
        if shipped is not None and values["name"] not in (None, shipped):
            problems.add(f"{head.where} name", f"a shipped profile is named by its file: "
                                               f"expected {shipped!r}, found {values['name']!r}")
        inherited_standards = merged.get("standards")
        own = values.pop("assumptions", None) or []
        merged["assumptions"] = list(dict.fromkeys([*merged.get("assumptions", []), *own]))
        for key in ("add_plugins", "add_standards"):
            extra = values.pop(key, None)
            if extra:
                base = key.removeprefix("add_")
                values[base] = list(values.get(base) or merged.get(base) or []) + extra
        if values.get("example"):
            values["example"] = path.parent / values["example"]
        merged.update({k: v for k, v in values.items() if v is not None})
        merged["path"] = path
        rating_table = top.table("rating")
        if inherited_standards is not None and merged.get("standards") != inherited_standards:
            rating.pop("overall_bands", None)
        if rating_table is not None:
            rating.update(_read_rating_table(rating_table, path.name))
        sampling_table = top.table("sampling")
        if sampling_table is not None:
            _merge_sampling(sampling, _read_sampling_table(sampling_table))
        top.finish()

    for key in ("name", "edition", "plugins", "standards"):
        if not merged.get(key):
            problems.add(f"{chain[-1][0].name} [profile]", f"missing key {key!r}")
    plan = _sampling_plan(sampling, chain[-1][0].name, problems) if sampling else None
    problems.raise_if_any(f"profile {ref!r} is not valid")

    standards = tuple(merged["standards"])
    beside, reported = tuple(merged.get("rated_beside") or ()), tuple(merged.get("reported") or ())
    overall = rating.get("overall_bands")
    derived = overall is None
    overall = overall or OverallBands.derived(len(standards))
    for message in overall.problems(len(standards)):
        problems.add(f"{chain[-1][0].name} [rating] overall_bands", message)
    listed = standards + beside + reported
    for standard in sorted({s for s in listed if listed.count(s) > 1}):
        problems.add(f"{chain[-1][0].name} [profile]", f"standard {standard} is listed twice "
                     "(standards, rated_beside and reported are exclusive)")
    problems.raise_if_any(f"profile {ref!r} is not valid")

    return Profile(
        name=merged["name"],
        title=merged.get("title") or merged["name"],
        description=merged.get("description", ""),
        edition=merged["edition"],
        plugins=tuple(dict.fromkeys(merged["plugins"])),
        standards=standards,
        key_question_bands=rating.get("key_question_bands", KeyQuestionBands()),
        overall_bands=overall,
        bands_derived=derived,
        judgement_window=rating.get("judgement_window", 5),
        rounding=rating.get("rounding", "half-up"),
        path=merged["path"],
        example=merged.get("example"),
        rated_beside=beside,
        reported=reported,
        sampling=plan,
        assumptions=tuple(merged.get("assumptions") or ()),
    )


def _read_profile_table(head: Table) -> dict[str, Any]:
    values = {
        "name": head.str("name", nonempty=True),
        "title": head.str("title"),
        "description": head.str("description"),
        "edition": head.str("edition", nonempty=True),
        "plugins": head.str_list("plugins"),
        "standards": head.str_list("standards"),
        "rated_beside": head.str_list("rated_beside"),
        "assumptions": head.str_list("assumptions"),
        "reported": head.str_list("reported"),
        "add_plugins": head.str_list("add_plugins"),
        "add_standards": head.str_list("add_standards"),
        "example": head.str("example"),
    }
    head.str("extends")  # resolved while reading the chain
    head.finish()
    return values


def _read_rating_table(table: Table, where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    rounding = table.str("rounding", choices=ROUNDING_RULES)
    if rounding is not None:
        out["rounding"] = rounding
    window = table.int("judgement_window", minimum=0, maximum=50)
    if window is not None:
        out["judgement_window"] = window
    kq = table.table("key_question_bands")
    if kq is not None:
        values = {key: kq.int(key, required=True, default=default, minimum=1, maximum=100)
                  for key, default in (("requires_improvement", 50), ("good", 65), ("outstanding", 80))}
        kq.finish()
        if not values["requires_improvement"] < values["good"] < values["outstanding"]:
            table.problems.add(kq.where, "boundaries must increase: requires_improvement < good < outstanding")
        out["key_question_bands"] = KeyQuestionBands(**values)
    overall = table.table("overall_bands")
    if overall is not None:
        ranges = []
        for key, rating in BAND_KEYS.items():
            pair = overall.data.get(key)
            overall.seen.add(key)
            if (not isinstance(pair, list) or len(pair) != 2
                    or not all(isinstance(x, int) and not isinstance(x, bool) for x in pair)):
                table.problems.add(f"{overall.where} {key}",
                                   f"expected [lowest, highest] whole-number scores, found {pair!r}")
                continue
            ranges.append((rating, pair[0], pair[1]))
        overall.finish()
        if len(ranges) == len(BAND_KEYS):
            out["overall_bands"] = OverallBands(tuple(ranges))
    table.finish()
    return out


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


def _read_sampling_table(table: Table) -> dict[str, Any]:
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


def _merge_sampling(into: dict[str, Any], layer: dict[str, Any]) -> None:
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


def _sampling_plan(values: dict[str, Any], file: str, problems: Problems) -> SamplingPlan:
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


def check_against(profile: Profile, pm: PluginManager, catalogue) -> None:
    """Check that the profile's plugins are loaded and its standards exist; all problems at once."""
    problems = Problems()
    where = f"profile {profile.name} ({profile.path})"
    for plugin in profile.plugins:
        info = pm.seen.get(plugin)
        if info is None:
            problems.add(where, f"unknown plugin {plugin!r}; installed: {', '.join(sorted(pm.seen))}")
        elif info.status == "blocked":
            problems.add(where, f"plugin {plugin!r} is blocked (HMIP_LOAD_PLUGINS / HMIP_DISABLE_PLUGINS)")
        elif info.status == "broken":
            problems.add(where, f"plugin {plugin!r} failed to load: {info.error}")
    for standard_id in profile.all_standards:
        standard = catalogue.standard(profile.edition, standard_id)
        if standard is None:
            problems.add(where, f"standard {standard_id} ({profile.edition} edition) is not "
                                "contributed by any loaded plugin")
        elif standard.plugin not in profile.plugins:
            problems.add(where, f"standard {standard_id} comes from plugin {standard.plugin!r}, "
                                "which the profile does not list in 'plugins'")
    problems.raise_if_any(f"profile {profile.name!r} cannot be used")
