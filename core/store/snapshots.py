"""The profile an inspection records at import, and what has changed since.

A stored inspection is rated with the resolved profile it recorded (its TOML, edition and the
version of each plugin that contributed a standard), so a signed-off rating never moves when
a profile file or a plugin does. A lead inspector may adopt the current profile, audited.
"""

from __future__ import annotations

import functools

from shlex import quote
from typing import TYPE_CHECKING

from ..errors import InputError, Problems
from ..inspection.case_schema import CaseSchema
from ..inspection.folder import (
    profile_standards,
)
from ..profiles.profile import Profile
from ..profiles.reader import profile_to_toml
from ..session import Session
from .context import FieldworkContext
from .database import ProfileSnapshot, now, shown


@functools.cache
def _own_version() -> str:
    """hmip-inspect's installed version (read once: it does not change while a process runs)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("hmip-inspect")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def plugin_versions(session: Session, profile: Profile) -> dict[str, str]:
    """The version of every plugin that contributes a standard to ``profile`` (a built-in
    plugin has hmip-inspect's version)."""
    own = _own_version()
    plugins = {session.catalogue.profile_standard(profile.edition, sid).plugin
               for sid in profile.all_standards}
    return {name: (session.pm.seen[name].version or own) if name in session.pm.seen else "unknown"
            for name in sorted(plugins)}


def take_snapshot(session: Session, profile: Profile, source: str) -> ProfileSnapshot:
    """What an inspection is rated with: the resolved profile, its edition, plugin versions."""
    return ProfileSnapshot(profile_to_toml(profile), profile.edition, plugin_versions(session, profile),
                           recorded_at=now(), source=source)




class ProfileService(FieldworkContext):
    if TYPE_CHECKING:  # from ReadinessService, beside this class in Fieldwork
        def readiness(self) -> Problems: ...

    def _current_profile(self) -> Profile:
        return self.session.profile(self.snapshot.source if self.snapshot else self.info.profile)

    def profile_changes(self) -> list[str]:
        """How the profile and its plugins differ now from what the inspection records."""
        if self.snapshot is None:
            return [f"no profile was recorded when it was imported: it is rated with profile "
                    f"{self.info.profile!r} as it is now"]
        try:
            current = self._current_profile()
        except InputError:
            return [f"profile {self.snapshot.source!r} can no longer be loaded"]
        changes = []
        if profile_to_toml(current) != self.snapshot.toml:
            changes.append(f"profile {self.snapshot.source!r} has changed")
        now_versions = plugin_versions(self.session, current)
        for plugin, recorded in sorted(self.snapshot.plugins.items()):
            if now_versions.get(plugin, "not installed") != recorded:
                changes.append(f"plugin {plugin!r} was {recorded}, now "
                               f"{now_versions.get(plugin, 'not installed')}")
        return changes

    def change_note(self) -> str:
        """One line for ``run --name`` and ``report --name`` when the profile or a plugin has
        changed since the inspection recorded them; empty otherwise."""
        changes = self.profile_changes()
        if not changes:
            return ""
        recorded = f" (recorded {self.snapshot.recorded_at})" if self.snapshot else ""
        return (f"note: {'; '.join(changes)} since inspection {self.name!r} was imported; it is rated "
                f"with the profile it recorded{recorded}. To rate it with the current one: "
                f"inspect inspection adopt-profile --name {quote(self.name)} --db "
                f"{quote(shown(self.store.url))} --reason ...")

    def adopt_profile(self, who: str, reason: str) -> ProfileSnapshot:
        """Rate the inspection with its profile as it is now; audited, refused once signed off
        or where the stored cases do not satisfy the current profile."""
        if not reason.strip():
            raise InputError("adopting the current profile needs a reason (--reason)")
        current = self._current_profile()
        standards = profile_standards(current, self.session.catalogue)
        schema = CaseSchema.build(standards, self.session.catalogue)
        problems = Problems()
        for case in self.store.cases(self.name):
            if case.sample not in schema.samples:
                problems.add(f"case {case.case_id}", f"its sample {case.sample!r} is not one of the "
                                                     "current profile's")
                continue
            schema.make_case(case.case_id, case.sample, dict(case.attributes), dict(case.answers),
                             f"case {case.case_id}", problems, complete=False)
        if not problems and not self.readiness():   # rated now: it must still rate afterwards
            from ..rating.rate import rate
            try:
                rate(self.store.load(self.name, with_cases=False), current, self.session.catalogue,
                     self.session.pm)
            except InputError as exc:
                problems.extend(exc.problems)
        problems.raise_if_any(f"the current profile {current.name!r} does not fit inspection "
                              f"{self.name!r}; nothing was changed")
        snapshot = take_snapshot(self.session, current,
                                 self.snapshot.source if self.snapshot else self.info.profile)
        self.store.adopt_profile(self.name, snapshot, who, reason)
        return snapshot
