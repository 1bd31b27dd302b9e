"""One place that assembles plugins, catalogue, profile and inspection for the CLI, the web
application and the tests.

The session asks the plugins (through the plugin manager's facade, the only caller of hooks)
for their catalogue and profile files and case attributes, and hands the files to the
readers: the catalogue and profile readers never see the plugin manager.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .catalogue.index import Catalogue, build_catalogue
from .errors import InputError, Problems
from .inspection.folder import Inspection, load_inspection, read_info
from .plugin.manager import PluginManager, get_plugin_manager
from .plugin.types import ReportSection
from .profiles.profile import Profile
from .profiles.reader import (
    builtin_profiles,
    check_against,
    load_profile,
    load_profile_text,
)
from .rating.rate import rate
from .rating.results import InspectionResult


@dataclass
class Session:
    """Plugins and their catalogue, built once per process (or per test)."""

    pm: PluginManager = field(default_factory=get_plugin_manager)
    _catalogue: Catalogue | None = None
    _profiles: dict[str, Path] | None = None

    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            self._catalogue = build_catalogue(self.pm.catalogue_files(), self.pm.case_attributes())
        return self._catalogue

    @property
    def profiles(self) -> dict[str, Path]:
        """Every profile a plugin ships, by name."""
        if self._profiles is None:
            self._profiles = builtin_profiles(self.pm.profile_files())
        return self._profiles

    def profile(self, ref: str) -> Profile:
        """A profile by shipped name or path, checked against the plugins loaded now."""
        return self._checked(load_profile(ref, self.profiles))

    def profile_from_text(self, text: str, label: str) -> Profile:
        """A resolved profile kept as TOML text (a stored inspection's snapshot), checked
        against the plugins loaded now."""
        return self._checked(load_profile_text(text, label))

    def _checked(self, profile: Profile) -> Profile:
        self.catalogue.read_plugins(profile.edition, profile.plugins)   # the others only if asked
        check_against(profile, self.pm.seen, self.catalogue)
        problems = Problems()
        for plugin, settings in profile.plugin_settings.items():
            where = f"{profile.path.name} [plugins.{plugin}]"
            found = self.pm.check_settings(plugin, settings)
            if found is None:
                problems.add(where, f"plugin {plugin!r} takes no settings")
            for message in found or ():
                problems.add(where, message)
        problems.raise_if_any(f"profile {profile.name!r} cannot be used")
        return profile

    def report_sections(self, profile: Profile, inspection: Inspection, result: InspectionResult
                        ) -> list[tuple[str, ReportSection]]:
        """The sections the profile's plugins add to the report of ``inspection``."""
        return self.pm.report_sections(profile.plugins, inspection=inspection, result=result,
                                       settings=profile.plugin_settings)

    def inspection(self, profile: Profile, folder: Path | None = None) -> Inspection:
        if folder is None:
            if profile.example is None:
                raise InputError(f"profile {profile.name!r} has no bundled example; "
                                 "give an inspection folder with --inspection")
            folder = profile.example
        return load_inspection(Path(folder), profile, self.catalogue)

    def run(self, profile_ref: str | None, folder: Path | None = None
            ) -> tuple[Profile, Inspection, InspectionResult]:
        """Rate ``folder`` (or the profile's bundled example) with the named profile.

        With no profile, the one named in the folder's ``inspection.toml`` is used.
        """
        if profile_ref is None:
            if folder is None:
                raise InputError("give --profile, --inspection, or both")
            problems = Problems()
            info = read_info(Path(folder), problems)
            problems.raise_if_any(f"inspection {folder} has problems")
            assert info is not None  # read_info returns None only with a problem, which raised
            profile_ref = info.profile
            if not Path(profile_ref).is_absolute() and profile_ref.endswith(".toml"):
                profile_ref = str(Path(folder) / profile_ref)
        profile = self.profile(profile_ref)
        inspection = self.inspection(profile, folder)
        return profile, inspection, rate(inspection, profile, self.catalogue, self.pm)
