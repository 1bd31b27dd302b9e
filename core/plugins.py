"""Deprecated: the old path of :mod:`hmip_inspect.core.plugin.manager`, kept for one release.

Import from :mod:`hmip_inspect.core` (the public API) or the new module instead.
"""

import warnings

from .plugin.manager import *  # noqa: F403

warnings.warn("hmip_inspect.core.plugins is deprecated; import from hmip_inspect.core "
              "(or hmip_inspect.core.plugin.manager)", DeprecationWarning, stacklevel=2)
