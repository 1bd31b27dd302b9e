"""Deprecated: the old path of :mod:`hmip_inspect.core.catalogue.records`, kept for one release.

Import from :mod:`hmip_inspect.core` (the public API) or the new module instead.
"""

import warnings

from .catalogue.records import *  # noqa: F403

warnings.warn("hmip_inspect.core.standards is deprecated; import from hmip_inspect.core "
              "(or hmip_inspect.core.catalogue.records)", DeprecationWarning, stacklevel=2)
