"""Deprecated: the old path of :mod:`hmip_inspect.core.rating.results`, kept for one release.

Import from :mod:`hmip_inspect.core` (the public API) or the new module instead.
"""

import warnings

from .rating.results import *  # noqa: F403

warnings.warn("hmip_inspect.core.results is deprecated; import from hmip_inspect.core "
              "(or hmip_inspect.core.rating.results)", DeprecationWarning, stacklevel=2)
