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

An optional ``[qa]`` table (issue 15) sets ``kappa_warning`` (a kappa from 0 to 1, default
0.6: a key question's agreement below it is noted in the report) and ``pair_minimum`` (cases
an assessor pair needs before ``inspect qa agreement --all`` shows their own figures).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, PluginError, Problems
from ..rating.rules import ROUNDING_RULES, KeyQuestionBands, OverallBands
from ..tomlfile import Table, read_toml, tomllib
from .profile import BAND_KEYS, KAPPA_WARNING, PAIR_MINIMUM, SMALL_SAMPLE, Profile

if TYPE_CHECKING:
    from ..catalogue.index import Catalogue
    from ..plugin.manager import PluginInfo
from .sampling import (
    merge_sampling,
    read_sampling_table,
    sampling_plan,
    sampling_to_dict,
)


def builtin_profiles(files: Iterable[tuple[str, Path]]) -> dict[str, Path]:
    """Profile name -> file, for the profiles plugins ship ((plugin, path) pairs, as the plugin
    manager's facade gives them); a clash names both plugins.

    A shipped profile is named by its file (``crc.toml`` is ``crc``), so listing them reads
    no file; :func:`load_profile` checks the ``[profile] name`` inside agrees.
    """
    found: dict[str, tuple[str, Path]] = {}
    for plugin, path in files:
        name = path.stem
        if name in found:
            raise PluginError(plugin, f"profile {name!r} is also shipped by plugin {found[name][0]!r}")
        found[name] = (plugin, path)
    return {name: path for name, (_, path) in sorted(found.items())}


def _looks_like_path(ref: str) -> bool:
    return ref.endswith(".toml") or "/" in ref or "\\" in ref


def resolve(ref: str, known: Mapping[str, Path], relative_to: Path | None = None) -> Path:
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


def _raw_chain(path: Path, known: Mapping[str, Path], problems: Problems,
               seen: tuple[Path, ...] = ()) -> list[tuple[Path, dict[str, Any]]]:
    """The profile at ``path`` and its ancestors through ``extends``, base first."""
    if path.resolve() in seen:
        raise InputError(f"{path}: profile extends itself through {' -> '.join(map(str, seen))}")
    # A profile a plugin ships is parsed once and kept, as its catalogues are (an import of
    # many folders resolves it for each); a profile file of the user's is read every time.
    data = read_toml(path, problems, cache=path in known.values())
    if data is None:
        problems.raise_if_any("profile cannot be read")
    assert data is not None  # read_toml recorded why it could not, and that raised
    extends = data.get("profile", {}).get("extends") if isinstance(data.get("profile"), dict) else None
    chain: list[tuple[Path, dict[str, Any]]] = []
    if isinstance(extends, str) and extends.strip():
        parent = resolve(extends.strip(), known, relative_to=path.parent)
        chain = _raw_chain(parent, known, problems, seen + (path.resolve(),))
    return chain + [(path, data)]


def load_profile(ref: str, known: Mapping[str, Path]) -> Profile:
    """Load a profile by shipped name (``known``: :func:`builtin_profiles`) or path, following
    ``extends``; every problem at once."""
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
    if profile.small_sample != SMALL_SAMPLE:   # the default is left out: older snapshots stay equal
        rating["small_sample"] = profile.small_sample
    document: dict[str, Any] = {"profile": head, "rating": rating}
    qa = {key: value for key, value, default in (("kappa_warning", profile.kappa_warning, KAPPA_WARNING),
                                                  ("pair_minimum", profile.pair_minimum, PAIR_MINIMUM))
          if value != default}      # defaults left out: older snapshots stay equal
    if qa:
        document["qa"] = qa
    if profile.plugin_settings:
        document["plugins"] = {name: dict(values) for name, values in profile.plugin_settings.items()}
    if profile.sampling is not None:
        document["sampling"] = sampling_to_dict(profile.sampling)
    return tomli_w.dumps(document)


def _profile_from_chain(chain: list[tuple[Path, dict[str, Any]]], ref: str, shipped_as: dict[Path, str],
                        problems: Problems) -> Profile:

    merged: dict[str, Any] = {}
    rating: dict[str, Any] = {}
    qa: dict[str, Any] = {}
    sampling: dict[str, Any] = {}
    settings: dict[str, dict[str, Any]] = {}
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
        qa_table = top.table("qa")
        if qa_table is not None:
            qa.update(_read_qa_table(qa_table))
        sampling_table = top.table("sampling")
        if sampling_table is not None:
            merge_sampling(sampling, read_sampling_table(sampling_table))
        settings_table = top.table("plugins")
        if settings_table is not None:
            for plugin in settings_table.data:
                own = settings_table.table(plugin)
                if own is not None:
                    settings.setdefault(plugin, {}).update(own.data)
                    own.seen.update(own.data)       # the plugin checks its keys (hmip_check_settings)
            settings_table.finish()
        top.finish()

    for key in ("name", "edition", "plugins", "standards"):
        if not merged.get(key):
            problems.add(f"{chain[-1][0].name} [profile]", f"missing key {key!r}")
    plan = sampling_plan(sampling, chain[-1][0].name, problems) if sampling else None
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
        small_sample=rating.get("small_sample", SMALL_SAMPLE),
        kappa_warning=qa.get("kappa_warning", KAPPA_WARNING),
        pair_minimum=qa.get("pair_minimum", PAIR_MINIMUM),
        path=merged["path"],
        example=merged.get("example"),
        rated_beside=beside,
        reported=reported,
        sampling=plan,
        plugin_settings=settings,
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
    small = table.int("small_sample", minimum=0, maximum=10_000)
    if small is not None:
        out["small_sample"] = small
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


def _read_qa_table(table: Table) -> dict[str, Any]:
    """``[qa]`` (issue 15): ``kappa_warning``, a kappa from 0 to 1 below which the report notes
    a key question's agreement; ``pair_minimum``, the cases an assessor pair needs before
    ``inspect qa agreement --all`` shows their own agreement."""
    out: dict[str, Any] = {}
    if "kappa_warning" in table.data:
        value = table.data["kappa_warning"]
        table.seen.add("kappa_warning")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            table.problems.add(f"{table.where} kappa_warning",
                               f"expected a kappa from 0 to 1 (e.g. 0.6), found {value!r}")
        else:
            out["kappa_warning"] = float(value)
    minimum = table.int("pair_minimum", minimum=1, maximum=10_000)
    if minimum is not None:
        out["pair_minimum"] = minimum
    table.finish()
    return out


def check_against(profile: Profile, plugins: Mapping[str, PluginInfo], catalogue: Catalogue) -> None:
    """Check that the profile's plugins are loaded and sound, its standards exist and come from
    them, and its ``[plugins.NAME]`` settings name listed plugins; all problems at once."""
    problems = Problems()
    where = f"profile {profile.name} ({profile.path})"
    for plugin in profile.plugins:
        info = plugins.get(plugin)
        if info is None:
            problems.add(where, f"unknown plugin {plugin!r}; installed: {', '.join(sorted(plugins))}")
        elif info.status == "blocked":
            problems.add(where, f"plugin {plugin!r} is blocked (HMIP_LOAD_PLUGINS / HMIP_DISABLE_PLUGINS)")
        elif info.status == "broken":
            problems.add(where, f"plugin {plugin!r} failed to load: {info.error}")
        elif plugin in catalogue.broken:
            problems.add(where, f"plugin {plugin!r} is broken: {catalogue.broken[plugin]}")
    for plugin in profile.plugin_settings:
        if plugin not in profile.plugins:
            problems.add(f"{where} [plugins.{plugin}]", "settings for a plugin the profile does not list "
                                                        "in 'plugins'")
    for standard_id in profile.all_standards:
        standard = catalogue.standard(profile.edition, standard_id)
        if standard is None:
            problems.add(where, f"standard {standard_id} ({profile.edition} edition) is not "
                                "contributed by any loaded plugin")
        elif standard.plugin not in profile.plugins:
            problems.add(where, f"standard {standard_id} comes from plugin {standard.plugin!r}, "
                                "which the profile does not list in 'plugins'")
    problems.raise_if_any(f"profile {profile.name!r} cannot be used")
